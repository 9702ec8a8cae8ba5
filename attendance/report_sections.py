"""Attendance's section of the head's dashboard and of the governors' and termly reports, and
the designated teacher's work-queue item, registered into ``core.report_sections`` from
``AttendanceConfig.ready`` (attendance may not import ``reports``, which sits above it).

Each group (children in care, previously in care, with a social worker) is set against all
pupils: the groups' figures are computed from the marks over the period (to today if sooner);
all pupils' from the whole-roll figures the school enters per term (``PeerFigures``), summed
over the period's terms, with the persistently absent count of the latest term entered.

The dashboard callable runs four queries whatever the number of children: the children in
each group, their figures (one grouped query), the whole-roll figures, the open concerns. The
report callable returns counts flagged for small-group suppression and withholds the
percentage of a group smaller than the threshold (a percentage of three children names them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from accounts.roles import Capability
from attendance.models import AttendanceConcern, AttendanceNotice, PeerFigures
from attendance.selectors import Figures, figures_by_pupil
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
    suppressed_percent,
)
from pupils.cohort import CohortGroup
from pupils.models import Pupil
from pupils.selectors import with_cohort

GROUPS = [
    (CohortGroup.CIC, "Children in care"),
    (CohortGroup.CPIC, "Children previously in care"),
    (CohortGroup.CWSW, "Children with a social worker"),
]
TITLE = "Attendance"


@dataclass(frozen=True)
class Row:
    label: str
    pupils: int  # children with a possible session in the period (all pupils: on roll)
    possible: int
    attended: int
    persistent: int
    severe: int | None  # not known for all pupils

    @property
    def percent(self) -> Decimal | None:
        if not self.possible:
            return None
        return (Decimal(self.attended) * 100 / self.possible).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class AttendanceFigures:
    first: dt.date
    last: dt.date
    groups: list[Row]
    peers: Row | None  # None when the school has entered no whole-roll figures
    peer_terms: int


def attendance_figures(school, period: Period, today: dt.date) -> AttendanceFigures:
    """Three queries: the children on roll in each group, their figures, the peers."""
    last = period.as_at(today)
    first = period.first_day
    members = dict(
        with_cohort(Pupil.objects.filter(school=school).on_roll_on(last), today=last)
        .filter(cohort_group__in=[g.value for g, _ in GROUPS])
        .values_list("pk", "cohort_group")
    )
    by_pupil = figures_by_pupil(Pupil.objects.filter(pk__in=list(members)), first, last)
    groups = []
    for group, label in GROUPS:
        figures: list[Figures] = [
            f for pk, f in by_pupil.items() if members.get(pk) == group.value and f.possible
        ]
        groups.append(
            Row(
                label,
                len(figures),
                sum(f.possible for f in figures),
                sum(f.attended for f in figures),
                sum(f.persistent for f in figures),
                sum(f.severe for f in figures),
            )
        )
    peer_rows = list(
        PeerFigures.objects.filter(
            school=school, term__first_day__lte=last, term__last_day__gte=first
        ).order_by("term__first_day")
    )
    peers = None
    if peer_rows:
        latest = peer_rows[-1]
        peers = Row(
            "All pupils",
            latest.on_roll,
            sum(p.possible_sessions for p in peer_rows),
            sum(p.attended_sessions for p in peer_rows),
            latest.persistently_absent,
            None,
        )
    return AttendanceFigures(first, last, groups, peers, len(peer_rows))


def _percent_text(value: Decimal | None) -> str:
    return f"{value}%" if value is not None else "–"


def _chart(data: AttendanceFigures, *, threshold: int = 0):
    rows = [r for r in data.groups if r.possible and r.pupils >= threshold]
    if data.peers is not None and data.peers.possible:
        rows.append(data.peers)
    if not rows:
        return None
    persistent = [
        float((Decimal(r.persistent) * 100 / r.pupils).quantize(Decimal("0.1"))) if r.pupils else 0
        for r in rows
    ]
    return bar_chart(
        title="Attendance and persistent absence, each group against all pupils",
        summary="; ".join(
            f"{r.label}: attendance {_percent_text(r.percent)}, persistently absent "
            f"{p:g}% of pupils"
            for r, p in zip(rows, persistent, strict=True)
        ),
        labels=[r.label for r in rows],
        series=[
            Series("Attendance %", [float(r.percent or 0) for r in rows]),
            Series("Persistently absent, % of pupils", persistent),
        ],
        unit="%",
        y_max=100,
    )


def _period_note(data: AttendanceFigures) -> str:
    note = f"Register marks from {data.first:%-d %B %Y} to {data.last:%-d %B %Y}."
    if data.peers is None:
        note += " The whole-school figures for this period have not been entered."
    return note


def attendance_dashboard(school, period: Period, *, capabilities, today: dt.date) -> SectionFigures:
    data = attendance_figures(school, period, today)
    peers_url = reverse("attendance:peers")
    concerns_url = reverse("attendance:concerns")
    # The fourth query: the open concerns.
    open_concerns = AttendanceConcern.objects.filter(
        school=school, recovered_on__isnull=True
    ).count()
    rows = [
        [
            r.label,
            Figure(r.label, r.pupils, peers_url),
            _percent_text(r.percent),
            Figure("Persistently absent", r.persistent, peers_url),
            Figure("Severely absent", r.severe, peers_url),
        ]
        for r in data.groups
    ]
    if data.peers is not None:
        rows.append(
            [
                "All pupils",
                Figure("On roll", data.peers.pupils, peers_url, children=False),
                _percent_text(data.peers.percent),
                Figure("Persistently absent", data.peers.persistent, peers_url),
                "–",
            ]
        )
    chart = _chart(data)
    return SectionFigures(
        key="attendance",
        title=TITLE,
        figures=[
            Figure(
                "Persistently absent children in a group",
                sum(r.persistent for r in data.groups),
                peers_url,
            ),
            Figure("Open attendance concerns", open_concerns, concerns_url),
        ],
        tables=[
            Table(
                caption="Attendance of each group against all pupils",
                headers=[
                    "Group",
                    "Children",
                    "Attendance",
                    "Persistently absent",
                    "Severely absent",
                ],
                rows=rows,
                count_columns=(1, 3, 4),
                key="attendance",
            )
        ],
        charts=[chart] if chart else [],
        note=_period_note(data),
    )


def attendance_report(school, period: Period, *, threshold: int, today: dt.date) -> ReportSection:
    data = attendance_figures(school, period, today)
    rows = [
        [
            r.label,
            r.pupils,
            suppressed_percent(r.attended, r.possible, threshold)
            if r.pupils >= threshold
            else f"not shown (fewer than {threshold} children)"
            if r.pupils
            else "–",
            r.persistent,
            r.severe,
        ]
        for r in data.groups
    ]
    if data.peers is not None:
        rows.append(
            [
                "All pupils",
                data.peers.pupils,
                _percent_text(data.peers.percent),
                data.peers.persistent,
                "–",
            ]
        )
    paragraphs = [
        "Children with a social worker are about three times as likely as their peers to be "
        "persistently absent, and attending school is itself a protective factor. A child is "
        "persistently absent when they miss 10% or more of their possible sessions, and "
        "severely absent at 50% or more (DfE, Working together to improve school attendance).",
        "The groups' figures are from the register marks held in Harbour; all pupils' from the "
        "school's own whole-roll figures. " + _period_note(data),
    ]
    chart = _chart(data, threshold=threshold)
    return ReportSection(
        key="attendance",
        title=TITLE,
        paragraphs=paragraphs,
        tables=[
            Table(
                caption="Attendance of each group against all pupils",
                headers=[
                    "Group",
                    "Children",
                    "Attendance",
                    "Persistently absent",
                    "Severely absent",
                ],
                rows=rows,
                count_columns=(1, 3, 4),
            )
        ],
        # A chart of a small group would show what the table hides: small groups are left out.
        charts=[chart] if chart else [],
    )


def attendance_work_items(school, user, *, capabilities, today: dt.date) -> list[WorkItem]:
    """Open attendance concerns and the notices waiting for a decision: two queries."""
    url = reverse("attendance:concerns")
    open_concerns = AttendanceConcern.objects.filter(
        school=school, recovered_on__isnull=True
    ).count()
    to_decide = AttendanceNotice.objects.filter(
        concern__school=school,
        concern__recovered_on__isnull=True,
        state=AttendanceNotice.State.PROPOSED,
    ).count()
    items = []
    if open_concerns:
        items.append(WorkItem(f"Open attendance concerns: {open_concerns}", url, open_concerns))
    if to_decide:
        items.append(
            WorkItem(
                f"Attendance notices to send or record why not: {to_decide}",
                url,
                to_decide,
                urgent=True,
            )
        )
    return items


def register_attendance_sections() -> None:
    register(Section("attendance", TITLE, 40, attendance_dashboard, attendance_report))
    register_work_queue(
        WorkQueue(
            "attendance",
            "Attendance",
            15,
            attendance_work_items,
            Capability.EDIT_ATTENDANCE_EXCLUSIONS,
            "No open attendance concerns.",
        )
    )
