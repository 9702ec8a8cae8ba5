from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from core.sensitivity import Sensitivity


class OutboxMessage(models.Model):
    """Every email Harbour sends. Services add a row inside their own transaction, so a message
    exists exactly when the change that caused it was committed; a worker sends it later."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    audit_values = frozenset({"state"})  # what the audit log keeps (core.audit)

    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.EmailField()
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.BinaryField(null=True, blank=True)
    # What the message is about, for the outbox page and for finding it again.
    about_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    about_id = models.CharField(max_length=64, blank=True)
    about_label = models.CharField(max_length=200, blank=True)
    # Whose set-password link the worker puts into the message as it sends it. The stored
    # bodies hold only notifications.services.SET_PASSWORD_LINK, never a working link.
    set_password_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The child the message is about, when there is one, and which email it is
    # ("pep_completed"): from these the outbox pages describe a message to a viewer who may not
    # see children, without its subject (accounts.redaction).
    about_pupil_id = models.BigIntegerField(null=True, blank=True)
    template = models.CharField(max_length=100, blank=True)
    # A message that tells of a safeguarding record (a concern raised) is SAFEGUARDING: the
    # outbox shows its subject and body only to those who may act on concerns
    # (core.sensitivity, notifications.selectors).
    sensitivity = models.CharField(
        max_length=16, choices=Sensitivity.choices, default=Sensitivity.ORDINARY
    )
    # Saying the same thing twice is refused by the database: "pep-123-v2-virtual-school".
    dedupe_key = models.CharField(max_length=200, unique=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            # The outbox page: one school's messages, newest first.
            models.Index(fields=["school", "-created_at"]),
        ]

    def __str__(self) -> str:
        # Not the subject: it can name a child, and this is what the audit log stores.
        return f"Message {self.pk} to {self.recipient} ({self.state})"
