"""What the audit log calls the events of safeguarding concerns. Every one of them is about a
record marked SAFEGUARDING, so ``core.sensitivity`` keeps them from anyone who may not know a
concern exists (``register_safeguarding_actions`` in ``ConcernsConfig.ready``)."""

from core.audit import AuditAction


class ConcernAction(AuditAction):
    RAISED = "concern.raised"
    VIEWED = "concern.viewed"
    LISTED = "concern.listed"
    RAISE_FORM_OPENED = "concern.raise_form_opened"  # it lists the children of the school
    ACTION_RECORDED = "concern.action_recorded"
    DECISION_RECORDED = "concern.decision_recorded"
    CLOSED = "concern.closed"
    REOPENED = "concern.reopened"
    ADDENDUM_ADDED = "concern.addendum_added"
    LINKED = "concern.linked"
    CHILD_LINKED = "concern.child_linked"  # the DSL team linked a typed name to a child
    LINK_CANDIDATE_SHOWN = "concern.link_candidate_shown"  # a child found by the DSL's search
    SETTINGS_CHANGED = "concern.settings_changed"
    RETENTION_LISTED = "concern.retention_listed"
    CHRONOLOGY_VIEWED = "concern.chronology_viewed"
    CHRONOLOGY_PDF_DOWNLOADED = "concern.chronology_pdf_downloaded"
    CP_FILE_VIEWED = "cp_file.viewed"
    CP_FILE_SENT = "cp_file.sent"
    CP_FILE_RECEIPT_CONFIRMED = "cp_file.receipt_confirmed"
    CP_FILE_RECEIPT_CHASED = "cp_file.receipt_chased"
