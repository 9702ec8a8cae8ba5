"""The exclusions section of the head's dashboard and of the governors' and termly reports, and
the pathway's items on each person's home page, registered into ``core.report_sections`` from
``ExclusionsConfig.ready`` (reports renders them without importing this app).

Each callable runs a fixed number of queries whatever the number of children: the calendar
(2), the period's exclusions (1), the children on roll by group (1), the suspended children's
groups (1) and the whole school's figures (1). The report's sections return counts and
Harbour's own words only; counts of children are flagged for small-group suppression.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse

from accounts.roles import Capability
from core.report_sections import (
    Deadline,
    Figure,
    Period,
    ReportSection,
    Section,
    SectionFigures,
    Table,
    WorkItem,
    WorkQueue,
    register,
    register_deadlines,
    register_work_queue,
    suppressed_percent,
)
from exclusions import rules
from exclusions.models import (
    Exclusion,
    ReducedTimetable,
    StatutoryNotice,
    SuspensionRisk,
    WholeSchoolSuspensions,
)
from pupils.cohort import CohortGroup
from pupils.models import Pupil
from pupils.selectors import with_cohort
from schools.schooldays import SchoolCalendar, TermDatesMissing

Kind = Exclusion.Kind
GROUPS = [CohortGroup.CIC, CohortGroup.CPIC, CohortGroup.CWSW, CohortGroup.KINSHIP]
GROUP_NAMES = {
    CohortGroup.CIC: "Children in care",
    CohortGroup.CPIC: "Children previously in care",
    CohortGroup.CWSW: "Children with a social worker",
    CohortGroup.KINSHIP: "Children in kinship care",
}


@dataclass
class GroupFigures:
    on_roll: int = 0
    children: set = field(default_factory=set)  # suspended at least once
    suspensions: int = 0
    days: Decimal = Decimal(0)
    permanent: int = 0


@dataclass
class Figures:
    day: dt.date
    suspensions: int
    days: Decimal
    children: int
    permanent: int
    emergency: int
    board_due: int
    groups: dict[str, GroupFigures]
    whole_school: WholeSchoolSuspensions | None
    note: str = ""


def _span(e: Exclusion) -> rules.Served | None:
    if e.kind != Kind.SUSPENSION or e.last_day is None:
        return None
    return rules.served(
        start=e.start_date,
        last_day=e.last_day,
        lunchtimes=e.unit == Exclusion.Unit.LUNCHTIMES,
        cancelled_on=e.cancelled_on,
    )


def figures(school, period: Period, today: dt.date) -> Figures:
    """The period's suspensions and permanent exclusions (cancelled ones count only the days
    served), by the group each child was in on the period's day, with the whole school's."""
    day = period.as_at(today)
    calendar = SchoolCalendar.for_school(school)
    rows = list(
        Exclusion.objects.filter(
            pupil__school=school, start_date__range=(period.first_day, period.last_day)
        ).only(
            "pk",
            "pupil_id",
            "kind",
            "unit",
            "start_date",
            "last_day",
            "cancelled_on",
            "decided_on",
            "no_consultation_reason",
            "public_exam_missed",
            "board_met_on",
            "parents_asked_for_meeting",
        )
    )
    groups = {g.value: GroupFigures() for g in GROUPS}
    on_roll = (
        with_cohort(Pupil.objects.filter(school=school).on_roll_on(day), today=day)
        .values("cohort_group")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in on_roll:
        if row["cohort_group"] in groups:
            groups[row["cohort_group"]].on_roll = row["n"]
    group_of = dict(
        with_cohort(Pupil.objects.filter(pk__in={e.pupil_id for e in rows}), today=day)
        .values_list("pk", "cohort_group")
        .order_by()
    )
    whole = WholeSchoolSuspensions.objects.filter(
        school=school, academic_year=period.academic_year
    ).first()
    note = ""
    total_days = Decimal(0)
    children: set[int] = set()
    suspensions = permanent = emergency = 0
    try:
        for e in rows:
            span = _span(e)
            days = (
                rules.days_in(calendar, [span], period.first_day, period.last_day)
                if span
                else Decimal(0)
            )
            live = not e.is_cancelled
            group = groups.get(group_of.get(e.pupil_id, ""))
            if e.kind == Kind.PERMANENT and live:
                permanent += 1
                if group:
                    group.permanent += 1
            elif e.kind == Kind.SUSPENSION and (live or days):
                suspensions += 1
                total_days += days
                children.add(e.pupil_id)
                if group:
                    group.suspensions += 1
                    group.days += days
                    group.children.add(e.pupil_id)
            if e.no_consultation_reason:
                emergency += 1
    except TermDatesMissing:
        note = "Enter the term dates: school days of suspension are counted from them."
    return Figures(
        day=day,
        suspensions=suspensions,
        days=total_days,
        children=len(children),
        permanent=permanent,
        emergency=emergency,
        board_due=len(boards_due(rows, calendar, today=today)) if not note else 0,
        groups=groups,
        whole_school=whole,
        note=note,
    )


def boards_due(
    rows, calendar: SchoolCalendar, *, today: dt.date
) -> list[tuple[Exclusion, dt.date]]:
    """The exclusions among ``rows`` whose governing board must meet and has not (DOMAIN.md
    2.4), with the deadline: a permanent exclusion, a term's total above 15 days or a public
    exam missed; above 5 days when the parents asked. ``rows`` are every exclusion of the
    children concerned in the terms concerned (the term's total needs the others)."""
    spans_by_pupil: dict[int, list[rules.Served]] = defaultdict(list)
    for e in rows:
        span = _span(e)
        if span:
            spans_by_pupil[e.pupil_id].append(span)
    due = []
    for e in rows:
        if e.is_cancelled or e.board_met_on is not None:
            continue
        try:
            term = calendar.term_for(e.start_date)
            term_days = (
                rules.days_in_term(calendar, spans_by_pupil[e.pupil_id], term)
                if term
                else Decimal(0)
            )
            review = rules.board_review(
                calendar,
                decided_on=e.decided_on,
                term_days=term_days,
                permanent=e.is_permanent,
                public_exam_missed=e.public_exam_missed,
            )
        except TermDatesMissing:
            continue
        if review.duty == rules.BoardDuty.MUST_MEET or (
            review.duty == rules.BoardDuty.IF_PARENTS_ASK and e.parents_asked_for_meeting
        ):
            due.append((e, review.deadline))
    return due


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def _group_table(data: Figures, *, threshold: int | None, links: bool) -> Table:
    register_url = reverse("exclusions:register") if links else ""
    rows = []
    for g in GROUPS:
        f = data.groups[g.value]
        share = (
            suppressed_percent(len(f.children), f.on_roll, threshold)
            if threshold
            else _percent(len(f.children), f.on_roll)
        )
        rows.append(
            [
                GROUP_NAMES[g],
                f.on_roll,
                Figure(GROUP_NAMES[g], len(f.children), register_url),
                share,
                f.suspensions,
                f"{f.days:g}",
                f.permanent,
            ]
        )
    w = data.whole_school
    if w is not None:
        rows.append(
            [
                "Whole school (entered from the school's records)",
                w.pupils_on_roll,
                w.pupils_suspended,
                _percent(w.pupils_suspended, w.pupils_on_roll),
                w.suspensions,
                f"{w.suspension_days:g}",
                w.permanent_exclusions,
            ]
        )
    return Table(
        caption="Suspensions and permanent exclusions by group, against the whole school",
        headers=[
            "Group",
            "Children on roll",
            "Children suspended",
            "Share suspended",
            "Suspensions",
            "School days",
            "Permanent exclusions",
        ],
        rows=rows,
        # The groups' counts of children; the whole school's row is the school's own total.
        count_columns=(1, 2),
        key="exclusions_by_group",
    )


def exclusions_dashboard(school, period: Period, *, capabilities, today: dt.date) -> SectionFigures:
    data = figures(school, period, today)
    url = reverse("exclusions:register")
    figs = [
        Figure("Suspensions", data.suspensions, url, children=False),
        Figure("School days of suspension", f"{data.days:g}", url, children=False),
        Figure("Children suspended", data.children, url),
        Figure("Permanent exclusions", data.permanent, url),
        Figure(
            "Decided without the Virtual School consulted first",
            data.emergency,
            url,
            hint="A child in care suspended in an emergency",
        ),
        Figure("Governing board meetings due", data.board_due, url, children=False),
    ]
    note = data.note
    if not note and data.whole_school is None:
        note = (
            "Enter the whole school's suspension figures (Suspensions, Whole-school figures) "
            "to compare the groups with their peers."
        )
    return SectionFigures(
        key="exclusions",
        title="Suspensions and exclusions",
        figures=figs,
        tables=[_group_table(data, threshold=None, links=True)],
        note=note,
    )


def exclusions_report(school, period: Period, *, threshold: int, today: dt.date) -> ReportSection:
    data = figures(school, period, today)
    paragraphs = [
        f"Suspensions and permanent exclusions that started in {period.label}: "
        f"{data.suspensions} suspension{'s' if data.suspensions != 1 else ''}, "
        f"{data.days:g} school days in all, and {data.permanent} permanent "
        f"exclusion{'s' if data.permanent != 1 else ''}. A cancelled suspension counts the "
        "days served before it was cancelled.",
    ]
    if data.whole_school is not None:
        paragraphs.append(
            "The whole school's figures were entered by the school from its own records; the "
            "share of each group suspended at least once can be set against the whole school's."
        )
    if data.emergency:
        paragraphs.append(
            "Some decisions to suspend a child in care were made before the Virtual School "
            "could be consulted (an emergency, with the head's reason recorded)."
        )
    if data.note:
        paragraphs.append(data.note)
    return ReportSection(
        key="exclusions",
        title="Suspensions and exclusions",
        paragraphs=paragraphs,
        figures=[
            Figure("Suspensions", data.suspensions, children=False),
            Figure("School days of suspension", f"{data.days:g}", children=False),
            Figure("Children suspended", data.children),
            Figure("Permanent exclusions", data.permanent),
            Figure("Decided without the Virtual School consulted first", data.emergency),
        ],
        tables=[_group_table(data, threshold=threshold, links=False)],
    )


# --- Work queues -----------------------------------------------------------------------------


def decision_items(school, user, *, capabilities, today: dt.date) -> list[WorkItem]:
    """The head: children at risk of suspension, the risk still open (one query)."""
    open_risks = (
        SuspensionRisk.objects.filter(pupil__school=school, closed_on__isnull=True)
        .values("pupil_id")
        .distinct()
        .count()
    )
    if not open_risks:
        return []
    return [
        WorkItem(
            f"Children at risk of suspension, a decision to make: {open_risks}",
            reverse("exclusions:register") + "#at-risk",
            open_risks,
        )
    ]


def pathway_items(school, user, *, capabilities, today: dt.date) -> list[WorkItem]:
    """The designated teacher and the head: notices not sent, governing board meetings due,
    reduced timetable reviews due. Five queries (the calendar's two among them)."""
    items = []
    unsent = StatutoryNotice.objects.filter(pupil__school=school, delivered_at__isnull=True).filter(
        Q(message__isnull=True) | Q(message__sent_at__isnull=True)
    )
    counts = unsent.aggregate(all=Count("pk"), late=Count("pk", filter=Q(due_by__lt=today)))
    if counts["all"]:
        items.append(
            WorkItem(
                f"Statutory notices not sent: {counts['all']}"
                + (f" ({counts['late']} late)" if counts["late"] else ""),
                reverse("exclusions:notices"),
                counts["all"],
                urgent=bool(counts["late"]),
            )
        )
    first, last = rules.year_bounds(today)
    rows = list(Exclusion.objects.filter(pupil__school=school, start_date__range=(first, last)))
    try:
        calendar = SchoolCalendar.for_school(school)
        due = boards_due(rows, calendar, today=today)
    except TermDatesMissing:
        due = []
    if due:
        soonest = min(d for _, d in due if d) if any(d for _, d in due) else None
        items.append(
            WorkItem(
                f"Governing board meetings due: {len(due)}"
                + (f", the first by {soonest:%-d %B %Y}" if soonest else ""),
                reverse("exclusions:register"),
                len(due),
                urgent=bool(soonest and soonest < today),
            )
        )
    reviews = (
        ReducedTimetable.objects.filter(pupil__school=school, review_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .count()
    )
    if reviews:
        items.append(
            WorkItem(
                f"Reduced timetable reviews due: {reviews}",
                reverse("exclusions:register") + "#timetables",
                reviews,
                urgent=True,
            )
        )
    return items


def exclusion_deadlines(school, today: dt.date) -> list[Deadline]:
    """For the dashboard's "Deadlines coming up": governing board meetings the law requires
    (DOMAIN.md 2.4), one a day, and reduced timetable reviews (docs/exclusions.md). A fixed
    number of queries (the calendar's two among them)."""
    first, last = rules.year_bounds(today)
    rows = list(Exclusion.objects.filter(pupil__school=school, start_date__range=(first, last)))
    try:
        due = boards_due(rows, SchoolCalendar.for_school(school), today=today)
    except TermDatesMissing:
        due = []
    register_url = reverse("exclusions:register")
    boards: Counter = Counter(day for _, day in due if day)
    found = [
        Deadline(day, f"Governing board to meet about {_children(n)}'s exclusion", register_url, n)
        for day, n in sorted(boards.items())
    ]
    reviews = (
        ReducedTimetable.objects.filter(pupil__school=school)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values("review_on")
        .annotate(children=Count("pupil", distinct=True))
        .order_by("review_on")
    )
    found += [
        Deadline(
            r["review_on"],
            f"Reduced timetable to review for {_children(r['children'])}",
            register_url + "#timetables",
            r["children"],
        )
        for r in reviews
        if r["review_on"]
    ]
    return found


def _children(n: int) -> str:
    return f"{n} child{'ren' if n != 1 else ''}"


def register_sections() -> None:
    register_deadlines(exclusion_deadlines)
    register(
        Section(
            "exclusions", "Suspensions and exclusions", 50, exclusions_dashboard, exclusions_report
        )
    )
    register_work_queue(
        WorkQueue(
            "exclusion_decisions",
            "Suspensions: decisions",
            12,
            decision_items,
            Capability.DECIDE_EXCLUSION,
            "No child at risk of suspension.",
        )
    )
    # EDIT_PUPILS: the designated teacher and the head (accounts/roles.py).
    register_work_queue(
        WorkQueue(
            "exclusions",
            "Suspensions and reduced timetables",
            14,
            pathway_items,
            Capability.EDIT_PUPILS,
            "No notices, board meetings or reduced timetable reviews waiting.",
        )
    )
