"""What the reports app keeps of its own: the school's report settings, the whole school's
attainment (the peer comparison), the termly attainment of children previously in care or with
a social worker (children in care have theirs in their PEP), the training record, and each
governors' or termly report with its narratives and publication."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.report_sections import DEFAULT_THRESHOLD


class ReportSettings(models.Model):
    """A school's choices for its reports. Defaults: groups of fewer than 5 children are not
    shown in a governors' report; the designated teacher and the DSL each train for 2 days a
    year (the Hertfordshire policies in seeds/; DOMAIN.md)."""

    school = models.OneToOneField(
        "schools.School", on_delete=models.CASCADE, related_name="report_settings"
    )
    small_group_threshold = models.PositiveSmallIntegerField(
        "show groups smaller than this as 'fewer than N'",
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(2), MaxValueValidator(20)],
    )
    expected_training_days = models.DecimalField(
        "training days expected each year of the designated teacher and the DSL",
        max_digits=4,
        decimal_places=1,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    hours_per_training_day = models.DecimalField(
        max_digits=3, decimal_places=1, default=Decimal("6"), validators=[MinValueValidator(1)]
    )

    audit_values = frozenset(
        {"small_group_threshold", "expected_training_days", "hours_per_training_day"}
    )

    class Meta:
        verbose_name_plural = "report settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(small_group_threshold__gte=2), name="small_group_threshold_at_least_2"
            )
        ]

    def __str__(self) -> str:
        return f"Report settings for {self.school}"


class PeerAttainment(models.Model):
    """The whole school's attainment in a subject for a term: the percentage of all pupils at
    ``point`` or above (a point of the school's PEP scale, ``peps.models.SCALE_VALUES``).
    Entered by the designated teacher from the school's own assessment data."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey("schools.Term", on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=100)
    point = models.CharField("scale point", max_length=30)
    percent_at_or_above = models.DecimalField(
        "percentage of all pupils at this point or above",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    audit_values = frozenset({"term", "subject", "point", "percent_at_or_above"})

    class Meta:
        ordering = ["subject", "point"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "term", "subject", "point"], name="one_peer_figure_per_point"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.point}+: {self.percent_at_or_above}%"


class TermlyAttainment(models.Model):
    """A child previously in care or with a social worker: their attainment in a subject this
    term, on the school's PEP scale (a child in care's is in their PEP)."""

    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey("schools.Term", on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=100)
    current = models.CharField(max_length=30)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    audit_values = frozenset({"term", "subject", "current"})

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "term", "subject"], name="one_termly_attainment_per_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.current}"


class TrainingKind(models.TextChoices):
    DESIGNATED_TEACHER = "designated_teacher", "Designated teacher training"
    SAFEGUARDING = "safeguarding", "Designated safeguarding lead training"
    ATTACHMENT = "attachment", "Whole-staff: attachment and trauma-informed practice"
    OTHER = "other", "Other training about these children"


class TrainingRecord(models.Model):
    """One course or session: what, when, how long, who attended (staff members, and for a
    whole-staff session how many staff)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    course = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=TrainingKind.choices)
    date = models.DateField()
    hours = models.DecimalField(
        max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    provider = models.CharField(max_length=200, blank=True)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # A whole-staff session: how many staff attended (the named attendees may be only the leads).
    staff_attending = models.PositiveSmallIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    audit_values = frozenset({"kind", "date", "hours", "staff_attending", "attendees"})

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["school", "date"])]

    def __str__(self) -> str:
        return f"{self.course} ({self.date:%d %b %Y})"


class GovernorsReport(models.Model):
    """A report made from the data: the governors' annual report for a school year, or the
    termly report to the head. Each PDF made of it is a ``core.models.ReportRun``; ``run`` is
    the latest. Governors download it once the designated teacher or head publishes it."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", "Governors' annual report"
        TERMLY = "termly", "Termly report to the headteacher"

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    academic_year = models.PositiveSmallIntegerField()
    term = models.ForeignKey(
        "schools.Term", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # {section key: the designated teacher's short narrative}: printed in the PDF under the
    # section. Kept with the report, never in the audit log.
    narratives = models.JSONField(default=dict, blank=True)
    run = models.ForeignKey(
        "core.ReportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    audit_values = frozenset({"kind", "academic_year", "term", "section"})

    class Meta:
        ordering = ["-academic_year", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="annual", term__isnull=True)
                | Q(kind="termly", term__isnull=False),
                name="termly_report_has_a_term",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(kind="annual"),
                name="only_annual_reports_are_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.academic_year}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
