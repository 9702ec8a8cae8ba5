"""Pupil Premium Plus: the rates, each child's allocation for a financial year, and the ledger
of items (what the money is asked for, approved for, spent on, and what it achieved).

Money is ``Decimal`` pounds and pence (``DecimalField(decimal_places=2)``), never a float.
Financial years run 1 April to 31 March (DOMAIN.md 8) and are named by the year they start:
``2025`` is 1 April 2025 to 31 March 2026.

Who holds the money differs by group (DOMAIN.md 4.2): for a child in care the Virtual School
head manages the grant and releases it to the school, and approves what it pays for; for a
child previously in care the school receives it through the census and approves its own spend.
Everything is written through ``pupil_premium.services``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

MONEY: dict[str, Any] = {"max_digits": 9, "decimal_places": 2}
ZERO = Decimal("0.00")


def financial_year_of(day: dt.date) -> int:
    """The financial year (by its starting year) ``day`` falls in: April to March."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(year: int) -> str:
    return f"April {year} to March {year + 1}"


def financial_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


class FundingGroup(models.TextChoices):
    CIC = "cic", "Child in care"
    CPIC = "cpic", "Child previously in care"


# DOMAIN.md 4.1, per pupil per financial year; the same for both groups in every year found.
# 2026-27 was not found in the sources: a school enters it when the DfE publishes it.
NATIONAL_RATES: dict[int, Decimal] = {
    2022: Decimal("2410.00"),
    2023: Decimal("2530.00"),
    2024: Decimal("2570.00"),
    2025: Decimal("2630.00"),
}


class PpRate(models.Model):
    """A school's rate for one financial year and group, where it differs from (or fills a
    gap in) ``NATIONAL_RATES``. Edited by the head and the administrator."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    financial_year = models.PositiveSmallIntegerField()
    group = models.CharField(max_length=10, choices=FundingGroup.choices)
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(ZERO)])
    updated_at = models.DateTimeField(auto_now=True)

    audit_values = frozenset({"financial_year", "group", "amount"})

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "financial_year", "group"], name="one_pp_rate_per_year_group"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="pp_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()}, {financial_year_label(self.financial_year)}"


class AllocationSource(models.TextChoices):
    VIRTUAL_SCHOOL = "virtual_school", "Released by the Virtual School"
    CENSUS = "census", "Paid to the school through the census"


class PpAllocation(models.Model):
    """The PP+ a child has for a financial year: what the Virtual School released (a child in
    care), or the census funding the school received (a child previously in care)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(
        "pupils.Pupil", on_delete=models.PROTECT, related_name="pp_allocations"
    )
    financial_year = models.PositiveSmallIntegerField()
    group = models.CharField(max_length=10, choices=FundingGroup.choices)
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(ZERO)])
    received_on = models.DateField("date received", null=True, blank=True)
    source = models.CharField(max_length=20, choices=AllocationSource.choices)
    virtual_school = models.ForeignKey(
        "schools.VirtualSchool", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    audit_values = frozenset(
        {"financial_year", "group", "amount", "received_on", "source", "virtual_school"}
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "financial_year"], name="one_pp_allocation_per_child_year"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="pp_allocation_not_negative"),
        ]

    def __str__(self) -> str:
        return f"PP+ allocation, {financial_year_label(self.financial_year)}"


class Category(models.TextChoices):
    TUITION = "tuition", "Tuition"
    MENTORING = "mentoring", "Mentoring or key adult time"
    THERAPY = "therapy", "Therapy and emotional support"
    EQUIPMENT = "equipment", "Equipment and technology"
    ENRICHMENT = "enrichment", "Enrichment and trips"
    TRAINING = "training", "Staff training"
    OTHER = "other", "Other"


class Outcome(models.TextChoices):
    """A reviewed PEP target's outcome (the words of ``peps.TargetReview.Outcome``)."""

    ACHIEVED = "achieved", "Achieved"
    PARTLY = "partly", "Partly achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"


class PpItem(models.Model):
    """One thing PP+ is asked for, approved for and spent on. Requested → approved → spent, or
    declined (or withdrawn, when a correction of the PEP takes the request away)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        SPENT = "spent", "Spent"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn by a correction of the PEP"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="pp_items")
    group = models.CharField(max_length=10, choices=FundingGroup.choices)
    financial_year = models.PositiveSmallIntegerField()
    date = models.DateField()
    description = models.CharField(max_length=300)
    category = models.CharField(max_length=20, choices=Category.choices)
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    supplier = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)

    # The PEP target it serves: the latest version of it (a correction copies targets) and the
    # first, which stays the same across corrections so a request becomes one item, ever.
    target = models.ForeignKey(
        "peps.PepTarget", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_root = models.ForeignKey(
        "peps.PepTarget", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_pep_request = models.BooleanField(default=False)
    # For a child previously in care: how the parents were involved (optional).
    parents_involvement = models.TextField(blank=True)

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    # A child in care: the Virtual School's approval, as the DT records it.
    virtual_school_approved_on = models.DateField(null=True, blank=True)
    virtual_school_reference = models.CharField(max_length=100, blank=True)
    # Why an approval went past the remaining allocation (shown on the ledger).
    over_allocation_reason = models.TextField(blank=True)
    decline_reason = models.TextField(blank=True)
    spent_on = models.DateField(null=True, blank=True)
    spent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    impact_note = models.TextField(blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    audit_values = frozenset(
        {
            "financial_year",
            "group",
            "category",
            "amount",
            "status",
            "target",
            "outcome",
            "from_pep_request",
            "over_allocation",
            "virtual_school_approved_on",
            "spent_on",
            "remaining",
        }
    )

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["target_root"],
                condition=Q(from_pep_request=True),
                name="one_pp_item_per_pep_request",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="pp_item_amount_positive"),
            models.CheckConstraint(
                condition=~Q(group="cic") | Q(target__isnull=False),
                name="pp_item_for_child_in_care_names_a_target",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "spent"])
                | (Q(decided_by__isnull=False) & Q(decided_on__isnull=False)),
                name="pp_item_approval_says_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(group="cic", status__in=["approved", "spent"])
                | (Q(virtual_school_approved_on__isnull=False) & ~Q(virtual_school_reference="")),
                name="pp_item_in_care_approval_has_virtual_school_reference",
            ),
            models.CheckConstraint(
                condition=~Q(status="spent") | Q(spent_on__isnull=False),
                name="pp_item_spent_says_when",
            ),
        ]
        indexes = [models.Index(fields=["school", "financial_year", "status"])]

    def __str__(self) -> str:
        return f"PP+ {self.get_category_display().lower()}, £{self.amount}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.REQUESTED, self.Status.APPROVED)
