"""PP+ on the head's dashboard, in the governors' and termly reports, and on the home page's
work queues, through ``core.report_sections`` (registered from ``PupilPremiumConfig.ready``).

PP+ is counted by financial year (April to March, DOMAIN.md 8), a report by school year: a
section shows the financial year of the period's last day (or today, if sooner) and says so.

Dashboard and queues run a fixed number of queries whatever the number of children. The report
gives money and counts, never a child's name: the number of children is flagged for small-group
suppression, and when fewer children than the school's threshold had PP+ (or were in a group)
the money is not shown either, since a group's spend would be one child's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse

from accounts.roles import Capability
from core.charts import Series, bar_chart
from core.report_sections import (
    Figure,
    Period,
    ReportSection,
    Section,
    SectionFigures,
    Table,
    WorkItem,
    WorkQueue,
    register,
    register_work_queue,
    suppressed,
)
from pupil_premium.models import (
    ZERO,
    Category,
    FundingGroup,
    Outcome,
    PpAllocation,
    PpItem,
    financial_year_label,
    financial_year_of,
)
from pupil_premium.selectors import status_sum

Status = PpItem.Status
GROUP_NAMES: dict[str, str] = {
    FundingGroup.CIC: "Children in care (held by the Virtual School)",
    FundingGroup.CPIC: "Children previously in care (through the census)",
}


@dataclass
class GroupFigures:
    children: int = 0
    allocated: Decimal = ZERO
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    awaiting: int = 0

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.committed - self.spent


@dataclass
class YearFigures:
    year: int
    groups: dict[str, GroupFigures] = field(default_factory=dict)
    by_category: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)
    by_outcome: list[tuple[str, int, Decimal]] = field(default_factory=list)

    @property
    def total(self) -> GroupFigures:
        total = GroupFigures()
        for g in self.groups.values():
            total.children += g.children
            total.allocated += g.allocated
            total.committed += g.committed
            total.spent += g.spent
            total.awaiting += g.awaiting
        return total


def year_figures(school, year: int) -> YearFigures:
    """Allocated, committed, spent by group, category and outcome for ``year``: four queries."""
    figures = YearFigures(year, {g: GroupFigures() for g in FundingGroup.values})
    for row in (
        PpAllocation.objects.filter(school=school, financial_year=year)
        .values("group")
        .annotate(children=Count("pupil", distinct=True), allocated=Sum("amount"))
    ):
        g = figures.groups[row["group"]]
        g.children, g.allocated = row["children"], row["allocated"]
    items = PpItem.objects.filter(school=school, financial_year=year)
    for row in items.values("group").annotate(
        committed=status_sum(Status.APPROVED),
        spent=status_sum(Status.SPENT),
        awaiting=Count("pk", filter=Q(status=Status.REQUESTED)),
    ):
        g = figures.groups[row["group"]]
        g.committed, g.spent, g.awaiting = row["committed"], row["spent"], row["awaiting"]
    categories = {
        row["category"]: row
        for row in items.values("category").annotate(
            committed=status_sum(Status.APPROVED), spent=status_sum(Status.SPENT)
        )
    }
    figures.by_category = [
        (
            label,
            categories.get(value, {}).get("committed", ZERO),
            categories.get(value, {}).get("spent", ZERO),
        )
        for value, label in Category.choices
    ]
    outcomes = {
        row["outcome"]: row
        for row in items.filter(status=Status.SPENT)
        .values("outcome")
        .annotate(n=Count("pk"), spent=Sum("amount"))
    }
    figures.by_outcome = [
        (label, outcomes.get(value, {}).get("n", 0), outcomes.get(value, {}).get("spent", ZERO))
        for value, label in [*Outcome.choices, ("", "Not yet reviewed")]
    ]
    return figures


def _pounds(amount: Decimal) -> str:
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def _summary_url(year: int, anchor: str = "") -> str:
    return reverse("pupil_premium:summary") + f"?year={year}" + (f"#{anchor}" if anchor else "")


def _category_chart(figures: YearFigures):
    return bar_chart(
        title=f"PP+ by category, {financial_year_label(figures.year)}",
        summary=f"PP+ approved and spent in {financial_year_label(figures.year)}, by category",
        labels=[label for label, _, _ in figures.by_category],
        series=[
            Series("Approved, not yet spent (£)", [float(c) for _, c, _ in figures.by_category]),
            Series("Spent (£)", [float(s) for _, _, s in figures.by_category]),
        ],
        unit="£",
    )


def _group_table(figures: YearFigures, *, threshold: int | None, url: str) -> Table:
    rows = []
    for value in FundingGroup.values:
        g = figures.groups[value]
        withheld = threshold is not None and 0 < g.children < threshold
        money = (
            ["not shown"] * 4
            if withheld
            else [
                _pounds(g.allocated),
                _pounds(g.committed),
                _pounds(g.spent),
                _pounds(g.remaining),
            ]
        )
        children: int | Figure = (
            g.children if threshold is not None else Figure(GROUP_NAMES[value], g.children, url)
        )
        rows.append([GROUP_NAMES[value], children, *money])
    return Table(
        caption=f"PP+ by group, {financial_year_label(figures.year)}",
        headers=[
            "Group",
            "Children with an allocation",
            "Allocated",
            "Approved",
            "Spent",
            "Remaining",
        ],
        rows=rows,
        count_columns=(1,),
        key="pp_plus_groups",
    )


def _category_table(figures: YearFigures) -> Table:
    return Table(
        caption=f"PP+ by category, {financial_year_label(figures.year)}",
        headers=["Category", "Approved, not yet spent", "Spent"],
        rows=[[label, _pounds(c), _pounds(s)] for label, c, s in figures.by_category],
        key="pp_plus_categories",
    )


def _outcome_table(figures: YearFigures) -> Table:
    return Table(
        caption="PP+ spent by the outcome of the PEP target it served",
        headers=["Outcome at review", "Items", "Spent"],
        rows=[[label, n, _pounds(spent)] for label, n, spent in figures.by_outcome],
        # A handful of items can be one child's: suppressed like a count of children.
        count_columns=(1,),
        key="pp_plus_outcomes",
    )


def pp_dashboard(school, period: Period, *, capabilities, today: dt.date) -> SectionFigures:
    year = financial_year_of(period.as_at(today))
    figures = year_figures(school, year)
    total = figures.total
    return SectionFigures(
        key="pp_plus",
        title=f"Pupil Premium Plus, {financial_year_label(year)}",
        figures=[
            Figure("Children with an allocation", total.children, _summary_url(year, "children")),
            Figure("Allocated", _pounds(total.allocated), _summary_url(year), children=False),
            Figure("Approved, not yet spent", _pounds(total.committed), "", children=False),
            Figure("Spent", _pounds(total.spent), "", children=False),
            Figure("Remaining", _pounds(total.remaining), "", children=False),
            Figure(
                "Requests awaiting a decision",
                total.awaiting,
                _summary_url(year, "items"),
                children=False,
            ),
        ],
        tables=[
            _group_table(figures, threshold=None, url=_summary_url(year, "children")),
            _category_table(figures),
            _outcome_table(figures),
        ],
        charts=[_category_chart(figures)] if total.spent or total.committed else [],
        note=""
        if total.children or total.awaiting
        else f"No PP+ recorded for {financial_year_label(year)}.",
    )


def pp_report(school, period: Period, *, threshold: int, today: dt.date) -> ReportSection:
    year = financial_year_of(period.as_at(today))
    label = financial_year_label(year)
    figures = year_figures(school, year)
    total = figures.total
    title = "Pupil Premium Plus"
    if total.children == 0:
        return ReportSection(
            key="pp_plus", title=title, paragraphs=[f"No PP+ allocations are recorded for {label}."]
        )
    if total.children < threshold:
        return ReportSection(
            key="pp_plus",
            title=title,
            paragraphs=[
                f"PP+ for {label} is not shown: {suppressed(total.children, threshold)} children "
                "had an allocation, and the school's figures would describe each of them."
            ],
        )
    cic, cpic = figures.groups[FundingGroup.CIC], figures.groups[FundingGroup.CPIC]
    paragraphs = [
        f"In {label} the school recorded {_pounds(total.allocated)} of Pupil Premium Plus for "
        f"{total.children} children. For children in care the Virtual School holds the grant and "
        "releases it to the school for the needs in each child's PEP; for children previously in "
        "care the school receives it through the census and decides how it is spent.",
        f"{_pounds(total.spent)} has been spent and {_pounds(total.committed)} approved and not "
        f"yet spent, leaving {_pounds(total.remaining)}. Every item is tied to a PEP target (for "
        "a child in care) or a recorded reason, and takes the target's outcome when the next "
        "PEP reviews it.",
    ]
    if 0 < cic.children < threshold or 0 < cpic.children < threshold:
        paragraphs.append(
            f"A group with fewer than {threshold} children is not shown apart, so that its "
            "figures do not describe a child."
        )
    return ReportSection(
        key="pp_plus",
        title=title,
        paragraphs=paragraphs,
        figures=[
            Figure("Children with an allocation", total.children),
            Figure("Allocated", _pounds(total.allocated), children=False),
            Figure("Spent", _pounds(total.spent), children=False),
            Figure("Approved, not yet spent", _pounds(total.committed), children=False),
        ],
        tables=[
            _group_table(figures, threshold=threshold, url=""),
            _category_table(figures),
            _outcome_table(figures),
        ],
        charts=[_category_chart(figures)],
    )


# --- Work queues -------------------------------------------------------------------------------


def awaiting_items(school, user, *, capabilities, today: dt.date) -> list[WorkItem]:
    """For the designated teacher: requests waiting for the Virtual School's approval to be
    recorded (a child in care) or for the school's decision (previously in care). One query."""
    counts = PpItem.objects.filter(school=school, status=Status.REQUESTED).aggregate(
        cic=Count("pk", filter=Q(group=FundingGroup.CIC)),
        cpic=Count("pk", filter=Q(group=FundingGroup.CPIC)),
    )
    url = _summary_url(financial_year_of(today), "items")
    items = []
    if counts["cic"]:
        items.append(
            WorkItem(
                f"PP+ waiting for the Virtual School's approval: {counts['cic']}",
                url,
                counts["cic"],
            )
        )
    if counts["cpic"]:
        items.append(
            WorkItem(
                f"PP+ requests for the school to decide: {counts['cpic']}", url, counts["cpic"]
            )
        )
    return items


def over_allocation_items(school, user, *, capabilities, today: dt.date) -> list[WorkItem]:
    """For the head: requests that would go past what is left of the child's allocation for
    the year, so approving them needs a reason. Three queries, whatever the number of items."""
    requested = list(
        PpItem.objects.filter(school=school, status=Status.REQUESTED).values_list(
            "pk", "pupil_id", "financial_year", "amount"
        )
    )
    if not requested:
        return []
    keys = {(pupil, year) for _, pupil, year, _ in requested}
    pupils = {pupil for pupil, _ in keys}
    allocated = {
        (a["pupil_id"], a["financial_year"]): a["amount"]
        for a in PpAllocation.objects.filter(school=school, pupil_id__in=pupils).values(
            "pupil_id", "financial_year", "amount"
        )
    }
    used = {
        (row["pupil_id"], row["financial_year"]): row["used"]
        for row in PpItem.objects.filter(
            school=school, pupil_id__in=pupils, status__in=[Status.APPROVED, Status.SPENT]
        )
        .values("pupil_id", "financial_year")
        .annotate(used=Sum("amount"))
    }
    over = [
        (pk, year)
        for pk, pupil, year, amount in requested
        if amount > allocated.get((pupil, year), ZERO) - used.get((pupil, year), ZERO)
    ]
    if not over:
        return []
    return [
        WorkItem(
            f"PP+ requests over the child's allocation, waiting for approval: {len(over)}",
            _summary_url(over[0][1], "items"),
            len(over),
            urgent=True,
        )
    ]


def register_sections() -> None:
    register(Section("pp_plus", "Pupil Premium Plus", 60, pp_dashboard, pp_report))
    register_work_queue(
        WorkQueue(
            "pp_plus_requests",
            "Pupil Premium Plus",
            15,
            awaiting_items,
            Capability.APPROVE_PP_SPEND,
            "No PP+ requests waiting.",
        )
    )
    register_work_queue(
        WorkQueue(
            "pp_plus_over_allocation",
            "PP+ over the allocation",
            16,
            over_allocation_items,
            # The head's alone (as the cohort headline): DECIDE_EXCLUSION is held by no other role.
            Capability.DECIDE_EXCLUSION,
            "No PP+ request goes over a child's allocation.",
        )
    )
