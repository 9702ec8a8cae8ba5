"""Reading the outbox."""

from django.db.models import QuerySet

from notifications.models import OutboxMessage

# What the outbox list shows. The bodies and the attachment (a PEP's PDF can be large) stay in
# the database until someone opens the message.
_LIST_FIELDS = (
    "school_id",
    "recipient",
    "subject",
    "about_label",
    "state",
    "attempts",
    "last_error",
    "created_at",
    "sent_at",
)


def outbox_messages() -> QuerySet[OutboxMessage]:
    """Every message, newest first, with only the columns the list needs. Narrow it to a
    school with ``accounts.access.school_records``."""
    return OutboxMessage.objects.only(*_LIST_FIELDS).order_by("-created_at", "-pk")


def outbox_message_detail() -> QuerySet[OutboxMessage]:
    """Messages with everything but the attachment's bytes, for one message's page."""
    return OutboxMessage.objects.defer("attachment")
