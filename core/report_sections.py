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
  N" (``suppress_section``, the one place every section's numbers pass through).
- A section DECLARES what adds up: ``Table.total_row`` / ``Table.total_column`` /
  ``Table.column_sums`` and ``ReportSection.sums`` (figures by label). Where a declared total
  would let a hidden count be worked out by subtraction ("needed 8, on time 7, fewer than 5"),
  ``suppress_section`` hides the next smallest count(s) too (complementary, or secondary,
  suppression, as official statistics do) and shows every hidden count of that table or figure
  set the same way ("not shown"), so that a reader cannot tell which was small.
- A percentage is a ``Percent(numerator, denominator)`` cell or figure value: the report shows
  it only when neither the numerator nor the rest of the group is a small count
  (``suppressed_percent``). A section's own sentences use ``suppressed_percent`` too.
- ``capability``: a section shown only to roles holding it (open safeguarding concerns: the
  DSL team and the head). Reports for governors never include such a section.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

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
class Percent:
    """A share of a group as a cell or a figure's value: "88% (7 of 8)" on the dashboard; in a
    report, ``suppressed_percent`` decides whether it may be shown."""

    numerator: int
    denominator: int

    def __str__(self) -> str:
        if not self.denominator:
            return "–"
        share = round(100 * self.numerator / self.denominator)
        return f"{share}% ({self.numerator} of {self.denominator})"


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
    # What adds up, so that suppression can stop a hidden count being worked out by
    # subtraction. ``total_row``: the index of a row that is the sum of every other row, in each
    # count column. ``total_column``: a count column that is, in every row, the sum of the other
    # count columns. ``column_sums``: (total column, part columns) pairs for partial sums.
    total_row: int | None = None
    total_column: int | None = None
    column_sums: Sequence[tuple[int, Sequence[int]]] = ()


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
    # Figures that add up, by label: (total label, part labels). "All children in a group" =
    # "In care" + "Previously in care" + ... The suppressor keeps them from undoing each other.
    sums: Sequence[tuple[str, Sequence[str]]] = ()


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

# What a report shows for a count hidden in a table or figure set with declared totals: the
# same words for a small count and for one hidden to protect it, so neither can be told apart.
NOT_SHOWN = "not shown"


def _is_count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_small(value: Any, threshold: int) -> bool:
    return _is_count(value) and 0 < value < threshold


def suppressed(value: int | str | None, threshold: int) -> int | str | None:
    """A count of children as a report shows it: 1 to ``threshold - 1`` as "fewer than N"."""
    if _is_small(value, threshold):
        return f"fewer than {threshold}"
    return value


def suppressed_percent(numerator: int, denominator: int, threshold: int) -> str:
    """A percentage of a group, withheld when the group is smaller than ``threshold`` (a
    percentage of three children names each of them), or when the children it counts, or the
    rest of the group, are fewer than ``threshold`` ("88%" of 8 says that one PEP was late)."""
    if denominator == 0:
        return "–"
    if denominator < threshold:
        return f"not shown (fewer than {threshold} children)"
    if _is_small(numerator, threshold) or _is_small(denominator - numerator, threshold):
        return f"not shown (a group of fewer than {threshold})"
    return f"{round(100 * numerator / denominator)}%"


def _shown_percent(value: Any, threshold: int) -> Any:
    if isinstance(value, Percent):
        return suppressed_percent(value.numerator, value.denominator, threshold)
    return value


def protect(
    values: dict[Any, int],
    relations: Sequence[tuple[Any, Sequence[Any]]],
    threshold: int,
) -> set[Any]:
    """The keys of ``values`` a report must hide so that no count from 1 to ``threshold - 1``
    can be seen or worked out from the declared ``relations`` (each ``(total, parts)``: the
    value at ``total`` is the sum of the values at ``parts``).

    Primary suppression hides every small count. Then, until nothing changes, for each relation
    with a hidden cell: if the total is shown, the hidden parts' sum can be worked out (total
    less the shown parts), so at least two parts must be hidden and their sum must not itself
    be a small count; the next smallest shown part is hidden until it holds (a shown zero last:
    it says nothing but adds to the doubt), and if no part is left, the total. A relation whose
    total is hidden with exactly one hidden part gives nothing away by subtraction. Iterating to
    a fixed point covers cells that are in a row's and a column's relation at once.
    """
    hidden = {key for key, value in values.items() if _is_small(value, threshold)}
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            cells = [total, *parts]
            if not any(c in hidden for c in cells):
                continue
            hidden_parts = [p for p in parts if p in hidden]
            if total in hidden:
                # The total hidden too: subtraction gives nothing here (the total may be a part
                # of another relation, which its own pass checks).
                continue
            hidden_sum = sum(values[p] for p in hidden_parts)
            if len(hidden_parts) >= 2 and not _is_small(hidden_sum, threshold):
                continue
            shown = [p for p in parts if p not in hidden]
            nonzero = sorted((p for p in shown if values[p] > 0), key=lambda p: values[p])
            zero = [p for p in shown if values[p] == 0]
            candidates = nonzero + zero
            if candidates:
                hidden.add(candidates[0])
            else:
                hidden.add(total)
            changed = True
    return hidden


def _check_sum(total_value: Any, part_values: Sequence[Any], where: str) -> None:
    if not all(_is_count(v) for v in [total_value, *part_values]):
        raise ValueError(f"{where}: a declared total and its parts must all be counts")
    if total_value != sum(part_values):
        raise ValueError(f"{where}: the declared total {total_value} is not the sum of its parts")


def _table_relations(table: Table, values: dict) -> list[tuple[Any, list[Any]]]:
    relations: list[tuple[Any, list[Any]]] = []
    counts = sorted(table.count_columns)
    row_indexes = range(len(table.rows))
    column_sums = list(table.column_sums)
    if table.total_column is not None:
        column_sums.append((table.total_column, [c for c in counts if c != table.total_column]))
    for total_col, part_cols in column_sums:
        for r in row_indexes:
            relation = ((r, total_col), [(r, c) for c in part_cols])
            _check_sum(
                values.get(relation[0]),
                [values.get(p) for p in relation[1]],
                f"Table {table.caption!r}, row {r}",
            )
            relations.append(relation)
    if table.total_row is not None:
        for c in counts:
            relation = ((table.total_row, c), [(r, c) for r in row_indexes if r != table.total_row])
            _check_sum(
                values.get(relation[0]),
                [values.get(p) for p in relation[1]],
                f"Table {table.caption!r}, column {c}",
            )
            relations.append(relation)
    return relations


def suppress_figure(figure: Figure, threshold: int) -> Figure:
    value = _shown_percent(figure.value, threshold)
    if figure.children:
        value = suppressed(value, threshold)
    return Figure(figure.label, value, "", figure.children, figure.hint)


def _cell_value(cell: Any) -> Any:
    return cell.value if isinstance(cell, Figure) else cell


def suppress_table(table: Table, threshold: int) -> Table:
    """The table as a report shows it: small counts hidden, and with them any count that a
    declared total would let a reader subtract its way back from (``protect``)."""
    values = {
        (r, c): _cell_value(cell)
        for r, row in enumerate(table.rows)
        for c, cell in enumerate(row)
        if c in table.count_columns
    }
    relations = _table_relations(table, values)
    counts = {k: v for k, v in values.items() if _is_count(v)}
    hidden = protect(counts, relations, threshold)
    # With declared totals, every hidden count reads the same (a small one and one hidden to
    # protect it must not be told apart); without, a small count is "fewer than N".
    marker = NOT_SHOWN if relations else None
    rows = []
    for r, row in enumerate(table.rows):
        cells = []
        for c, cell in enumerate(row):
            value = _shown_percent(_cell_value(cell), threshold)
            if (r, c) in hidden:
                value = marker or suppressed(value, threshold)
            cells.append(value)
        rows.append(cells)
    return Table(
        table.caption,
        table.headers,
        rows,
        table.count_columns,
        table.key,
        table.total_row,
        table.total_column,
        table.column_sums,
    )


def _suppress_figures(figures: Sequence[Figure], sums, threshold: int) -> list[Figure]:
    by_label = {f.label: f.value for f in figures if f.children}
    relations = []
    for total, parts in sums:
        _check_sum(
            by_label.get(total), [by_label.get(p) for p in parts], f"Figures summing to {total!r}"
        )
        relations.append((total, list(parts)))
    hidden = protect({k: v for k, v in by_label.items() if _is_count(v)}, relations, threshold)
    related = {label for total, parts in relations for label in (total, *parts)}
    shown = []
    for figure in figures:
        if figure.children and figure.label in hidden and figure.label in related:
            shown.append(Figure(figure.label, NOT_SHOWN, "", True, figure.hint))
        else:
            shown.append(suppress_figure(figure, threshold))
    return shown


def suppress_section(section: ReportSection, threshold: int) -> ReportSection:
    """The section as a governor may read it: every count of children from 1 to
    ``threshold - 1`` hidden, every count a declared total would give away hidden with it, and
    every percentage of a small group withheld. Reports pass every section through here."""
    return ReportSection(
        key=section.key,
        title=section.title,
        paragraphs=section.paragraphs,
        figures=_suppress_figures(section.figures, section.sums, threshold),
        tables=[suppress_table(t, threshold) for t in section.tables],
        charts=section.charts,
        sums=section.sums,
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


# --- Deadlines coming up -------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A date something must be done by, for the dashboard's "Deadlines coming up": "PEPs due
    for 3 children by 5 December", linked to the list behind it. ``children`` counts the
    children it is about (None for a deadline about no child, a governing board meeting)."""

    date: dt.date
    what: str
    url: str = ""
    children: int | None = None

    def overdue_on(self, today: dt.date) -> bool:
        return self.date < today


# provider(school, today) -> list[Deadline]: a fixed number of queries whatever the number of
# children; what is due in roughly the next half term, and anything already overdue.
DeadlineProvider = Callable[[Any, dt.date], Sequence[Deadline]]


@dataclass(frozen=True)
class _Provider:
    provider: DeadlineProvider
    capability: str | None


_DEADLINES: list[_Provider] = []

# How far ahead the dashboard looks (providers may return more; the block shows up to here).
DEADLINE_HORIZON_DAYS = 42


def register_deadlines(provider: DeadlineProvider, *, capability: str | None = None) -> None:
    """Add a source of deadlines (from an app's ``AppConfig.ready``). ``capability``: shown only
    to roles holding it (child protection file transfers: the DSL team and the head)."""
    if any(p.provider is provider for p in _DEADLINES):
        return
    _DEADLINES.append(_Provider(provider, capability))


def unregister_deadlines(provider: DeadlineProvider) -> None:
    """For tests that register a provider of their own."""
    _DEADLINES[:] = [p for p in _DEADLINES if p.provider is not provider]


def deadlines(school, today: dt.date, capabilities: Collection[str]) -> list[Deadline]:
    """Every registered provider's deadlines up to ``DEADLINE_HORIZON_DAYS`` ahead (and those
    overdue), soonest first."""
    horizon = today + dt.timedelta(days=DEADLINE_HORIZON_DAYS)
    found: list[Deadline] = []
    for entry in _DEADLINES:
        if entry.capability is not None and entry.capability not in capabilities:
            continue
        found.extend(d for d in entry.provider(school, today) if d.date <= horizon)
    return sorted(found, key=lambda d: (d.date, d.what))
