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


class ReportRun(models.Model):
    """One document Harbour makes in the background (a PEP's PDF, the governors' report): what
    was asked for, by whom, how far it has got, and the file once made.

    Rows are made by ``core.report_runs.report_run_request`` and worked by a Celery task
    (``core.tasks.report_run_render``), never in a request. ``parameters`` holds ids, flags and
    ISO dates only, never a child's name: the row is listed, logged and kept.

    The file is kept in the row (``content``), like the outbox's attachments: the web and the
    worker processes may run on different machines and the database is the one store both
    share and back up. A PEP's PDF is about 100 KB.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RENDERING = "rendering", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be made"

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=50, db_index=True)  # a key of core.report_runs's registry
    parameters = models.JSONField(default=dict, blank=True)
    # The child the document is about, when there is one: every download is audited with it.
    pupil_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    attempts = models.PositiveSmallIntegerField(default=0)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(null=True, blank=True)
    checksum = models.CharField(max_length=64, blank=True)  # sha256 of content, hex
    # Harbour's own words and the exception's class, never the exception's text: that may
    # quote what was typed about a child.
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # What the audit log may keep of a run (core.audit): its kind, one of Harbour's own names.
    audit_values = frozenset({"kind"})

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["school", "kind", "-created_at"]),
            models.Index(fields=["state", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} run {self.pk} ({self.state})"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.READY, self.State.FAILED)
