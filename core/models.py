"""The audit log: who did or saw what, when, from where. Written only through
``core.audit.audit_record``; never changed or deleted."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """The audit log is append-only: the application has no way to change or remove a row."""

    def update(self, **kwargs):
        raise PermissionError("The audit log cannot be changed")

    def delete(self):
        raise PermissionError("The audit log cannot be deleted from")


class AuditEvent(models.Model):
    """Who did or saw what, when, from where. Written by services and sensitive views.

    On PostgreSQL a trigger (accounts migration 0002, from when the log lived there) refuses
    UPDATE and DELETE as well, so not even a raw query or the admin can rewrite history.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=100, db_index=True)  # dotted: "pupil.viewed"
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    # The child the event is about, when there is one: the audit page filters by it.
    pupil_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # The names of the fields that changed, their values not kept (core.audit's contract).
    fields = models.JSONField(default=list, blank=True)
    # Allow-listed values only: {"kind": ["in_care", "cin"], "page": "pupils:pupil"}. Rows
    # written before core migration 0002 hold {"field": [old, new]} for any field.
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        # The table keeps the name it was created with in accounts, where its trigger lives.
        db_table = "accounts_auditevent"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("The audit log cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log cannot be deleted from")
