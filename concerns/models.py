"""Safeguarding concerns: what a member of staff saw or heard, and what the DSL team did about it.

KCSIE 2024 paras 66-67 (DOMAIN.md 7.3): a written record of every concern, discussion and
decision with its reasons, how it was followed up, and the outcome. A record that must stand in
court is never changed after it is written: a concern, its body-map marks, each action, each
decision and each addendum is inserted once and then only read. A correction is an
``Addendum`` saying who wrote it and when; the status of a concern (open or closed) is the latest
closing or reopening ``Decision``, not a field that changes.

Enforced twice: ``AppendOnly`` (the model and its queryset refuse to save an existing row,
``update()`` and ``delete()``), and on PostgreSQL a trigger on each table refuses UPDATE and
DELETE (migration 0002), so neither a bug nor a person at a SQL prompt alters a record.

Every row here is marked ``Sensitivity.SAFEGUARDING`` (``core.sensitivity``): shown in full to
the DSL team and the head, as "a safeguarding record exists" to the designated teacher, and not
at all to anyone else; the person who raised a concern reads that one concern back.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.sensitivity import Sensitivity


class ConcernRecordChanged(Exception):
    """A concern's record is written once and never changed or deleted (KCSIE; DESIGN.md)."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ConcernRecordChanged(f"{self.model.__name__} rows are never changed: add an addendum")

    def delete(self):
        raise ConcernRecordChanged(f"{self.model.__name__} rows are never deleted")

    # bulk_update goes through update(); bulk_create is an insert and allowed.


class AppendOnly(models.Model):
    """Inserted once, then only read."""

    sensitivity = Sensitivity.SAFEGUARDING

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ConcernRecordChanged(
                f"{type(self).__name__} {self.pk} is never changed: add an addendum"
            )
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ConcernRecordChanged(f"{type(self).__name__} rows are never deleted")


class Category(models.Model):
    """A kind of concern, with the guidance a member of staff reads before choosing it. Seeded
    with the categories of KCSIE 2024 Part one (migration 0003); the school administrator
    keeps the list in the Django admin. Retired categories stay for the concerns that used them."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    guidance = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Concern(AppendOnly):
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    # A concern may be about several children (siblings, a group): each is audited on its own.
    pupils: models.ManyToManyField = models.ManyToManyField(
        "pupils.Pupil", through="ConcernPupil", related_name="+"
    )

    class Source(models.TextChoices):
        STAFF = "staff", "A member of staff"
        # A child's answer to "is there anything that makes you feel unsafe?" in a request for
        # views before a PEP meeting (``pupils.safety_hooks``): nobody in Harbour raised it.
        PEP_CONTRIBUTION = "pep_contribution", "An answer given before a PEP meeting"

    # None when the concern came from outside Harbour's users (``source`` says where, and
    # ``given_by`` who gave it).
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.STAFF)
    given_by = models.CharField("who gave it", max_length=200, blank=True)
    # The record it came from ("peps.contributionrequest" and its pk): a reference only, not a
    # foreign key, so concerns depends on no other feature app.
    source_model = models.CharField(max_length=60, blank=True)
    source_id = models.PositiveIntegerField(null=True, blank=True)
    raised_at = models.DateTimeField(auto_now_add=True)
    # The child as the person raising the concern named them, typed: a member of staff who may
    # not see the cohort is never shown a list of Harbour's children (that list would tell them
    # which children are in care). The DSL team links the concern to a child in Harbour
    # afterwards (a ``ConcernPupil`` row saying who linked it and when).
    child_name = models.CharField("the child's name, as typed", max_length=200, blank=True)
    child_class = models.CharField("year group or class, as typed", max_length=100, blank=True)
    child_details = models.TextField("anything else about who the child is", blank=True)
    seen_at = models.DateTimeField("when it was seen or heard")
    location = models.CharField("where", max_length=200)
    categories: models.ManyToManyField = models.ManyToManyField(
        Category, through="ConcernCategory", related_name="+"
    )
    account = models.TextField("what you saw or heard, in your own words")
    immediate_risk = models.BooleanField("the child is at immediate risk of harm")

    audit_values = frozenset({"immediate_risk", "categories", "status", "pupils", "source"})

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            # Only a concern from outside Harbour's users has nobody who raised it.
            models.CheckConstraint(
                condition=Q(raised_by__isnull=False) | ~Q(source="staff"),
                name="a_staff_concern_says_who_raised_it",
            ),
        ]

    def __str__(self) -> str:
        return f"Concern {self.pk}"

    @property
    def raised_by_label(self) -> str:
        """Who raised it, in a DSL's words: the member of staff, or who gave it and where."""
        if self.raised_by is not None:
            return self.raised_by.full_name
        return f"{self.given_by} ({self.get_source_display().lower()})"

    @property
    def reference(self) -> str:
        return f"C{self.pk:05d}"


class ConcernPupil(AppendOnly):
    """A child the concern is about: chosen by the person raising it (``linked_by`` empty), or
    linked afterwards by the DSL team to the child the raiser named by typing (who and when,
    like an addendum: the concern itself stays as it was written)."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="children")
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="+")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(null=True, blank=True)
    link_reason = models.CharField(
        "how the DSL team knows it is this child", max_length=300, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["concern", "pupil"], name="one_row_per_concern_child"),
            models.CheckConstraint(
                condition=(Q(linked_by__isnull=True) & Q(linked_at__isnull=True))
                | (Q(linked_by__isnull=False) & Q(linked_at__isnull=False)),
                name="a_link_says_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Child of concern {self.concern_id}"


class ConcernCategory(AppendOnly):
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["concern", "category"], name="one_row_per_concern_category"
            )
        ]

    def __str__(self) -> str:
        return f"Category of concern {self.concern_id}"


class BodyRegion(models.TextChoices):
    """Where on the body map a mark is: the list the no-script form offers, and what the text
    alternative reads out for a mark placed by clicking."""

    HEAD = "head", "Head"
    FACE = "face", "Face"
    NECK = "neck", "Neck"
    CHEST = "chest", "Chest"
    ABDOMEN = "abdomen", "Abdomen"
    UPPER_BACK = "upper_back", "Upper back"
    LOWER_BACK = "lower_back", "Lower back"
    BUTTOCKS = "buttocks", "Buttocks"
    LEFT_UPPER_ARM = "left_upper_arm", "Left upper arm"
    LEFT_FOREARM = "left_forearm", "Left forearm"
    LEFT_HAND = "left_hand", "Left hand"
    RIGHT_UPPER_ARM = "right_upper_arm", "Right upper arm"
    RIGHT_FOREARM = "right_forearm", "Right forearm"
    RIGHT_HAND = "right_hand", "Right hand"
    LEFT_THIGH = "left_thigh", "Left thigh"
    LEFT_LOWER_LEG = "left_lower_leg", "Left lower leg"
    LEFT_FOOT = "left_foot", "Left foot"
    RIGHT_THIGH = "right_thigh", "Right thigh"
    RIGHT_LOWER_LEG = "right_lower_leg", "Right lower leg"
    RIGHT_FOOT = "right_foot", "Right foot"
    GENITAL_AREA = "genital_area", "Genital area"


class BodyMark(AppendOnly):
    """Where an injury was seen, on the front or back outline (static/concerns/body-*.svg)."""

    class Side(models.TextChoices):
        FRONT = "front", "Front"
        BACK = "back", "Back"

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="marks")
    side = models.CharField(max_length=5, choices=Side.choices)
    region = models.CharField(max_length=20, choices=BodyRegion.choices)
    # Where on the outline it was clicked, in per cent of its width and height; empty when it
    # was chosen from the list without script.
    x = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    y = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    description = models.CharField(max_length=300)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(x__isnull=True) & Q(y__isnull=True))
                | (Q(x__gte=0) & Q(x__lte=100) & Q(y__gte=0) & Q(y__lte=100)),
                name="body_mark_inside_the_outline",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()}, {self.get_region_display().lower()}: {self.description}"


class Action(AppendOnly):
    """Something the DSL team did: who, what, when (KCSIE: "how it was followed up")."""

    class Kind(models.TextChoices):
        TRIAGED = "triaged", "Reviewed (triage)"
        SPOKE_TO_CHILD = "spoke_to_child", "Spoke to the child"
        INFORMED_PARENTS = "informed_parents", "Informed the parents or carers"
        CONSULTED_SOCIAL_WORKER = "consulted_social_worker", "Consulted the social worker"
        REFERRAL_SOCIAL_CARE = "referral_social_care", "Referral to children's social care"
        POLICE = "police", "Told the police"
        EARLY_HELP = "early_help", "Early help"
        MONITORING = "monitoring", "Continued monitoring"
        OTHER = "other", "Other"

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    taken_on = models.DateField("when")
    taken_by = models.CharField("who", max_length=200)
    details = models.TextField("what was done and said")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    audit_values = frozenset({"kind", "taken_on"})

    class Meta:
        ordering = ["taken_on", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Decision(AppendOnly):
    """A decision with its reason (KCSIE para 67). Closing or reopening a concern is a decision
    too: the concern's status is its latest one."""

    class Kind(models.TextChoices):
        DECISION = "decision", "Decision"
        CLOSED = "closed", "Closed, with the outcome"
        REOPENED = "reopened", "Reopened"

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DECISION)
    decision = models.TextField("decision or outcome")
    reason = models.TextField("reason")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    audit_values = frozenset({"kind"})

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Addendum(AppendOnly):
    """A correction or later note to a concern, an action or a decision: the original stays as it
    was written, and the addendum says who added what and when."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="addenda")
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.PROTECT, related_name="addenda"
    )
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="addenda"
    )
    text = models.TextField("addendum")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at", "pk"]
        verbose_name_plural = "addenda"
        constraints = [
            models.CheckConstraint(
                condition=Q(action__isnull=True) | Q(decision__isnull=True),
                name="addendum_to_one_record",
            )
        ]

    def __str__(self) -> str:
        return f"Addendum {self.pk}"


class Link(AppendOnly):
    """Two concerns that belong together (the same incident, a pattern), with why."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="links_from")
    linked = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="links_to")
    reason = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["concern", "linked"], name="one_link_per_pair"),
            models.CheckConstraint(condition=~Q(concern=models.F("linked")), name="no_self_link"),
        ]

    def __str__(self) -> str:
        return f"Link {self.pk}"


class CpFileTransfer(models.Model):
    """The child protection file sent to the child's new school (KCSIE, DOMAIN.md 7.3): within 5
    days, separately from the pupil file, securely, with confirmation of receipt. One per
    child's leaving; filled in twice (sent, then receipt confirmed), never cleared."""

    class HowSent(models.TextChoices):
        SECURE_TRANSFER = (
            "secure_transfer",
            "Secure electronic transfer (for example CPOMS or MyConcern)",
        )
        SECURE_EMAIL = "secure_email", "Secure email"
        BY_HAND = "by_hand", "By hand, signed for"
        RECORDED_POST = "recorded_post", "Recorded delivery"

    sensitivity = Sensitivity.SAFEGUARDING

    pupil = models.OneToOneField("pupils.Pupil", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    recipient_school = models.CharField("school it was sent to", max_length=200)
    sent_on = models.DateField("date sent")
    how_sent = models.CharField(max_length=20, choices=HowSent.choices)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    receipt_confirmed_on = models.DateField(null=True, blank=True)
    receipt_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    audit_values = frozenset({"sent_on", "how_sent", "receipt_confirmed_on"})

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(receipt_confirmed_on__isnull=True)
                | Q(receipt_confirmed_by__isnull=False),
                name="confirmed_receipt_says_who",
            )
        ]

    def __str__(self) -> str:
        return "Child protection file transfer"


class ConcernSettings(models.Model):
    """A school's own safeguarding rules, kept by the DSL team (``ACT_ON_CONCERNS``). Harbour's
    defaults are product decisions, not statute (docs/concerns.md). The values are the school's,
    not a child's: the audit log keeps them."""

    school = models.OneToOneField(
        "schools.School", on_delete=models.CASCADE, related_name="concern_settings"
    )
    no_action_flag_school_days = models.PositiveSmallIntegerField(
        "flag an open concern with no action after (school days)",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    raise_window_days = models.PositiveSmallIntegerField(
        "children who left within (days) can still be chosen",
        default=120,
        validators=[MinValueValidator(0), MaxValueValidator(730)],
    )
    receipt_chase_school_days = models.PositiveSmallIntegerField(
        "remind the DSL team to chase an unconfirmed receipt after (school days)",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    audit_values = frozenset(
        {"no_action_flag_school_days", "raise_window_days", "receipt_chase_school_days"}
    )

    class Meta:
        verbose_name = "safeguarding settings"
        verbose_name_plural = "safeguarding settings"

    def __str__(self) -> str:
        return "Safeguarding settings"
