"""The suspension and exclusion pathway: risk, the Virtual School consultation, alternatives
tried, the head's decision, the statutory notices, provision, reintegration, the governing
board's review, and reduced timetables.

The rules live in ``exclusions.rules`` (pure, clock-free) and ``exclusions.services`` (the
writes); these models only hold the facts. Sources are DOMAIN.md section 2 and the school
policies in the seeds (Bushey Heath, The Leys, Bassingbourn, Offord).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q


class ExclusionSettings(models.Model):
    """One school's addresses for the statutory notices and its stricter promises (DESIGN.md:
    the statute wins, the school's stricter promise is a setting)."""

    school = models.OneToOneField(
        "schools.School", on_delete=models.CASCADE, related_name="exclusion_settings"
    )
    # DOMAIN.md 2.3: the local authority is told of every suspension and permanent exclusion.
    local_authority_email = models.EmailField("local authority exclusions team email", blank=True)
    # DOMAIN.md 2.3: the governing board is told (through its clerk), cancellations too.
    governing_board_email = models.EmailField("clerk to the governing board email", blank=True)
    # The seeds' policies (Bassingbourn 3.4, Offord): education in place from day one for a
    # child in care, where the statute asks for it from the sixth school day (DOMAIN.md 2.5).
    in_care_provision_from_day_one = models.BooleanField(default=True)
    # DOMAIN.md 2.7: local authorities commonly require the Virtual School's agreement before a
    # reduced timetable for a child in care, reviewed within six weeks. Local policy: settings.
    reduced_timetable_needs_virtual_school = models.BooleanField(default=True)
    reduced_timetable_review_weeks = models.PositiveSmallIntegerField(
        "review a reduced timetable within this many weeks", default=6
    )
    # The addresses someone in the school checked (the Virtual School contacts' rule,
    # schools.VirtualSchoolContact): Harbour sends a child's notice only to an address that
    # matches the one confirmed, so a changed address has to be confirmed again.
    local_authority_confirmed_email = models.EmailField(blank=True)
    local_authority_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    local_authority_confirmed_at = models.DateTimeField(null=True, blank=True)
    governing_board_confirmed_email = models.EmailField(blank=True)
    governing_board_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    governing_board_confirmed_at = models.DateTimeField(null=True, blank=True)

    # The two addresses are offices' addresses, never about a child: the log keeps them.
    audit_values = frozenset(
        {
            "local_authority_email",
            "governing_board_email",
            "in_care_provision_from_day_one",
            "reduced_timetable_needs_virtual_school",
            "reduced_timetable_review_weeks",
            "address",
            "confirmed",
            "recipient",
        }
    )

    # The recipients whose address these settings hold, by the prefix of their fields.
    ADDRESSES = {"local_authority": "local authority", "governing_board": "governing board"}

    def __str__(self) -> str:
        return f"Exclusion settings of {self.school}"

    def address(self, prefix: str) -> str:
        return getattr(self, f"{prefix}_email").strip()

    def is_confirmed(self, prefix: str) -> bool:
        confirmed = getattr(self, f"{prefix}_confirmed_email")
        address = self.address(prefix)
        return bool(address) and confirmed.strip().lower() == address.lower()

    def confirmed_address(self, prefix: str) -> tuple[str, str]:
        """``(email, held_because)`` for a notice to this recipient."""
        if not self.address(prefix):
            return "", f"no {self.ADDRESSES[prefix]} address in the settings"
        if not self.is_confirmed(prefix):
            return "", f"the {self.ADDRESSES[prefix]} address is not confirmed"
        return self.address(prefix), ""


class WholeSchoolSuspensions(models.Model):
    """The whole school's suspensions and permanent exclusions in a school year, entered from
    the school's own records (its census return), so the dashboard and the governors' report
    can set the children in each group against their peers."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    academic_year = models.PositiveSmallIntegerField()  # the year the school year starts in
    pupils_on_roll = models.PositiveIntegerField("pupils on roll")
    suspensions = models.PositiveIntegerField("suspensions")
    pupils_suspended = models.PositiveIntegerField("pupils suspended at least once")
    suspension_days = models.DecimalField(
        "school days of suspension", max_digits=7, decimal_places=1
    )
    permanent_exclusions = models.PositiveIntegerField("permanent exclusions")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    audit_values = frozenset(
        {
            "academic_year",
            "pupils_on_roll",
            "suspensions",
            "pupils_suspended",
            "suspension_days",
            "permanent_exclusions",
        }
    )

    class Meta:
        verbose_name_plural = "whole-school suspension figures"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year"], name="one_whole_school_figure_per_year"
            ),
            models.CheckConstraint(
                condition=Q(pupils_suspended__lte=models.F("pupils_on_roll")),
                name="pupils_suspended_within_roll",
            ),
        ]

    def __str__(self) -> str:
        return f"Whole-school suspensions {self.academic_year}"


class SuspensionRisk(models.Model):
    """A child at risk of suspension, opened by the designated teacher or the head.

    DOMAIN.md 2.3: where a child in care is likely to be suspended the DT contacts the Virtual
    School as soon as possible. The Leys policy: for a child previously in care the DT talks to
    the parents before seeking the Virtual School's advice, so their consent is recorded first.
    """

    pupil = models.ForeignKey(
        "pupils.Pupil", on_delete=models.CASCADE, related_name="suspension_risks"
    )
    opened_on = models.DateField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    behaviour = models.TextField()
    risk = models.TextField("the risk")
    parents_consent_on = models.DateField(
        "parents' consent to contact the Virtual School given on", null=True, blank=True
    )
    consulted_on = models.DateField("Virtual School consulted on", null=True, blank=True)
    adviser = models.CharField("Virtual School adviser", max_length=150, blank=True)
    advice = models.TextField("the Virtual School's advice", blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_values = frozenset({"opened_on", "consulted_on", "parents_consent_on", "closed_on"})

    class Meta:
        ordering = ["-opened_on", "-pk"]

    def __str__(self) -> str:
        return f"Risk of suspension {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class AlternativeKind(models.TextChoices):
    """The alternatives the policies name (The Leys, Bushey Heath: "the following methods to
    avoid suspending or excluding a child")."""

    SOFT_START = "soft_start", "Soft start"
    STRUCTURED_BREAK = "structured_break", "More structured break or lunchtime"
    ADULT_TIME = "adult_time", "Additional adult time or attention"
    SEMH = "semh", "Social, emotional and mental health (SEMH) provision"
    THERAPY = "therapy", "Therapy"
    NURTURE = "nurture", "Nurture room support"
    POSITIVE_REGARD = "positive_regard", "Positive Regard principles"
    PREDICT_PREVENT = "predict_prevent", "Predict and Prevent"
    THERAPEUTIC_THINKING = "therapeutic_thinking", "Therapeutic Thinking risk assessment"
    REDUCED_TIMETABLE = "reduced_timetable", "Short-term reduced timetable"
    OTHER = "other", "Something else"


class AlternativeTried(models.Model):
    risk = models.ForeignKey(SuspensionRisk, on_delete=models.CASCADE, related_name="alternatives")
    kind = models.CharField(max_length=30, choices=AlternativeKind.choices)
    other = models.CharField("what was tried", max_length=200, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_values = frozenset({"kind", "started_on", "ended_on"})

    class Meta:
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return self.other if self.kind == AlternativeKind.OTHER else self.get_kind_display()


class Reason(models.TextChoices):
    """The DfE's reason categories for a suspension or permanent exclusion (the school census's
    exclusion reason codes). ⚠ Not in DOMAIN.md and not checked against the DfE's Common Basic
    Data Set: docs/exclusions.md ("The reason list") says where it comes from and what is open.
    """

    PHYSICAL_ASSAULT_PUPIL = "PP", "Physical assault against a pupil"
    PHYSICAL_ASSAULT_ADULT = "PA", "Physical assault against an adult"
    VERBAL_ABUSE_PUPIL = "VP", "Verbal abuse or threatening behaviour against a pupil"
    VERBAL_ABUSE_ADULT = "VA", "Verbal abuse or threatening behaviour against an adult"
    OFFENSIVE_WEAPON = "OW", "Use or threat of use of an offensive weapon or prohibited item"
    BULLYING = "BU", "Bullying"
    RACIST_ABUSE = "RA", "Racist abuse"
    LGBT_ABUSE = "LG", "Abuse against sexual orientation or gender identity"
    DISABILITY_ABUSE = "DS", "Abuse relating to disability"
    SEXUAL_MISCONDUCT = "SM", "Sexual misconduct"
    DRUGS_ALCOHOL = "DA", "Drug and alcohol related"
    DAMAGE = "DM", "Damage"
    THEFT = "TH", "Theft"
    ONLINE = "MT", "Inappropriate use of social media or online technology"
    PUBLIC_HEALTH = "PH", "Wilful and repeated transgression of protective public health measures"
    DISRUPTION = "PD", "Persistent or general disruptive behaviour"
    OTHER = "OT", "Other"


class Exclusion(models.Model):
    """A suspension or a permanent exclusion, decided by the head (DOMAIN.md 2.2: only the
    headteacher may suspend or permanently exclude).

    ``last_day`` and ``return_date`` are computed by ``exclusions.rules`` from the school's term
    dates when it is decided, and kept, so the register and the notices say what was decided.
    """

    class Kind(models.TextChoices):
        SUSPENSION = "suspension", "Suspension"
        PERMANENT = "permanent", "Permanent exclusion"

    class Unit(models.TextChoices):
        DAYS = "days", "School days"
        # DOMAIN.md 2.2: a suspension can be for part of a day; a lunchtime counts as half.
        LUNCHTIMES = "lunchtimes", "Lunchtimes"

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Upheld"
        REINSTATED = "reinstated", "Reinstated"
        DECLINED = "declined", "Board declined to reinstate"

    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.CASCADE, related_name="exclusions")
    risk = models.ForeignKey(
        SuspensionRisk, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    start_date = models.DateField("first day")
    unit = models.CharField(max_length=12, choices=Unit.choices, default=Unit.DAYS)
    length = models.PositiveSmallIntegerField(null=True, blank=True)  # none when permanent
    last_day = models.DateField(null=True, blank=True)
    return_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=2, choices=Reason.choices)
    account = models.TextField("what happened")
    public_exam_missed = models.BooleanField(default=False)
    # DOMAIN.md 2.3, the seeds: a child in care is not suspended before the Virtual School is
    # consulted; when it could not happen first, the head says why, and every report shows it.
    no_consultation_reason = models.TextField(blank=True)
    decided_on = models.DateField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    in_care = models.BooleanField(default=False)  # on the first day, when decided
    cancelled_on = models.DateField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.TextField(blank=True)
    # DOMAIN.md 2.5: education during the exclusion.
    provision = models.TextField("education arranged", blank=True)
    provision_from = models.DateField(null=True, blank=True)
    # DOMAIN.md 2.5: reintegration.
    reintegration_on = models.DateField("reintegration meeting", null=True, blank=True)
    reintegration_attendees = models.TextField("who attended", blank=True)
    reintegration_plan = models.TextField(blank=True)
    # DOMAIN.md 2.4: the governing board.
    parents_asked_for_meeting = models.BooleanField(default=False)
    board_met_on = models.DateField(null=True, blank=True)
    board_decision = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    independent_review_requested = models.BooleanField(default=False)
    independent_review_outcome = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_values = frozenset(
        {
            "kind",
            "start_date",
            "unit",
            "length",
            "last_day",
            "return_date",
            "reason",
            "public_exam_missed",
            "decided_on",
            "in_care",
            "cancelled_on",
            "provision_from",
            "reintegration_on",
            "parents_asked_for_meeting",
            "board_met_on",
            "board_decision",
            "independent_review_requested",
            "emergency",
        }
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="suspension") & Q(length__gte=1))
                | (Q(kind="permanent") & Q(length__isnull=True)),
                name="suspension_has_length_permanent_has_none",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def is_permanent(self) -> bool:
        return self.kind == self.Kind.PERMANENT

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_on is not None

    @property
    def days(self) -> Decimal:
        """Its length in school days: a lunchtime is half a day (DOMAIN.md 2.2)."""
        if self.length is None:
            return Decimal(0)
        if self.unit == self.Unit.LUNCHTIMES:
            return Decimal(self.length) / 2
        return Decimal(self.length)

    @property
    def emergency(self) -> bool:
        """Decided for a child in care without the Virtual School consulted first."""
        return bool(self.no_consultation_reason)


class Recipient(models.TextChoices):
    """Who must be told (DOMAIN.md 2.3)."""

    PARENTS = "parents", "Parents or carers"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    SOCIAL_WORKER = "social_worker", "Social worker"
    VIRTUAL_SCHOOL = "virtual_school", "Virtual School"
    GOVERNING_BOARD = "governing_board", "Governing board"


class StatutoryNotice(models.Model):
    """One notice to one recipient about one exclusion: the decision, or its cancellation.

    Sent by email through the outbox when Harbour has an address; a letter (a tagged PDF made
    by the worker) is always available to post or hand over, and staff record that. A notice is
    sent when its email left the outbox or staff recorded it delivered; one not sent by the end
    of the next school day (``due_by``) is flagged to the head by the daily sweep.
    """

    class Purpose(models.TextChoices):
        DECISION = "decision", "Decision"
        CANCELLATION = "cancellation", "Cancellation"
        AT_RISK = "at_risk", "Child likely to be suspended"

    exclusion = models.ForeignKey(
        Exclusion, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    risk = models.ForeignKey(
        SuspensionRisk, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    recipient = models.CharField(max_length=20, choices=Recipient.choices)
    email = models.EmailField(blank=True)
    # Why Harbour could not email it ("no address recorded"): Harbour's own words.
    held_because = models.CharField(max_length=200, blank=True)
    message = models.ForeignKey(
        "notifications.OutboxMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_by = models.DateField()
    delivered_at = models.DateTimeField(null=True, blank=True)  # recorded by staff (post, hand)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    head_told_on = models.DateField(null=True, blank=True)  # flagged as late by the sweep
    created_at = models.DateTimeField(auto_now_add=True)

    audit_values = frozenset({"purpose", "recipient", "due_by", "delivered_at"})

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"Notice {self.pk} to {self.get_recipient_display()}"

    @property
    def sent_at(self):
        """When it went: the outbox's sending time, or when staff recorded delivering it."""
        if self.message is not None and self.message.sent_at is not None:
            return self.message.sent_at
        return self.delivered_at


class ReducedTimetable(models.Model):
    """A part-time timetable (DOMAIN.md 2.7): exceptional, temporary, agreed with the parent,
    reviewed regularly. Sessions it covers are coded C2 in the attendance register: the
    attendance app links its C2 marks to this by the child and the date range only (feature
    apps do not import each other)."""

    pupil = models.ForeignKey(
        "pupils.Pupil", on_delete=models.CASCADE, related_name="reduced_timetables"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    reason = models.TextField()
    parent_agreed_on = models.DateField("agreed with the parent on")
    virtual_school_agreed_on = models.DateField(null=True, blank=True)
    review_on = models.DateField("review date")
    reviewed_on = models.DateField(null=True, blank=True)
    reminder_sent_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    audit_values = frozenset(
        {
            "starts_on",
            "ends_on",
            "hours_per_week",
            "parent_agreed_on",
            "virtual_school_agreed_on",
            "review_on",
            "reviewed_on",
        }
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"Reduced timetable {self.pk}"
