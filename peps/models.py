"""Personal Education Plans: the termly meeting record, its targets and their reviews, the
child's SDQ scores, and the school's PEP settings.

A PEP belongs to one child and one school term (DOMAIN.md 3.2: a PEP review every school term;
Harbour settles one PEP per child in care per term). It is written as a draft and completed
when whole (``peps.services.pep_complete``); a completed PEP is locked. A correction is a new
version that copies the completed one (``pep_correct``) and, once completed itself, supersedes
it: the old version stays readable, marked superseded.

Everything a teacher types is saved through ``peps.services``; these models hold no rules
beyond what the database can guard (one completed and one draft PEP per child and term, scores
in range, no negative PP+).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from peps.sdq import Informant
from pupils.models import SenStatus


class AttainmentScale(models.TextChoices):
    """The scale a school reports attainment on. Primary: the key stage standards teachers
    assess against; secondary: GCSE grades 9 to 1 (and U)."""

    PRIMARY = "primary", "Primary standards (working towards, expected, greater depth)"
    SECONDARY = "secondary", "Secondary grades (9 to 1)"


# The values a teacher may enter for current and expected attainment, per scale, best last.
SCALE_VALUES: dict[str, tuple[str, ...]] = {
    AttainmentScale.PRIMARY: (
        "Pre-key stage",
        "Working towards",
        "Expected",
        "Greater depth",
    ),
    AttainmentScale.SECONDARY: ("U", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
}


class PepSettings(models.Model):
    """A school's own PEP rules. Harbour's defaults are the product decisions of DOMAIN.md
    ("How Harbour settles"): the first PEP within 20 school days, "due" from 15 school days
    before the deadline; a school may set a stricter rule, never a laxer one."""

    school = models.OneToOneField(
        "schools.School", on_delete=models.CASCADE, related_name="pep_settings"
    )
    first_pep_school_days = models.PositiveSmallIntegerField(
        "first PEP within (school days)",
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="School days after the child comes into care or joins the school",
    )
    due_window_school_days = models.PositiveSmallIntegerField(
        "show as due from (school days before the deadline)",
        default=15,
        validators=[MinValueValidator(15), MaxValueValidator(60)],
    )
    termly_deadline_school_days_before_end = models.PositiveSmallIntegerField(
        "termly PEP held by (school days before the end of term)",
        default=0,
        validators=[MaxValueValidator(30)],
        help_text="0: by the last school day of the term",
    )
    attainment_scale = models.CharField(
        max_length=10, choices=AttainmentScale.choices, default=AttainmentScale.SECONDARY
    )
    updated_at = models.DateTimeField(auto_now=True)

    # The settings are the school's, not a child's: the audit log keeps their values.
    audit_values = frozenset(
        {
            "first_pep_school_days",
            "due_window_school_days",
            "termly_deadline_school_days_before_end",
            "attainment_scale",
        }
    )

    class Meta:
        verbose_name = "PEP settings"
        verbose_name_plural = "PEP settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(first_pep_school_days__gte=1, first_pep_school_days__lte=20),
                name="first_pep_no_later_than_20_school_days",
            ),
            models.CheckConstraint(
                condition=Q(due_window_school_days__gte=15),
                name="due_window_at_least_15_school_days",
            ),
        ]

    def __str__(self) -> str:
        return f"PEP settings for {self.school}"


class PersonalEducationPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETED = "completed", "Completed"
        # A completed version that a later completed correction replaced.
        SUPERSEDED = "superseded", "Superseded by a correction"

    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="peps")
    term = models.ForeignKey("schools.Term", on_delete=models.PROTECT, related_name="peps")
    version = models.PositiveSmallIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    correction_reason = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)

    # The values the audit log may keep about a PEP and its parts (core.audit): Harbour's own
    # choices, numbers and record ids. What staff type (the meeting's notes, a subject, a
    # target, an attendee's name, a correction's reason) is kept by field name only.
    audit_values = frozenset(
        {
            "term",
            "version",
            "status",
            "corrects_version",
            "role",  # an attendee's role
            "attainment",  # an attainment record's id
            "target",  # a target's id
            "area",
            "pp_plus_amount",
            "outcome",
            "first_review",
            "targets",  # how many
            "pp_plus_requested",
            "held_because",  # Harbour's code for why a PDF was not sent
            "virtual_school",  # its LA code
        }
    )

    # The meeting
    meeting_date = models.DateField(null=True, blank=True)
    meeting_place = models.CharField(max_length=200, blank=True)
    next_meeting_date = models.DateField("date of the next PEP meeting", null=True, blank=True)

    # The child's voice, in their own words
    voice_going_well = models.TextField("what is going well", blank=True)
    voice_hard = models.TextField("what is hard", blank=True)
    voice_would_like = models.TextField("what they would like", blank=True)
    voice_how_helped = models.TextField("how they like to be helped", blank=True)
    voice_how_gathered = models.TextField("how their views were gathered", blank=True)

    carer_views = models.TextField("carer's views", blank=True)
    social_worker_views = models.TextField("social worker's views", blank=True)
    # The Virtual School's education adviser (the Virtual School Head's team) [S70].
    virtual_school_views = models.TextField("Virtual School adviser's views", blank=True)

    # A snapshot at the meeting: the pupil's record may change later, the plan must not.
    sen_status = models.CharField(
        "SEN status", max_length=20, choices=SenStatus.choices, blank=True
    )
    sen_notes = models.TextField("SEN needs and provision", blank=True)

    # Entered by hand until the attendance and exclusions apps fill them in.
    attendance_percent = models.DecimalField(
        "attendance this school year (%)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    suspensions = models.PositiveSmallIntegerField(
        "suspensions this school year", null=True, blank=True
    )
    suspension_days = models.DecimalField(
        "school days suspended this school year",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    attendance_notes = models.TextField("attendance and exclusions notes", blank=True)

    attainment_scale = models.CharField(
        max_length=10, choices=AttainmentScale.choices, default=AttainmentScale.SECONDARY
    )
    transition_plans = models.TextField(blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "personal education plan"
        ordering = ["-term__first_day", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "term"],
                condition=Q(status="completed"),
                name="one_completed_pep_per_pupil_and_term",
            ),
            models.UniqueConstraint(
                fields=["pupil", "term"],
                condition=Q(status="draft"),
                name="one_draft_pep_per_pupil_and_term",
            ),
            models.UniqueConstraint(
                fields=["pupil", "term", "version"], name="one_pep_per_version"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(completed_at__isnull=False) & Q(completed_by__isnull=False)),
                name="completed_pep_says_who_and_when",
            ),
            models.CheckConstraint(
                condition=Q(version=1, supersedes__isnull=True)
                | Q(version__gt=1, supersedes__isnull=False),
                name="correction_supersedes_a_version",
            ),
        ]
        indexes = [models.Index(fields=["term", "status"])]

    def __str__(self) -> str:
        version = f" (version {self.version})" if self.version > 1 else ""
        return f"PEP for {self.pupil}, {self.term}{version}"

    @property
    def is_locked(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def has_child_voice(self) -> bool:
        return any(
            (self.voice_going_well, self.voice_hard, self.voice_would_like, self.voice_how_helped)
        )


class PepAttendee(models.Model):
    class Role(models.TextChoices):
        CHILD = "child", "The child or young person"
        CARER = "carer", "Carer"
        PARENT = "parent", "Parent"
        SOCIAL_WORKER = "social_worker", "Social worker"
        DESIGNATED_TEACHER = "designated_teacher", "Designated teacher"
        VIRTUAL_SCHOOL = "virtual_school", "Virtual School"
        TEACHER = "teacher", "Teacher or key adult"
        SENCO = "senco", "SENCO"
        OTHER = "other", "Other"

    class Attendance(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Sent apologies"
        IN_WRITING = "in_writing", "Contributed in writing"

    pep = models.ForeignKey(
        PersonalEducationPlan, on_delete=models.CASCADE, related_name="attendees"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    name = models.CharField(max_length=150)
    attendance = models.CharField(max_length=10, choices=Attendance.choices)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class AttainmentRecord(models.Model):
    """Current and expected attainment in one subject, on the PEP's scale (validated by the
    service against ``SCALE_VALUES``)."""

    pep = models.ForeignKey(
        PersonalEducationPlan, on_delete=models.CASCADE, related_name="attainment"
    )
    subject = models.CharField(max_length=100)
    current = models.CharField(max_length=30)
    expected = models.CharField("expected by the end of the year", max_length=30)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["pep", "subject"], name="one_attainment_per_subject")
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.current} (expected {self.expected})"


class TargetArea(models.TextChoices):
    ACADEMIC = "academic", "Academic"
    SEMH = "semh", "Social, emotional and mental health"
    ATTENDANCE = "attendance", "Attendance"
    ASPIRATIONS = "aspirations", "Aspirations"
    OTHER = "other", "Other"


class PepTarget(models.Model):
    """A SMART target set in a PEP: what will be done (specific), how success is measured,
    who does it and by when; with the PP+ asked for to meet it (DOMAIN.md 3.3: spending linked
    to targets). Parts may be left empty in a draft; completing the PEP requires them all."""

    pep = models.ForeignKey(PersonalEducationPlan, on_delete=models.CASCADE, related_name="targets")
    area = models.CharField(max_length=20, choices=TargetArea.choices)
    action = models.TextField("what will be done", blank=True)
    success_measure = models.TextField("how success will be measured", blank=True)
    responsible = models.CharField("who will do it", max_length=200, blank=True)
    due_by = models.DateField("by when", null=True, blank=True)
    pp_plus_amount = models.DecimalField(
        "PP+ requested (£)",
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    pp_plus_purpose = models.CharField("what the PP+ will pay for", max_length=300, blank=True)
    # The target this one was copied from when a correction was made, so the PP+ ledger and
    # reviews can follow a target across versions of the same PEP.
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pp_plus_amount__gte=0), name="pp_plus_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        summary = self.action.strip().splitlines()[0] if self.action.strip() else "no action yet"
        return f"{self.get_area_display()}: {summary[:80]}"

    @property
    def missing_parts(self) -> list[str]:
        """The SMART parts not yet filled in, in the words the form uses."""
        parts = [
            ("action", "what will be done"),
            ("success_measure", "how success will be measured"),
            ("responsible", "who will do it"),
            ("due_by", "by when"),
        ]
        return [label for name, label in parts if not getattr(self, name)]


class TargetReview(models.Model):
    """A PEP's review of one target set in the previous PEP."""

    class Outcome(models.TextChoices):
        ACHIEVED = "achieved", "Achieved"
        PARTLY = "partly", "Partly achieved"
        NOT_ACHIEVED = "not_achieved", "Not achieved"

    pep = models.ForeignKey(PersonalEducationPlan, on_delete=models.CASCADE, related_name="reviews")
    target = models.ForeignKey(PepTarget, on_delete=models.PROTECT, related_name="reviews")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    evidence = models.TextField()

    class Meta:
        ordering = ["target__pk"]
        constraints = [
            models.UniqueConstraint(fields=["pep", "target"], name="one_review_per_target"),
        ]

    def __str__(self) -> str:
        return f"{self.target}: {self.get_outcome_display()}"


def _scale(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )


class SdqScore(models.Model):
    """The scale scores and impact score of one Strengths and Difficulties Questionnaire, as
    worked out on the paper form. Harbour never shows or stores the questions or the answers
    to them: the SDQ is Youthinmind's copyright (DOMAIN.md 5.4). Totals and bands are derived
    (``peps.sdq``)."""

    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="sdq_scores")
    taken_on = models.DateField("date completed")
    informant = models.CharField(max_length=20, choices=Informant.choices)
    emotional = _scale("emotional symptoms")
    conduct = _scale("conduct problems")
    hyperactivity = _scale("hyperactivity and inattention")
    peer = _scale("peer relationship problems")
    prosocial = _scale("prosocial behaviour")
    impact = models.PositiveSmallIntegerField(
        "impact score", null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    # DOMAIN.md 5.2: total difficulties is the sum of the four difficulty scales (0 to 40);
    # prosocial is not part of it. Kept in the database so lists can sort and filter on it.
    total_difficulties = models.GeneratedField(
        expression=F("emotional") + F("conduct") + F("hyperactivity") + F("peer"),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    audit_values = frozenset({"informant", "taken_on"})  # for core.audit

    class Meta:
        verbose_name = "SDQ score"
        ordering = ["-taken_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(emotional__lte=10)
                & Q(conduct__lte=10)
                & Q(hyperactivity__lte=10)
                & Q(peer__lte=10)
                & Q(prosocial__lte=10),
                name="sdq_scales_0_to_10",
            ),
            models.CheckConstraint(
                condition=Q(impact__isnull=True)
                | Q(impact__lte=10, informant__in=["carer", "young_person"])
                | Q(impact__lte=6, informant="teacher"),
                name="sdq_impact_in_range_for_informant",
            ),
        ]
        indexes = [models.Index(fields=["pupil", "informant", "-taken_on"])]

    def __str__(self) -> str:
        return f"{self.get_informant_display()} SDQ of {self.taken_on:%d/%m/%Y}"


class PepReminder(models.Model):
    """One item of a reminder already sent, so that the daily sweep tells each person about
    each child, term and kind once (weekly, for an overdue PEP): ``key`` is unique."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due within 10 school days"
        DUE_TODAY = "due_today", "Due today"
        OVERDUE = "overdue", "Overdue"
        VIRTUAL_SCHOOL_OVERDUE = "vs_overdue", "Virtual School told: 10 school days overdue"

    key = models.CharField(max_length=200, unique=True)
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey("schools.Term", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    message = models.ForeignKey(
        "notifications.OutboxMessage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.key


# The views gathered before the meeting through secure links (issue 15) live in their own
# package; imported here so Django finds their models.
from peps.contributions.models import ContributionAnswer, ContributionRequest  # noqa: E402, F401
