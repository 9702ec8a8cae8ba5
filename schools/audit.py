"""What the audit log calls the events of schools: term dates and virtual schools."""

from core.audit import AuditAction


class SchoolAction(AuditAction):
    YEAR_ADDED = "term_dates.year_added"
    TERM_CHANGED = "term_dates.term_changed"
    CLOSURE_ADDED = "term_dates.closure_added"
    CLOSURE_REMOVED = "term_dates.closure_removed"
    VIRTUAL_SCHOOL_ADDED = "virtual_school.added"
    VIRTUAL_SCHOOL_CHANGED = "virtual_school.changed"
    DIRECTORY_ADDRESS_CHANGED = "virtual_school.directory_address_changed"
    VIRTUAL_SCHOOL_CONTACT_ADDED = "virtual_school_contact.added"
    VIRTUAL_SCHOOL_CONTACT_CHANGED = "virtual_school_contact.changed"
    VIRTUAL_SCHOOL_CONTACT_CONFIRMED = "virtual_school_contact.confirmed"
