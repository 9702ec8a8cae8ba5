"""What the audit log calls the steps of an import run."""

from core.audit import AuditAction


class ImportAction(AuditAction):
    UPLOADED = "import.uploaded"
    PREVIEWED = "import.previewed"
    FAILED = "import.failed"
    COMMIT_REQUESTED = "import.commit_requested"
    COMMITTED = "import.committed"
    COMMIT_FAILED = "import.commit_failed"
    CANCELLED = "import.cancelled"
