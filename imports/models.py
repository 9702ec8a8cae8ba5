"""An import run: one uploaded file on its way from the upload to the outcome page.

The file waits under ``HARBOUR_VAR_DIR/imports/`` (never in the session) until the run is
committed, cancelled or fails, and is then removed. The preview's outcome per row is kept as
JSON for the outcome page; what a viewer may see of it is decided by ``imports.selectors``.
"""

from django.conf import settings
from django.db import models


class ImportRunQuerySet(models.QuerySet["ImportRun"]):
    def for_school(self, school) -> "ImportRunQuerySet":
        return self.filter(school=school)


class ImportRun(models.Model):
    class State(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        PREVIEWING = "previewing", "Checking"
        PREVIEWED = "previewed", "Checked"
        COMMITTING = "committing", "Importing"
        COMMITTED = "committed", "Imported"
        FAILED = "failed", "Not imported"
        CANCELLED = "cancelled", "Cancelled"

    RUNNING = (State.UPLOADED, State.PREVIEWING, State.COMMITTING)
    FINISHED = (State.COMMITTED, State.FAILED, State.CANCELLED)
    # What the audit log keeps of a run (core.audit): never the file's name.
    audit_values = frozenset({"kind", "format", "sha256", "rows", "bytes", "step"})

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)  # a key of imports.registry
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.UPLOADED)
    file_name = models.CharField(max_length=200)
    file_sha256 = models.CharField(max_length=64)
    file_format = models.CharField(max_length=10, blank=True)  # "csv", "ctf"
    # Relative to HARBOUR_VAR_DIR/imports; empty once the file is removed.
    file_path = models.CharField(max_length=200, blank=True)
    today = models.DateField(help_text="The day the file is read as of")
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    notices = models.JSONField(default=list, blank=True)
    rows = models.JSONField(default=list, blank=True)
    # Why the run failed, in words a teacher can act on ("" while it has not).
    failure = models.TextField(blank=True)
    # The preview refused no row and had something to import.
    can_commit = models.BooleanField(default=False)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "-created_at"])]

    def __str__(self) -> str:
        # Not the file's name: people name files after children, and this goes in the audit log.
        return f"Import {self.pk} ({self.kind})"

    @property
    def running(self) -> bool:
        return self.state in self.RUNNING

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)
