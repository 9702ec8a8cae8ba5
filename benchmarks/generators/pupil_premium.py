"""PP+ for the financial year 2025 to 2026: an allocation for every child in care (released by
the Virtual School) and every child previously in care (census funding), and 20,000 items
spread over them (children in care's items pay towards their completed PEPs' targets: one
item per target, as the PEP request makes them), requested, approved, spent or declined."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from benchmarks.context import Context
from benchmarks.generators.core import BATCH
from benchmarks.registry import generator
from peps.models import PepTarget
from pupil_premium.models import (
    AllocationSource,
    Category,
    FundingGroup,
    PpAllocation,
    PpItem,
)
from pupils.models import CareEpisode, EpisodeKind, Pupil

YEAR = 2025  # April 2025 to March 2026: "today" is in it
ITEMS = 20_000  # at the full scale (12,000 children); in proportion at a smaller one
CATEGORIES = [Category.TUITION, Category.MENTORING]


@generator("pupil_premium", after=["peps"])
def pupil_premium(ctx: Context) -> None:
    dt_of = ctx.extra["dt_of_school"]
    wanted = ITEMS * ctx.scale.children // 12_000
    authority_of = ctx.extra["authority_of_school"]
    in_care = set(ctx.extra["in_care_pupils"])
    previously = set(
        CareEpisode.objects.filter(
            kind=EpisodeKind.PREVIOUSLY_IN_CARE, end_date__isnull=True
        ).values_list("pupil_id", flat=True)
    )
    school_of = dict(Pupil.objects.values_list("pk", "school_id"))
    allocations = []
    for pk in sorted(in_care | previously):
        school_id = school_of[pk]
        cic = pk in in_care
        allocations.append(
            PpAllocation(
                school_id=school_id,
                pupil_id=pk,
                financial_year=YEAR,
                group=FundingGroup.CIC if cic else FundingGroup.CPIC,
                amount=Decimal("1300.00") if cic else Decimal("2630.00"),
                received_on=dt.date(2025, 5, 1),
                source=AllocationSource.VIRTUAL_SCHOOL if cic else AllocationSource.CENSUS,
                virtual_school_id=authority_of[school_id] if cic else None,
                created_by_id=dt_of[school_id],
            )
        )
    PpAllocation.objects.bulk_create(allocations, batch_size=BATCH)
    # Children in care: one item per target of their completed PEPs of this financial year.
    targets = (
        PepTarget.objects.filter(
            pep__status="completed", pep__term__first_day__gte=dt.date(2025, 4, 1)
        )
        .order_by("pk")
        .values_list("pk", "pep__pupil_id", "pep__pupil__school_id")
    )
    items: list[PpItem] = []
    statuses = [
        PpItem.Status.SPENT,
        PpItem.Status.APPROVED,
        PpItem.Status.REQUESTED,
        PpItem.Status.SPENT,
        PpItem.Status.DECLINED,
    ]

    def item(n, pk, school_id, group, target_id=None) -> PpItem:
        status = statuses[n % len(statuses)]
        decided = status in (PpItem.Status.APPROVED, PpItem.Status.SPENT, PpItem.Status.DECLINED)
        day = dt.date(2025, 4, 7) + dt.timedelta(days=n % 270)
        return PpItem(
            school_id=school_id,
            pupil_id=pk,
            group=group,
            financial_year=YEAR,
            date=day,
            description="One-to-one tuition, ten sessions",
            category=CATEGORIES[n % 2],
            amount=Decimal("150.00") + n % 5 * 25,
            status=status,
            target_id=target_id,
            target_root_id=target_id,
            from_pep_request=target_id is not None,
            decided_by_id=dt_of[school_id] if decided else None,
            decided_on=day + dt.timedelta(days=3) if decided else None,
            virtual_school_approved_on=(
                day + dt.timedelta(days=2)
                if group == FundingGroup.CIC and status in ("approved", "spent")
                else None
            ),
            virtual_school_reference=(
                f"VS-{n}" if group == FundingGroup.CIC and status in ("approved", "spent") else ""
            ),
            spent_on=day + dt.timedelta(days=10) if status == PpItem.Status.SPENT else None,
            created_by_id=dt_of[school_id],
        )

    for target_id, pk, school_id in targets:
        if len(items) >= wanted * 3 // 4:
            break
        items.append(item(len(items), pk, school_id, FundingGroup.CIC, target_id))
    # The rest: children previously in care (no target), round the cohort.
    cpic = sorted(previously)
    for n in range(wanted - len(items)):
        pk = cpic[n % len(cpic)]
        items.append(item(len(items), pk, school_of[pk], FundingGroup.CPIC))
    PpItem.objects.bulk_create(items, batch_size=BATCH)
    ctx.count(pp_allocations=len(allocations), pp_items=len(items))
