"""What the audit log calls the events of PEPs, their parts, SDQ scores and the compliance
report."""

from core.audit import AuditAction


class PepAction(AuditAction):
    PUPIL_PEPS_VIEWED = "pupil.peps_viewed"
    VIEWED = "pep.viewed"
    PDF_DOWNLOADED = "pep.pdf_downloaded"
    STARTED = "pep.started"
    UPDATED = "pep.updated"
    DRAFT_DISCARDED = "pep.draft_discarded"
    ATTENDEE_ADDED = "pep.attendee_added"
    ATTENDEE_REMOVED = "pep.attendee_removed"
    ATTAINMENT_ADDED = "pep.attainment_added"
    ATTAINMENT_REMOVED = "pep.attainment_removed"
    TARGET_ADDED = "pep.target_added"
    TARGET_UPDATED = "pep.target_updated"
    TARGET_REMOVED = "pep.target_removed"
    TARGET_REVIEWED = "pep.target_reviewed"
    COMPLETED = "pep.completed"
    PDF_HELD = "pep.pdf_held"
    SENT_TO_VIRTUAL_SCHOOL = "pep.sent_to_virtual_school"
    CORRECTION_STARTED = "pep.correction_started"
    SETTINGS_CHANGED = "pep.settings_changed"
    COMPLIANCE_VIEWED = "pep.compliance_viewed"
    SDQ_RECORDED = "sdq.recorded"
