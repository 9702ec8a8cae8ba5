"""Pupils, their care and social-care status over time, their contacts and the checklist that
follows a child in the cohort when they leave.

Status is a history, not a flag: the cohort group of a child on any date is derived from their
``CareEpisode`` rows (``pupils.cohort``), so a report for last year and today's list agree.

Episodes and contacts follow one convention: each applies from its ``start_date`` up to, but
not including, its ``end_date`` (the day it ended). A child whose care order ended on 14 March is
not in care on 14 March; a new episode may start that same day. A pupil's ``leaving_date`` is
different because the MIS and the CTF define it so: it is the last day on roll. Both rules are
written once, in ``pupils.periods``; the querysets and methods here call them.
"""

import datetime as dt
from typing import TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format

from accounts.roles import Capability
from pupils import periods
from pupils.upn import validate_upn


class Sex(models.TextChoices):
    """As recorded in the CTF and the school census (CBDS code set: M, F; U not known)."""

    MALE = "M", "Male"
    FEMALE = "F", "Female"
    NOT_KNOWN = "U", "Not known"


class SenStatus(models.TextChoices):
    """SEN provision. CTF ``SENprovision`` codes: N (none), K (SEN support), E (EHC plan)."""

    NONE = "none", "No special educational needs"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHC_PLAN = "ehc_plan", "Education, health and care (EHC) plan"


class Destination(models.TextChoices):
    OTHER_SCHOOL = "other_school", "Another school"
    FURTHER_EDUCATION = "further_education", "Further education"
    ELECTIVE_HOME_EDUCATION = "elective_home_education", "Elective home education"
    MOVED_AWAY = "moved_away", "Moved away"
    NOT_KNOWN = "not_known", "Not known"


class PupilQuerySet(models.QuerySet["Pupil"]):
    def for_school(self, school) -> "PupilQuerySet":
        return self.filter(school=school)

    def on_roll_on(self, day: dt.date) -> "PupilQuerySet":
        """On roll on ``day``: admitted by then, and ``day`` is no later than the last day on
        roll (``pupils.periods``)."""
        return self.filter(periods.on_roll_on_q(day))

    def not_left_by(self, day: dt.date) -> "PupilQuerySet":
        """Everyone but those who had left by ``day``: the pupils on roll and those joining
        later (the cohort list shows a child in care who starts next week)."""
        return self.exclude(periods.has_left_q(day))


class Pupil(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="pupils")
    legal_forename = models.CharField("legal first name", max_length=100)
    middle_names = models.CharField(max_length=150, blank=True)
    legal_surname = models.CharField("legal last name", max_length=100)
    preferred_forename = models.CharField("preferred first name", max_length=100, blank=True)
    preferred_surname = models.CharField("preferred last name", max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.NOT_KNOWN)
    # Blank until the school knows it. Unique within the school when set: an importer finds
    # the pupil to update by (school, upn).
    upn = models.CharField("UPN", max_length=13, blank=True, validators=[validate_upn])
    # Years above (+) or below (-) the child's age group they are taught in. Stored as an
    # offset so it stays right as the years roll over (pupils.cohort.nc_year_for).
    nc_year_offset = models.SmallIntegerField("national curriculum year offset", default=0)
    admission_date = models.DateField(null=True, blank=True)
    # The last day on roll, as the MIS and the CTF record it.
    leaving_date = models.DateField(null=True, blank=True, help_text="Last day on roll")
    destination = models.CharField(max_length=30, choices=Destination.choices, blank=True)
    destination_school_urn = models.CharField("destination school URN", max_length=7, blank=True)
    destination_school_name = models.CharField(max_length=200, blank=True)
    sen_status = models.CharField(
        "SEN status", max_length=20, choices=SenStatus.choices, default=SenStatus.NONE
    )
    ehc_plan_review_date = models.DateField("EHC plan annual review date", null=True, blank=True)
    free_school_meals = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PupilQuerySet.as_manager()

    # The values the audit log may keep (core.audit): Harbour's own choices, numbers and dates.
    # Names, text typed by staff, the date of birth and the UPN are kept by field name only.
    audit_values = frozenset(
        {
            "sex",
            "nc_year_offset",
            "admission_date",
            "leaving_date",
            "destination",
            "destination_school_urn",
            "sen_status",
            "ehc_plan_review_date",
            "free_school_meals",
            "checklist",  # the leaving checklist's items and their due dates
        }
    )

    class Meta:
        ordering = ["legal_surname", "legal_forename", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "upn"],
                condition=~Q(upn=""),
                name="one_pupil_per_upn_per_school",
            ),
            models.CheckConstraint(
                condition=Q(ehc_plan_review_date__isnull=True) | Q(sen_status="ehc_plan"),
                name="ehc_review_date_only_with_ehc_plan",
            ),
        ]
        indexes = [models.Index(fields=["school", "legal_surname", "legal_forename"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def forename(self) -> str:
        return self.preferred_forename or self.legal_forename

    @property
    def surname(self) -> str:
        return self.preferred_surname or self.legal_surname

    @property
    def display_name(self) -> str:
        """The name the child goes by: preferred names where the school has them."""
        return f"{self.forename} {self.surname}"

    @property
    def legal_name(self) -> str:
        return " ".join(
            p for p in (self.legal_forename, self.middle_names, self.legal_surname) if p
        )

    def has_left(self, day: dt.date) -> bool:
        return periods.has_left(self.leaving_date, day)

    def on_roll_on(self, day: dt.date) -> bool:
        return periods.on_roll_on(self.admission_date, self.leaving_date, day)


class EpisodeKind(models.TextChoices):
    IN_CARE = "in_care", "In care"
    PREVIOUSLY_IN_CARE = "previously_in_care", "Previously in care"
    CHILD_IN_NEED_PLAN = "child_in_need_plan", "Child in Need plan"
    CHILD_PROTECTION_PLAN = "child_protection_plan", "Child Protection plan"
    KINSHIP_CARE = "kinship_care", "Kinship care"


class LegalBasis(models.TextChoices):
    """Why a child is (or was) looked after, and how a child left care.

    In care: Children Act 1989 s20 (accommodated), s31 (care order), s38 (interim care order),
    s44 (emergency protection order), s46 (police protection), s21 (remand or arrest).
    Previously in care: DT statutory guidance 2018 and CYPA 2008 s20A (DOMAIN.md 3.1).
    """

    S20 = "s20", "Section 20: accommodated by agreement"
    S31 = "s31", "Section 31: care order"
    S38 = "s38", "Section 38: interim care order"
    S44 = "s44", "Section 44: emergency protection order"
    S46 = "s46", "Section 46: police protection"
    S21 = "s21", "Section 21: remanded or arrested"
    ADOPTION = "adoption", "Adoption"
    SPECIAL_GUARDIANSHIP_ORDER = "sgo", "Special guardianship order"
    CHILD_ARRANGEMENTS_ORDER = "cao", "Child arrangements order (formerly residence order)"
    ADOPTED_FROM_STATE_CARE_ABROAD = (
        "adopted_abroad",
        "Adopted from state care outside England and Wales",
    )


# Which legal bases fit which kind of episode; a kind not listed takes no basis.
LEGAL_BASES_FOR_KIND: dict[str, tuple[str, ...]] = {
    EpisodeKind.IN_CARE: (
        LegalBasis.S20,
        LegalBasis.S31,
        LegalBasis.S38,
        LegalBasis.S44,
        LegalBasis.S46,
        LegalBasis.S21,
    ),
    EpisodeKind.PREVIOUSLY_IN_CARE: (
        LegalBasis.ADOPTION,
        LegalBasis.SPECIAL_GUARDIANSHIP_ORDER,
        LegalBasis.CHILD_ARRANGEMENTS_ORDER,
        LegalBasis.ADOPTED_FROM_STATE_CARE_ABROAD,
    ),
}


def _basis_fits_kind() -> Q:
    fits = Q(legal_basis="")
    for kind, bases in LEGAL_BASES_FOR_KIND.items():
        fits |= Q(kind=kind, legal_basis__in=[str(b) for b in bases])
    return fits


_P = TypeVar("_P", bound=models.Model)


class PeriodQuerySet(models.QuerySet[_P]):
    """Episodes and contacts: rows with a ``start_date`` and an ``end_date`` (the day it ended),
    by the rule in ``pupils.periods``."""

    def in_force_on(self, day: dt.date) -> "PeriodQuerySet[_P]":
        return self.filter(periods.in_force_on_q(day))

    def in_force_during(self, first: dt.date, last: dt.date) -> "PeriodQuerySet[_P]":
        return self.filter(periods.in_force_during_q(first, last))


class Period:
    """The same rule on one row (``pupils.periods``)."""

    start_date: dt.date
    end_date: dt.date | None

    def in_force_on(self, day: dt.date) -> bool:
        return periods.in_force_on(self.start_date, self.end_date, day)

    def in_force_during(self, first: dt.date, last: dt.date) -> bool:
        return periods.in_force_during(self.start_date, self.end_date, first, last)

    def ended_by(self, day: dt.date) -> bool:
        return periods.ended_by(self.end_date, day)


class CareEpisode(Period, models.Model):
    """One period of care or social-care involvement: in force from ``start_date`` up to (not
    including) ``end_date``; open while ``end_date`` is empty. Written only through
    ``pupils.services.care_episode_*``, which refuse overlaps and bases that do not fit."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="care_episodes")
    kind = models.CharField(max_length=30, choices=EpisodeKind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="The day it ended")
    legal_basis = models.CharField(max_length=20, choices=LegalBasis.choices, blank=True)
    responsible_authority = models.ForeignKey(
        "schools.VirtualSchool",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_episodes",
    )
    notes = models.TextField(blank=True)
    # False when Harbour guessed the start (a CTF says "in care" but not since when): the
    # designated teacher sees it on the child's page, and no PEP notice counts from a guess
    # until someone confirms or corrects the date (peps/reminders.py).
    start_date_confirmed = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PeriodQuerySet["CareEpisode"].as_manager()

    # The values the audit log may keep (core.audit): Harbour's own choices, numbers and dates.
    # The notes are kept by field name only.
    audit_values = frozenset(
        {
            "kind",
            "start_date",
            "end_date",
            "legal_basis",
            "responsible_authority",
            "start_date_confirmed",
        }
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=periods.ends_after_start_q(),
                name="care_episode_ends_after_start",
            ),
            models.CheckConstraint(condition=_basis_fits_kind(), name="legal_basis_fits_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {date_format(self.start_date, 'j F Y')}"


class ContactKind(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    CARER = "carer", "Carer"
    PARENT = "parent", "Parent"
    VIRTUAL_SCHOOL_ADVISER = "virtual_school_adviser", "Virtual School education adviser"
    KEY_ADULT = "key_adult", "Key adult in school"


class Contact(Period, models.Model):
    """A person around the child, for a period. The key adult is a member of the school's staff
    (``user``); everyone else is a name with contact details."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=30, choices=ContactKind.choices)
    name = models.CharField(max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="key_adult_for",
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    team = models.CharField("team or organisation", max_length=150, blank=True)
    virtual_school = models.ForeignKey(
        "schools.VirtualSchool", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    relationship = models.CharField(max_length=100, blank=True)  # "Foster carer", "Mother"
    parental_responsibility = models.BooleanField(null=True, blank=True)
    # Previously-in-care children: the school may ask the Virtual School for advice about the
    # child only with the parents' consent (DT statutory guidance 2018; DESIGN.md).
    consents_to_virtual_school_advice = models.BooleanField(null=True, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="The day it ended")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PeriodQuerySet["Contact"].as_manager()

    # The values the audit log may keep (core.audit): Harbour's own choices, numbers and dates.
    # The person's name, details, relationship and the notes are kept by field name only.
    audit_values = frozenset(
        {
            "kind",
            "user",
            "virtual_school",
            "parental_responsibility",
            "consents_to_virtual_school_advice",
            "start_date",
            "end_date",
        }
    )

    class Meta:
        ordering = ["kind", "-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=periods.ends_after_start_q(),
                name="contact_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(kind="key_adult", user__isnull=False)
                | (~Q(kind="key_adult") & ~Q(name="")),
                name="contact_names_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person_name}"

    @property
    def person_name(self) -> str:
        return self.user.full_name if self.user is not None else self.name


class LeavingTask(models.Model):
    """One item of the transition checklist started when a child in the cohort leaves."""

    class Item(models.TextChoices):
        INFORMATION_SENT = "information_sent", "Information sent to the new school or college"
        CP_FILE_TRANSFERRED = (
            "cp_file_transferred",
            "Child protection file transferred by the DSL, and receipt confirmed",
        )
        LOCAL_AUTHORITY_TOLD = (
            "local_authority_told",
            "Local authority told where the child has gone",
        )

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="leaving_tasks")
    item = models.CharField(max_length=30, choices=Item.choices)
    due_date = models.DateField(null=True, blank=True)
    # Why there is no due date, when there should be one (term dates missing).
    due_date_note = models.CharField(max_length=300, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # The values the audit log may keep (core.audit); the notes are kept by field name only.
    audit_values = frozenset({"item", "due_date", "completed_on", "completed_by"})

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "item"], name="one_leaving_task_per_item"),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_by__isnull=False),
                name="completed_leaving_task_says_who",
            ),
        ]

    def __str__(self) -> str:
        return self.get_item_display()

    @property
    def is_done(self) -> bool:
        return self.completed_on is not None

    @property
    def page_url(self) -> str:
        """Where another app does this item (``pupils.leaving``), or ""."""
        from pupils.leaving import task_page_url

        return task_page_url(self.item, self.pupil_id)

    @property
    def capability(self) -> Capability:
        """Who may tick it off: the child protection file is the DSL team's (KCSIE)."""
        if self.item == self.Item.CP_FILE_TRANSFERRED:
            return Capability.ACT_ON_CONCERNS
        return Capability.EDIT_PUPILS
