"""What the audit log calls the events of the suspension and exclusion pathway."""

from core.audit import AuditAction


class ExclusionAction(AuditAction):
    PUPIL_EXCLUSIONS_VIEWED = "pupil.exclusions_viewed"
    REGISTER_VIEWED = "exclusion.register_viewed"
    NOTICES_VIEWED = "exclusion.notices_viewed"
    RISK_OPENED = "suspension_risk.opened"
    RISK_CONSULTATION_RECORDED = "suspension_risk.consultation_recorded"
    RISK_VIRTUAL_SCHOOL_TOLD = "suspension_risk.virtual_school_told"
    RISK_CLOSED = "suspension_risk.closed"
    ALTERNATIVE_ADDED = "suspension_risk.alternative_added"
    DECIDED = "exclusion.decided"
    CANCELLED = "exclusion.cancelled"
    PROVISION_RECORDED = "exclusion.provision_recorded"
    REINTEGRATION_RECORDED = "exclusion.reintegration_recorded"
    BOARD_RECORDED = "exclusion.board_recorded"
    NOTICE_DELIVERED = "exclusion.notice_delivered"
    LETTER_DOWNLOADED = "exclusion.letter_downloaded"
    REPEATED_ALERT = "exclusion.repeated_alert"
    REDUCED_TIMETABLE_ADDED = "reduced_timetable.added"
    REDUCED_TIMETABLE_REVIEWED = "reduced_timetable.reviewed"
    SETTINGS_CHANGED = "exclusion.settings_changed"
    SETTINGS_ADDRESS_CONFIRMED = "exclusion.settings_address_confirmed"
    NOTICE_RELEASED = "exclusion.notice_released"
    WHOLE_SCHOOL_ENTERED = "exclusion.whole_school_entered"
    WHOLE_SCHOOL_VIEWED = "exclusion.whole_school_viewed"
