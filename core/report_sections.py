"""The sections of the head's dashboard and of the governors' and termly reports: a registry each
app fills from its ``AppConfig.ready``, so ``reports`` renders whatever is registered without
knowing any app's models.

It lives in core, below every feature app, because the feature apps (PEPs, PP+, attendance,
exclusions, concerns) may not import ``reports`` (it sits above them in the layers). An app
registers one ``Section``::

    from core.report_sections import Figure, ReportSection, Section, SectionFigures, register

    def attendance_dashboard(school, period, *, capabilities, today) -> SectionFigures:
        ...  # a fixed number of queries, whatever the number of children

    def attendance_report(school, period, *, threshold, today) -> ReportSection:
        ...  # no child's name, date of birth or UPN; counts flagged ``children=True``

    register(Section(key="attendance", title="Attendance", order=40,
                     dashboard=attendance_dashboard, report=attendance_report))

Rules every section keeps (docs/reports.md says why):

- A dashboard callable runs a fixed number of queries however many children there are (the
  dashboard's query count is pinned by a test with 10 and 500 children).
- Every number on the dashboard that counts children carries ``url``: the filtered list behind it.
- A report callable returns numbers and Harbour's own words only: no child's name, date of
  birth or UPN. Counts of children are marked ``children=True`` (a ``Figure``) or listed in
  ``Table.count_columns``; the report replaces any from 1 to ``threshold - 1`` with "fewer than
  N" (``suppressed``). A percentage of a group smaller than the threshold is the section's to
  withhold (``suppressed_percent``).
- ``capability``: a section shown only to roles holding it (open safeguarding concerns: the
  DSL team and the head). Reports for governors never include such a section.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.charts import Chart

# The small-group threshold when a school has set none: counts of 1 to 4 children are shown as
# "fewer than 5" (the DfE's own statistics suppress small numbers the same way).
DEFAULT_THRESHOLD = 5


@dataclass(frozen=True)
class Period:
    """What a dashboard or report covers: a school year or one term of it."""

    label: str  # "2025 to 2026" or "Autumn term 2025 to 2026"
    first_day: dt.date
    last_day: dt.date
    academic_year: int  # the year the school year starts in
    term_id: int | None = None  # a ``schools.Term`` pk for a term; None for the whole year

    def as_at(self, today: dt.date) -> dt.date:
        """The day the period's figures are taken on: its last day, or today if sooner."""
        return min(self.last_day, max(today, self.first_day))

    @property
    def is_term(self) -> bool:
        return self.term_id is not None


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | str | None
    # The filtered list behind the number (dashboards only; a report never links).
    url: str = ""
    # A count of children: a report shows 1 to threshold - 1 as "fewer than N".
    children: bool = True
    hint: str = ""


@dataclass(frozen=True)
class Table:
    caption: str
    headers: Sequence[str]
    # Cells are text, numbers or a Figure (a number with its link).
    rows: Sequence[Sequence[Any]]
    # Indexes of the columns that count children (suppressed in reports).
    count_columns: Collection[int] = ()
    # A stable name for the CSV/XLSX export of this table ("groups", "authorities").
    key: str = ""


@dataclass(frozen=True)
class SectionFigures:
    """One section of the head's dashboard."""

    key: str
    title: str
    figures: Sequence[Figure] = ()
    tables: Sequence[Table] = ()
    charts: Sequence[Chart] = ()
    # Said when the section has nothing to show (term dates missing, app not set up).
    note: str = ""


@dataclass(frozen=True)
class ReportSection:
    """One section of the governors' (or termly) report: written to be read by a governor."""

    key: str
    title: str
    # Harbour's own sentences about the figures, never text typed about a child.
    paragraphs: Sequence[str] = ()
    figures: Sequence[Figure] = ()
    tables: Sequence[Table] = ()
    charts: Sequence[Chart] = ()


DashboardCallable = Callable[..., SectionFigures]
ReportCallable = Callable[..., ReportSection]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    order: int
    # dashboard(school, period, *, capabilities, today) -> SectionFigures
    dashboard: DashboardCallable | None = None
    # report(school, period, *, threshold, today) -> ReportSection
    report: ReportCallable | None = None
    # Shown on the dashboard only to roles holding this capability; never in a governors' report.
    capability: str | None = None


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    existing = _SECTIONS.get(section.key)
    if existing is not None and existing != section:
        raise ValueError(f"Report section {section.key!r} is registered twice")
    _SECTIONS[section.key] = section


def unregister(key: str) -> None:
    """For tests that register a section of their own."""
    _SECTIONS.pop(key, None)


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def dashboard_sections(capabilities: Collection[str]) -> list[Section]:
    return [
        s
        for s in sections()
        if s.dashboard is not None and (s.capability is None or s.capability in capabilities)
    ]


def report_sections() -> list[Section]:
    """The sections of a report for governors: those anyone with the report may read."""
    return [s for s in sections() if s.report is not None and s.capability is None]


# --- Small groups --------------------------------------------------------------------------


def suppressed(value: int | str | None, threshold: int) -> int | str | None:
    """A count of children as a report shows it: 1 to ``threshold - 1`` as "fewer than N"."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < threshold:
        return f"fewer than {threshold}"
    return value


def suppressed_percent(numerator: int, denominator: int, threshold: int) -> str:
    """A percentage of a group, withheld when the group is smaller than ``threshold`` (a
    percentage of three children names each of them)."""
    if denominator == 0:
        return "–"
    if denominator < threshold:
        return f"not shown (fewer than {threshold} children)"
    return f"{round(100 * numerator / denominator)}%"


def suppress_figure(figure: Figure, threshold: int) -> Figure:
    if not figure.children:
        return figure
    return Figure(figure.label, suppressed(figure.value, threshold), "", True, figure.hint)


def suppress_table(table: Table, threshold: int) -> Table:
    rows = []
    for row in table.rows:
        cells = []
        for i, cell in enumerate(row):
            value = cell.value if isinstance(cell, Figure) else cell
            cells.append(suppressed(value, threshold) if i in table.count_columns else value)
        rows.append(cells)
    return Table(table.caption, table.headers, rows, table.count_columns, table.key)


def suppress_section(section: ReportSection, threshold: int) -> ReportSection:
    """The section with every count of children from 1 to ``threshold - 1`` replaced."""
    return ReportSection(
        key=section.key,
        title=section.title,
        paragraphs=section.paragraphs,
        figures=[suppress_figure(f, threshold) for f in section.figures],
        tables=[suppress_table(t, threshold) for t in section.tables],
        charts=section.charts,
    )


# --- Each person's work queue --------------------------------------------------------------


@dataclass(frozen=True)
class WorkItem:
    """One thing waiting for someone: "3 PEPs overdue", linked to the list behind it."""

    label: str
    url: str
    count: int | None = None
    urgent: bool = False


@dataclass(frozen=True)
class WorkQueue:
    """A part of the home page: ``items(school, user, *, capabilities, today)`` lists what is
    waiting, in a fixed number of queries. Shown to roles holding ``capability``."""

    key: str
    title: str
    order: int
    items: Callable[..., Sequence[WorkItem]]
    capability: str | None = None
    # Said when there is nothing waiting.
    empty: str = "Nothing waiting."


_QUEUES: dict[str, WorkQueue] = {}


def register_work_queue(queue: WorkQueue) -> None:
    existing = _QUEUES.get(queue.key)
    if existing is not None and existing != queue:
        raise ValueError(f"Work queue {queue.key!r} is registered twice")
    _QUEUES[queue.key] = queue


def work_queues(capabilities: Collection[str]) -> list[WorkQueue]:
    return sorted(
        (q for q in _QUEUES.values() if q.capability is None or q.capability in capabilities),
        key=lambda q: (q.order, q.key),
    )


@dataclass
class WorkQueueShown:
    queue: WorkQueue
    items: list[WorkItem] = field(default_factory=list)
