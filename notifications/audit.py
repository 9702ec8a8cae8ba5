"""What the audit log calls the events of the outbox."""

from core.audit import AuditAction


class OutboxAction(AuditAction):
    VIEWED = "outbox.viewed"
    RETRIED = "outbox.retried"
