"""What the audit log calls the events of the dashboard, the reports and the training record."""

from core.audit import AuditAction


class ReportAction(AuditAction):
    DASHBOARD_VIEWED = "dashboard.viewed"
    DASHBOARD_EXPORTED = "dashboard.exported"
    REPORT_REQUESTED = "governors_report.requested"
    NARRATIVE_CHANGED = "governors_report.narrative_changed"
    PUBLISHED = "governors_report.published"
    DRAFT_DOWNLOADED = "governors_report.draft_downloaded"
    DOWNLOADED = "governors_report.downloaded"
    SETTINGS_CHANGED = "report_settings.changed"
    PEER_ATTAINMENT_RECORDED = "peer_attainment.recorded"
    PEER_ATTAINMENT_IMPORTED = "peer_attainment.imported"
    TERMLY_ATTAINMENT_LISTED = "termly_attainment.listed"
    TERMLY_ATTAINMENT_RECORDED = "termly_attainment.recorded"
    TRAINING_RECORDED = "training.recorded"
