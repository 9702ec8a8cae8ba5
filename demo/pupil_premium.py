"""The demo school's year of PP+ (``demo/data/pupil_premium.toml``): allocations from each child
in care's Virtual School and the census rate for children previously in care, the PEPs'
requests approved (with the Virtual School's reference), spent or declined, the school's own
items for previously-in-care children with the parents' involvement, one approval over the
allocation with its reason, and impact notes. Outcomes come from the PEPs' reviews, as they do
in a school. Written through ``pupil_premium.services`` as the people who would write it, so the
audit trail is a school's own. Idempotent: a school with any PP+ allocation is left alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from accounts.models import User
from accounts.roles import Role
from demo.datafile import check_keys, read_datafile
from pupil_premium import services
from pupil_premium.models import (
    NATIONAL_RATES,
    FundingGroup,
    PpAllocation,
    PpItem,
    financial_year_bounds,
    financial_year_of,
)
from pupil_premium.selectors import funding_group_in_year, rate_for
from pupils.models import Pupil

LOGINS = {"dt": Role.DESIGNATED_TEACHER, "head": Role.HEADTEACHER}


@dataclass(frozen=True)
class Allocation:
    child: str
    amount: float | None = None
    received_days_ago: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class PepRequest:
    child: str
    amount: float
    decision: str  # approved, declined or requested
    approved_after_days: int = 7
    reference: str = ""
    spent_after_days: int | None = None
    spent_amount: float | None = None
    supplier: str = ""
    impact: str = ""
    decline_reason: str = ""


@dataclass(frozen=True)
class Item:
    child: str
    days_ago: int
    description: str
    category: str
    amount: float
    supplier: str = ""
    parents_involvement: str = ""
    approved_by: str = "head"  # head, dt, or pending (left as a request)
    approved_after_days: int = 3
    spent_after_days: int | None = None
    over_allocation_reason: str = ""
    impact: str = ""
    decline_reason: str = ""


def _entries(data: dict[str, Any], key: str, cls: type) -> list:
    made = []
    for i, entry in enumerate(data.get(key, [])):
        check_keys(cls, entry, f"pupil_premium.toml {key}[{i}]")
        made.append(cls(**entry))
    return made


def _user(school, login: str) -> User:
    user = User.objects.filter(memberships__school=school, memberships__role=LOGINS[login]).first()
    if user is None:
        raise ValueError(f"demo PP+: no {login} at {school}")
    return user


def _money(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def load_demo_pupil_premium(school, *, today: dt.date) -> list[PpItem]:
    """Write the demo year of PP+ for ``school`` as of ``today``; returns the items touched
    (none on a second run)."""
    if PpAllocation.objects.filter(school=school).exists():
        return []
    data = read_datafile("pupil_premium")
    dt_user, head = _user(school, "dt"), _user(school, "head")
    by_login = {"dt": dt_user, "head": head}
    year = financial_year_of(today)
    year_start, _ = financial_year_bounds(year)
    pupils = {p.legal_forename: p for p in Pupil.objects.filter(school=school)}

    def later(day: dt.date, days: int) -> dt.date:
        return min(day + dt.timedelta(days=days), today)

    # The school's own items first (requests), so every year an item falls in has an allocation
    # before anything is approved against it.
    own: list[tuple[Item, PpItem]] = []
    for entry in _entries(data, "items", Item):
        pupil = pupils[entry.child]
        made = services.item_request(
            pupil=pupil,
            date=max(today - dt.timedelta(days=entry.days_ago), year_start),
            description=entry.description,
            category=entry.category,
            amount=_money(entry.amount),
            supplier=entry.supplier,
            parents_involvement=entry.parents_involvement,
            by=dt_user,
        )
        own.append((entry, made))

    # The census rate for a year the DfE has not published yet (DOMAIN.md 4.1): the demo
    # enters the last published one as the school's own rate.
    for group in FundingGroup.values:
        if rate_for(school, year, group) is None:
            services.rate_set(
                school=school,
                financial_year=year,
                group=group,
                amount=NATIONAL_RATES[max(NATIONAL_RATES)],
                by=head,
            )

    items_by_child: dict[int, set[int]] = {}
    for item in PpItem.objects.filter(school=school):
        items_by_child.setdefault(item.pupil_id, set()).add(item.financial_year)
    for alloc in _entries(data, "allocations", Allocation):
        pupil = pupils[alloc.child]
        for fy in sorted({year} | items_by_child.get(pupil.pk, set())):
            if funding_group_in_year(pupil, fy, today=today) is None:
                continue
            first, last = financial_year_bounds(fy)
            received = None
            if alloc.received_days_ago is not None:
                received = min(max(today - dt.timedelta(days=alloc.received_days_ago), first), last)
            services.allocation_record(
                pupil=pupil,
                financial_year=fy,
                amount=_money(alloc.amount),
                received_on=received,
                notes=alloc.notes,
                by=dt_user,
                today=today,
            )

    touched: list[PpItem] = []
    for request in _entries(data, "pep_requests", PepRequest):
        item = PpItem.objects.filter(
            pupil=pupils[request.child],
            from_pep_request=True,
            status=PpItem.Status.REQUESTED,
            amount=_money(request.amount),
        ).first()
        if item is None:  # the PEP was not written (term dates missing) or asked for no PP+
            continue
        decided = later(item.date, request.approved_after_days)
        if request.decision == "declined":
            item = services.item_decline(
                item=item, reason=request.decline_reason, by=dt_user, today=decided
            )
        elif request.decision == "approved":
            item = services.item_approve(
                item=item,
                by=dt_user,
                today=decided,
                virtual_school_approved_on=decided,
                virtual_school_reference=request.reference,
            )
            item = _spend(item, request, decided, dt_user, later)
        touched.append(item)

    for entry, item in own:
        if entry.decline_reason:
            decided = later(item.date, entry.approved_after_days)
            item = services.item_decline(
                item=item,
                reason=entry.decline_reason,
                by=by_login.get(entry.approved_by, head),
                today=decided,
            )
        elif entry.approved_by != "pending":
            decided = later(item.date, entry.approved_after_days)
            item = services.item_approve(
                item=item,
                by=by_login[entry.approved_by],
                today=decided,
                over_allocation_reason=entry.over_allocation_reason,
            )
            item = _spend(item, entry, decided, dt_user, later)
        touched.append(item)
    return touched


def _spend(item: PpItem, entry, decided: dt.date, by: User, later) -> PpItem:
    if entry.spent_after_days is None:
        return item
    spent_on = later(decided, entry.spent_after_days)
    item = services.item_spend(
        item=item,
        spent_on=spent_on,
        amount=_money(getattr(entry, "spent_amount", None)),
        supplier=entry.supplier or None,
        by=by,
        today=spent_on,
    )
    if entry.impact:
        item = services.item_impact_note(item=item, note=entry.impact, by=by)
    return item
