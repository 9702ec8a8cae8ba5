"""Reads of the PP+ ledger: a child's group for PP+, the rate of a year, balances (in SQL, in
exact decimal money) and the school's summary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from pupil_premium.models import (
    NATIONAL_RATES,
    ZERO,
    Category,
    FundingGroup,
    Outcome,
    PpAllocation,
    PpItem,
    PpRate,
    financial_year_bounds,
)
from pupils.cohort import CohortGroup, cohort_status

Status = PpItem.Status
_MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)


def funding_group(pupil, on: dt.date) -> str | None:
    """``FundingGroup`` of ``pupil`` on ``on``: in care, previously in care, or None (no PP+:
    DOMAIN.md 4.2; a child with a social worker attracts pupil premium, not PP+)."""
    status = cohort_status(pupil.care_episodes.all(), on)
    if status.group == CohortGroup.CIC:
        return FundingGroup.CIC
    if status.group == CohortGroup.CPIC:
        return FundingGroup.CPIC
    return None


def funding_group_in_year(pupil, year: int, *, today: dt.date) -> str | None:
    """The child's group for a financial year: on ``today`` when it falls in the year, else on
    the year's last day (a past year) or first day (a year to come)."""
    first, last = financial_year_bounds(year)
    return funding_group(pupil, min(max(today, first), last))


def rate_for(school, year: int, group: str) -> Decimal | None:
    """The school's rate for ``year`` and ``group``, or the national one; None when neither is
    known (2026-27 was not published in the sources of DOMAIN.md 4.1)."""
    own = (
        PpRate.objects.filter(school=school, financial_year=year, group=group)
        .values_list("amount", flat=True)
        .first()
    )
    return own if own is not None else NATIONAL_RATES.get(year)


@dataclass(frozen=True)
class RateRow:
    financial_year: int
    group: str
    national: Decimal | None
    school: Decimal | None

    @property
    def in_force(self) -> Decimal | None:
        return self.school if self.school is not None else self.national


def rate_rows(school, *, today: dt.date) -> list[RateRow]:
    from pupil_premium.models import financial_year_of

    years = sorted(set(NATIONAL_RATES) | {financial_year_of(today), financial_year_of(today) + 1})
    own = {(r.financial_year, r.group): r.amount for r in PpRate.objects.filter(school=school)}
    years = sorted(set(years) | {year for year, _ in own})
    return [
        RateRow(year, group, NATIONAL_RATES.get(year), own.get((year, group)))
        for year in reversed(years)
        for group in FundingGroup.values
    ]


@dataclass(frozen=True)
class Balance:
    """A child's PP+ for one financial year. ``committed`` is approved and not yet spent;
    ``remaining`` what is left after both (negative only after an audited override)."""

    allocated: Decimal = ZERO
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    requested: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.committed - self.spent


def status_sum(status: str) -> Coalesce:
    """The total amount of the items in ``status``, £0.00 when there are none."""
    return Coalesce(Sum("amount", filter=Q(status=status)), Value(ZERO), output_field=_MONEY)


def _sums(items) -> dict:
    return items.aggregate(
        committed=status_sum(Status.APPROVED),
        spent=status_sum(Status.SPENT),
        requested=status_sum(Status.REQUESTED),
    )


def balance_for(pupil, year: int, *, exclude_item=None) -> Balance:
    allocated = (
        PpAllocation.objects.filter(pupil=pupil, financial_year=year)
        .values_list("amount", flat=True)
        .first()
    )
    items = PpItem.objects.filter(pupil=pupil, financial_year=year)
    if exclude_item is not None:
        items = items.exclude(pk=exclude_item.pk)
    return Balance(allocated=allocated if allocated is not None else ZERO, **_sums(items))


@dataclass
class ChildRow:
    pupil: Any  # pupils.models.Pupil
    group: str
    balance: Balance


@dataclass
class Summary:
    year: int
    children: list[ChildRow] = field(default_factory=list)
    by_group: list[tuple[str, Balance]] = field(default_factory=list)
    by_category: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)  # approved, spent
    by_outcome: list[tuple[str, Decimal, int]] = field(default_factory=list)  # spent, items
    total: Balance = field(default_factory=Balance)
    # Every item of the year, each child's together: what it paid for, who decided, outcome.
    items: list[PpItem] = field(default_factory=list)


def school_summary(school, year: int) -> Summary:
    """The school's PP+ for ``year``: each child's balance, and the spend by group, category and
    outcome, and every item with who decided it. Six queries, whatever the number of children:
    allocations, each child's sums, the children, by category, by outcome, the items."""
    from pupils.models import Pupil

    allocations = {
        a["pupil_id"]: a
        for a in PpAllocation.objects.filter(school=school, financial_year=year).values(
            "pupil_id", "amount", "group"
        )
    }
    items = PpItem.objects.filter(school=school, financial_year=year)
    per_child = {
        row["pupil_id"]: row
        for row in items.values("pupil_id", "group").annotate(
            committed=status_sum(Status.APPROVED),
            spent=status_sum(Status.SPENT),
            requested=status_sum(Status.REQUESTED),
        )
    }
    ids = set(allocations) | set(per_child)
    pupils = {p.pk: p for p in Pupil.objects.filter(pk__in=ids)}
    summary = Summary(year=year)
    groups: dict[str, list[Decimal]] = {g: [ZERO, ZERO, ZERO, ZERO] for g in FundingGroup.values}
    for pk in sorted(ids, key=lambda pk: (pupils[pk].surname, pupils[pk].forename, pk)):
        allocation = allocations.get(pk)
        spend = per_child.get(pk, {})
        group = (allocation or spend)["group"]
        balance = Balance(
            allocated=allocation["amount"] if allocation else ZERO,
            committed=spend.get("committed", ZERO),
            spent=spend.get("spent", ZERO),
            requested=spend.get("requested", ZERO),
        )
        summary.children.append(ChildRow(pupils[pk], group, balance))
        for i, amount in enumerate(
            (balance.allocated, balance.committed, balance.spent, balance.requested)
        ):
            groups[group][i] += amount
    summary.by_group = [(g, Balance(*groups[g])) for g in FundingGroup.values]
    summary.total = Balance(*(sum((groups[g][i] for g in groups), ZERO) for i in range(4)))
    by_category = {
        row["category"]: row
        for row in items.values("category").annotate(
            approved=status_sum(Status.APPROVED),
            spent=status_sum(Status.SPENT),
        )
    }
    summary.by_category = [
        (
            label,
            by_category.get(value, {}).get("approved", ZERO),
            by_category.get(value, {}).get("spent", ZERO),
        )
        for value, label in Category.choices
    ]
    by_outcome = {
        row["outcome"]: row
        for row in items.filter(status=Status.SPENT)
        .values("outcome")
        .annotate(spent=Sum("amount"), n=Count("pk"))
    }
    summary.by_outcome = [
        (label, by_outcome.get(value, {}).get("spent", ZERO), by_outcome.get(value, {}).get("n", 0))
        for value, label in [*Outcome.choices, ("", "Not yet reviewed")]
    ]
    order = {row.pupil.pk: i for i, row in enumerate(summary.children)}
    summary.items = sorted(
        items.exclude(status=Status.WITHDRAWN).select_related("decided_by", "spent_by"),
        key=lambda item: (order.get(item.pupil_id, len(order)), item.date, item.pk),
    )
    for item in summary.items:
        # The child is already loaded with the children's rows: no query per item.
        item.pupil = pupils[item.pupil_id]
    return summary


def items_for_export(school, year: int):
    return (
        PpItem.objects.filter(school=school, financial_year=year)
        .select_related("pupil", "target__pep__term", "decided_by", "spent_by")
        .order_by("pupil__legal_surname", "pupil__pk", "date", "pk")
    )


def unspent_children(school, year: int) -> list[ChildRow]:
    """Children of ``school`` whose allocation for ``year`` is not all committed or spent."""
    return [row for row in school_summary(school, year).children if row.balance.remaining > 0]
