"""What the audit log calls the events of accounts: signing in and out, staff and their roles."""

from core.audit import AuditAction


class AccountAction(AuditAction):
    SIGNED_IN = "user.signed_in"
    SIGNED_OUT = "user.signed_out"
    PASSWORD_SET = "user.password_set"  # noqa: S105 (an event name, not a password)
    TWO_FACTOR_ENROLLED = "user.two_factor_enrolled"
    BACKUP_CODES_REGENERATED = "user.backup_codes_regenerated"
    SCHOOL_CHOSEN = "school.chosen"
    STAFF_INVITED = "staff.invited"
    STAFF_ROLES_CHANGED = "staff.roles_changed"
