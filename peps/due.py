"""When each child in care's PEP is due: one pure function of the school calendar, the child's
care and roll dates, and the PEPs already completed.

The rule (DOMAIN.md "How Harbour settles", from DOMAIN.md 3.2):

* **One PEP per term.** A PEP review is held every school term (DOMAIN.md 3.2 [S70][S72][S75]),
  so the term is the unit: the PEP for a term is due by the term's **last school day** (its
  last day, or the last school day before it if that is a closure). A school's stricter rule,
  ``termly_deadline_school_days_before_end`` in ``PepSettings``, moves it that many school days
  earlier.
* **The first PEP** is due within 20 school days (``first_pep_school_days``, a school may set
  fewer) of the child *coming into care or joining the school*, whichever is later: the
  deadline is the 20th school day after that day, which itself does not count
  (``SchoolCalendar.add_school_days``). DOMAIN.md 3.2 gives 20 *working* days for the first
  care-plan review [S70][S74] and 20 days for a move of setting [S77][S78]; Harbour counts
  school days because the school can act only on school days. The term in which that
  deadline falls has the first PEP as its PEP, due on that deadline; a term that ends before
  it needs no PEP (the child came into care too late in it).
* A change of legal basis (an interim care order becoming a care order) is not coming into
  care: in-care episodes that follow one another without a gap are one spell.
* A child needs a PEP for a term when they are in care and on roll on the day the question
  is asked, or on the deadline if that has passed (a child who left care or the school before
  the deadline needs none). The deadline is the first-PEP deadline when that falls in the
  term: a child whose first PEP was missed and who left care before the end of term still
  needed it.
* **No PEP after the 18th birthday.** A child stops being looked after on their 18th birthday
  (Children Act 1989 s105: a child is a person under 18), so a term whose deadline falls on or
  after it needs no PEP, whatever the care episode says (an episode left open past it is a
  mistake in the record, which ``pupils.cohort.episodes_open_past_18`` flags).
* A PEP counts for the term it was written for once it is completed, and is **on time** when
  its meeting was held on or before the deadline (the meeting is what the statutory guidance
  times; writing it up may take a few days).

States, for ``today``:

* ``done``: a completed PEP exists for the term ("done for this term");
* ``overdue``: the deadline has passed without one;
* ``due``: the deadline is at most ``due_window_school_days`` (15) school days away;
* ``upcoming``: the deadline is further away;
* ``not_required``: not in care, not on roll, or the first PEP falls in a later term.

Nothing here reads the clock or the database: callers pass ``today`` and the facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from pupils import periods
from pupils.cohort import IN_CARE, Episode, eighteenth_birthday
from schools.schooldays import SchoolCalendar, TermDates, TermDatesMissing


class PepState(StrEnum):
    NOT_REQUIRED = "not_required"
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"


STATE_LABELS = {
    PepState.NOT_REQUIRED: "Not required",
    PepState.UPCOMING: "Not due yet",
    PepState.DUE: "Due",
    PepState.OVERDUE: "Overdue",
    PepState.DONE: "Done for this term",
}


@dataclass(frozen=True)
class PepRule:
    """A school's PEP timing: Harbour's defaults unless ``PepSettings`` says stricter.

    Defaults from DOMAIN.md "How Harbour settles" (PEP cadence) and 3.2: the first PEP within
    20 days of coming into care or a new setting [S70][S77]; "due" from 15 school days before
    the deadline is Harbour's own warning window (issue 4), not a statutory period."""

    first_pep_school_days: int = 20
    due_window_school_days: int = 15
    termly_deadline_school_days_before_end: int = 0

    @classmethod
    def from_settings(cls, settings) -> PepRule:
        if settings is None:
            return cls()
        return cls(
            first_pep_school_days=settings.first_pep_school_days,
            due_window_school_days=settings.due_window_school_days,
            termly_deadline_school_days_before_end=settings.termly_deadline_school_days_before_end,
        )


def term_key(term: TermDates) -> tuple[int, str]:
    """How a term is named in ``ChildFacts.completed``: (academic year, term name)."""
    return (term.academic_year, term.name)


@dataclass(frozen=True)
class ChildFacts:
    """What the rule needs to know about one child."""

    episodes: tuple[Episode, ...]
    admission_date: dt.date | None = None
    leaving_date: dt.date | None = None  # the last day on roll
    date_of_birth: dt.date | None = None
    # The meeting date of the completed PEP of each term, keyed by ``term_key``.
    completed: Mapping[tuple[int, str], dt.date | None] = field(default_factory=dict)


@dataclass(frozen=True)
class PepStatus:
    state: PepState
    term: TermDates
    deadline: dt.date | None = None
    # The deadline comes from the first-PEP rule, not the end of term.
    first_pep: bool = False
    # The day the child came into care or joined the school, whichever is later.
    care_started: dt.date | None = None
    # That day is the day they joined the school (they were in care before).
    joined_school: bool = False
    # School days from today to the deadline: 0 on the deadline, None once it has passed.
    school_days_left: int | None = None
    # School days since the deadline, for an overdue PEP (0 in the holiday right after it).
    school_days_overdue: int | None = None
    meeting_date: dt.date | None = None  # of the completed PEP

    @property
    def required(self) -> bool:
        return self.deadline is not None

    @property
    def on_time(self) -> bool | None:
        if self.state != PepState.DONE or self.deadline is None:
            return None
        return self.meeting_date is not None and self.meeting_date <= self.deadline

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def is_outstanding(self) -> bool:
        return self.state in (PepState.UPCOMING, PepState.DUE, PepState.OVERDUE)


# --- The pieces ------------------------------------------------------------------------------


def termly_deadline(calendar: SchoolCalendar, term: TermDates, rule: PepRule) -> dt.date:
    """The last school day of ``term``, less the school's stricter margin."""
    last = calendar.school_day_on_or_before(term.last_day)
    return calendar.add_school_days(last, -rule.termly_deadline_school_days_before_end)


def first_pep_deadline(calendar: SchoolCalendar, started: dt.date, rule: PepRule) -> dt.date:
    """The ``first_pep_school_days``-th school day after ``started``.

    When ``started`` is in a year whose term dates the school never entered (a child who came
    into care before the school used Harbour), every weekday up to its first known term that is
    not a bank holiday counts as a school day: the deadline may come early, never late
    (``SchoolCalendar.add_school_days_from_unentered``).
    """
    return calendar.add_school_days_from_unentered(started, rule.first_pep_school_days)


def care_spells(episodes: Iterable[Episode]) -> list[tuple[dt.date, dt.date | None]]:
    """The child's spells in care as (first day, end day or None while open). In-care
    episodes that follow one another without a gap are one spell."""
    spells: list[tuple[dt.date, dt.date | None]] = []
    for episode in sorted((e for e in episodes if e.kind == IN_CARE), key=lambda e: e.start_date):
        if spells and (spells[-1][1] is None or episode.start_date <= spells[-1][1]):
            start, end = spells[-1]
            ends = None if end is None or episode.end_date is None else max(end, episode.end_date)
            spells[-1] = (start, ends)
        else:
            spells.append((episode.start_date, episode.end_date))
    return spells


def care_spell_start(episodes: Iterable[Episode], on: dt.date) -> dt.date | None:
    """The day the child's spell in care began, if they are in care on ``on``."""
    spell = _spell_on(episodes, on)
    return spell[0] if spell else None


def _spell_on(episodes, on: dt.date) -> tuple[dt.date, dt.date | None] | None:
    for start, end in care_spells(episodes):
        if periods.in_force_on(start, end, on):
            return start, end
    return None


def _latest_spell_by(episodes, on: dt.date) -> tuple[dt.date, dt.date | None] | None:
    """The child's latest spell in care that began on or before ``on``, ended or not."""
    started = [spell for spell in care_spells(episodes) if spell[0] <= on]
    return started[-1] if started else None


# --- The rule --------------------------------------------------------------------------------


def term_pep_status(
    *,
    calendar: SchoolCalendar,
    term: TermDates,
    child: ChildFacts,
    today: dt.date,
    rule: PepRule = PepRule(),
) -> PepStatus:
    """The state of ``child``'s PEP for ``term`` on ``today``. Raises ``TermDatesMissing``
    when the calendar cannot answer."""
    termly = termly_deadline(calendar, term, rule)
    completed = term_key(term) in child.completed
    meeting = child.completed.get(term_key(term))

    # The spell that decides: the latest to begin by the end of term (or today). Whether the
    # child needed the PEP is asked on its deadline, which may be the first PEP's, mid-term.
    spell = _latest_spell_by(child.episodes, min(today, termly))
    if spell is None:
        return _not_required(term, completed, meeting)
    spell_start, spell_end = spell
    if periods.ended_by(spell_end, term.first_day):
        return _not_required(term, completed, meeting)  # out of care before the term began
    started = max(spell_start, child.admission_date or spell_start)

    first = first_pep_deadline(calendar, started, rule)
    if first > term.last_day:
        # Came into care or joined too late in this term: the first PEP is next term's.
        return _not_required(term, completed, meeting, care_started=started)
    first_pep = first >= term.first_day
    deadline = first if first_pep else termly
    on = min(today, deadline)
    in_care = periods.in_force_on(spell_start, spell_end, on)
    if not in_care or not periods.on_roll_on(child.admission_date, child.leaving_date, on):
        return _not_required(term, completed, meeting)
    if child.date_of_birth is not None and deadline >= eighteenth_birthday(child.date_of_birth):
        return _not_required(term, completed, meeting, care_started=started)

    common = {
        "term": term,
        "deadline": deadline,
        "first_pep": first_pep,
        "care_started": started,
        "joined_school": started > spell_start,
    }
    if completed:
        return PepStatus(PepState.DONE, meeting_date=meeting, **common)  # type: ignore[arg-type]
    if today > deadline:
        overdue = calendar.school_days_between(deadline, today)
        return PepStatus(PepState.OVERDUE, school_days_overdue=overdue, **common)  # type: ignore[arg-type]
    left = calendar.school_days_between(today, deadline)
    state = PepState.DUE if left <= rule.due_window_school_days else PepState.UPCOMING
    return PepStatus(state, school_days_left=left, **common)  # type: ignore[arg-type]


def _not_required(term, completed, meeting, care_started=None) -> PepStatus:
    if completed:
        return PepStatus(PepState.DONE, term=term, meeting_date=meeting, care_started=care_started)
    return PepStatus(PepState.NOT_REQUIRED, term=term, care_started=care_started)


def previous_term(calendar: SchoolCalendar, term: TermDates) -> TermDates | None:
    earlier = [t for t in calendar.terms if t.first_day < term.first_day]
    return earlier[-1] if earlier else None


def pep_statuses(
    *,
    calendar: SchoolCalendar,
    child: ChildFacts,
    today: dt.date,
    rule: PepRule = PepRule(),
) -> list[PepStatus]:
    """The PEPs a teacher should act on today, most urgent first: last term's if it is
    overdue and this term's PEP has not been held either, then this term's (in a holiday, the
    next term's)."""
    term = calendar.current_or_next_term(today)
    current = term_pep_status(calendar=calendar, term=term, child=child, today=today, rule=rule)
    statuses = [current]
    if current.state != PepState.DONE:
        prev = previous_term(calendar, term)
        if prev is not None:
            try:
                last = term_pep_status(
                    calendar=calendar, term=prev, child=child, today=today, rule=rule
                )
            except TermDatesMissing:
                last = None  # the year before the school started using Harbour
            if last is not None and last.state == PepState.OVERDUE:
                statuses.insert(0, last)
    return statuses


def pep_status(
    *,
    calendar: SchoolCalendar,
    child: ChildFacts,
    today: dt.date,
    rule: PepRule = PepRule(),
) -> PepStatus:
    """The one status to show for a child today: the most urgent of ``pep_statuses``."""
    return pep_statuses(calendar=calendar, child=child, today=today, rule=rule)[0]
