"""What the audit log calls attendance events."""

from core.audit import AuditAction


class AttendanceAction(AuditAction):
    PUPIL_VIEWED = "attendance.pupil_viewed"
    MARKS_IMPORTED = "attendance.marks_imported"
    CTF_IMPORTED = "attendance.ctf_imported"
    PLACEMENT_MOVE_RECORDED = "attendance.placement_move_recorded"
    PEER_FIGURES_SAVED = "attendance.peer_figures_saved"
    SETTINGS_CHANGED = "attendance.settings_changed"
    CONCERN_OPENED = "attendance.concern_opened"
    CONCERN_RECOVERED = "attendance.concern_recovered"
    CONCERN_VIEWED = "attendance.concern_viewed"
    CONCERNS_LISTED = "attendance.concerns_listed"
    NOTICE_SENT = "attendance.notice_sent"
    NOTICE_NOT_SENT = "attendance.notice_not_sent"
