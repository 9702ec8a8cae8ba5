"""The law of suspensions as pure, clock-free functions over a ``SchoolCalendar``.

Statute (DOMAIN.md 2, the DfE suspension and permanent exclusion guidance 2024 and the School
Discipline (Pupil Exclusions and Reviews) (England) Regulations 2012):

- 2.2: no more than **45 school days** of suspension in one academic year; a suspension may be
  for part of a day, a lunchtime counting as **half a day**.
- 2.4: the governing board must consider reinstatement within **15 school days** when the
  term's total goes above **15 school days**, when a public exam would be missed, or for a
  permanent exclusion; within **50 school days** if the parents make representations when the
  total goes above **5** (and not above 15); at 5 or fewer it considers representations but
  cannot direct reinstatement.
- 2.5: from the **sixth school day** the school (the local authority, for a permanent
  exclusion) arranges suitable full-time education.

Harbour's own or the school's (settings, not statute):

- The seeds' policies (Bassingbourn 3.4, Offord): for a child in care, provision from day one.
- A notice is "without delay" (2.3); Harbour flags one not sent by the end of the next school
  day after the decision.
- Bushey Heath appendix 3: "where multiple exclusions ... have taken place, it should highlight
  that the support provision ... is not working": Harbour raises that alert at a second
  suspension in a term or a third in a school year.
- A cancelled suspension counts only the days served before the cancellation (the 2023
  guidance lets a head cancel; ⚠ DOMAIN.md does not say how the days served count: Harbour
  counts them, the safer reading for the 45-day limit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from schools.schooldays import SchoolCalendar, TermDates, academic_year_of

YEAR_LIMIT_DAYS = Decimal(45)  # DOMAIN.md 2.2
BOARD_MUST_MEET_ABOVE = Decimal(15)  # DOMAIN.md 2.4
BOARD_MEETS_IF_ASKED_ABOVE = Decimal(5)  # DOMAIN.md 2.4
BOARD_MEETING_SCHOOL_DAYS = 15  # DOMAIN.md 2.4
BOARD_MEETING_IF_ASKED_SCHOOL_DAYS = 50  # DOMAIN.md 2.4
PROVISION_FROM_SCHOOL_DAY = 6  # DOMAIN.md 2.5
NOTICE_SCHOOL_DAYS = 1  # Harbour's reading of "without delay", DOMAIN.md 2.3
REPEATED_IN_TERM = 2  # the schools' policy (Bushey Heath appendix 3), not statute
REPEATED_IN_YEAR = 3  # the schools' policy (Bushey Heath appendix 3), not statute


@dataclass(frozen=True)
class Period:
    """A suspension's days as the calendar sees them."""

    start: dt.date  # the first school day
    last_day: dt.date
    return_date: dt.date
    days: Decimal  # school days, a lunchtime counting as half


def suspension_period(
    calendar: SchoolCalendar, *, start: dt.date, length: int, lunchtimes: bool = False
) -> Period:
    """The last day and the return date of a suspension of ``length`` school days (or
    lunchtimes) starting on ``start``, which must be a school day.

    ``schools.schooldays``: a suspension of n school days starting on school day d ends on
    ``add_school_days(d, n - 1)``; the child returns the next school day. For lunchtimes the
    child is out at lunch on each of n school days and back for a full day on the school day
    after the last.
    """
    if length < 1:
        raise ValueError("a suspension lasts at least one school day or lunchtime")
    last = calendar.add_school_days(start, length - 1)
    days = Decimal(length) / 2 if lunchtimes else Decimal(length)
    return Period(start, last, calendar.add_school_days(last, 1), days)


@dataclass(frozen=True)
class Served:
    """One suspension's school days, for counting: ``weight`` is 1 a day, 1/2 a lunchtime."""

    first: dt.date
    last: dt.date
    weight: Decimal


def served(
    *, start: dt.date, last_day: dt.date, lunchtimes: bool, cancelled_on: dt.date | None
) -> Served | None:
    """The days a suspension counts: all of them, or those before it was cancelled."""
    last = last_day
    if cancelled_on is not None:
        last = min(last, cancelled_on - dt.timedelta(days=1))
    if last < start:
        return None
    return Served(start, last, Decimal("0.5") if lunchtimes else Decimal(1))


def days_in(
    calendar: SchoolCalendar, spans: Iterable[Served], first: dt.date, last: dt.date
) -> Decimal:
    """School days of ``spans`` falling from ``first`` to ``last`` (both included)."""
    total = Decimal(0)
    for span in spans:
        low, high = max(span.first, first), min(span.last, last)
        if low <= high:
            total += span.weight * calendar.school_days_in(low, high)
    return total


def year_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    year = academic_year_of(day)
    return dt.date(year, 9, 1), dt.date(year + 1, 8, 31)


def days_in_year(calendar: SchoolCalendar, spans: Iterable[Served], day: dt.date) -> Decimal:
    """School days suspended in ``day``'s academic year (DOMAIN.md 2.2: at most 45)."""
    return days_in(calendar, spans, *year_bounds(day))


def days_in_term(calendar: SchoolCalendar, spans: Iterable[Served], term: TermDates) -> Decimal:
    """School days suspended in ``term`` (DOMAIN.md 2.4 counts the governing board's duty by
    the term's total)."""
    return days_in(calendar, spans, term.first_day, term.last_day)


class BoardDuty:
    MUST_MEET = "must_meet"  # within 15 school days
    IF_PARENTS_ASK = "if_parents_ask"  # within 50 school days, if the parents make representations
    REPRESENTATIONS_ONLY = "representations_only"  # considers them, cannot reinstate


@dataclass(frozen=True)
class BoardReview:
    duty: str
    deadline: dt.date | None  # for IF_PARENTS_ASK, the deadline should the parents ask
    explanation: str


def board_review(
    calendar: SchoolCalendar,
    *,
    decided_on: dt.date,
    term_days: Decimal,
    permanent: bool = False,
    public_exam_missed: bool = False,
) -> BoardReview:
    """The governing board's duty for an exclusion decided on ``decided_on`` that brings the
    term's total to ``term_days`` (DOMAIN.md 2.4; regulation 24 of the 2012 regulations). The
    school days are counted from the day the board is told, taken as the day of the decision
    (the notice goes without delay)."""
    fifteen = calendar.add_school_days(decided_on, BOARD_MEETING_SCHOOL_DAYS)
    if permanent:
        return BoardReview(
            BoardDuty.MUST_MEET,
            fifteen,
            "A permanent exclusion: the board must consider reinstatement within 15 school days.",
        )
    if term_days > BOARD_MUST_MEET_ABOVE:
        return BoardReview(
            BoardDuty.MUST_MEET,
            fifteen,
            f"{term_days:g} school days this term, more than "
            "15: the board must consider reinstatement within 15 school days.",
        )
    if public_exam_missed:
        return BoardReview(
            BoardDuty.MUST_MEET,
            fifteen,
            "A public exam or national curriculum test would be "
            "missed: the board must meet before it where it can, and within 15 school days.",
        )
    if term_days > BOARD_MEETS_IF_ASKED_ABOVE:
        return BoardReview(
            BoardDuty.IF_PARENTS_ASK,
            calendar.add_school_days(decided_on, BOARD_MEETING_IF_ASKED_SCHOOL_DAYS),
            f"{term_days:g} school days this term, more than 5: if the parents make "
            "representations the board must consider reinstatement within 50 school days.",
        )
    return BoardReview(
        BoardDuty.REPRESENTATIONS_ONLY,
        None,
        f"{term_days:g} school days this term, 5 or "
        "fewer: the board considers any representations but cannot direct reinstatement.",
    )


def provision_due_from(
    calendar: SchoolCalendar, *, start: dt.date, in_care: bool, day_one_in_care: bool
) -> dt.date:
    """The day full-time education must be in place: the sixth school day (DOMAIN.md 2.5), or
    the first for a child in care where the school promises it (the seeds, a setting)."""
    if in_care and day_one_in_care:
        return start
    return calendar.add_school_days(start, PROVISION_FROM_SCHOOL_DAY - 1)


def needs_provision(
    calendar: SchoolCalendar,
    *,
    start: dt.date,
    last_day: dt.date | None,
    in_care: bool,
    day_one_in_care: bool,
) -> dt.date | None:
    """The day provision is due if the exclusion reaches it (a permanent exclusion always
    does), or None for a suspension too short to need it."""
    due = provision_due_from(
        calendar, start=start, in_care=in_care, day_one_in_care=day_one_in_care
    )
    if last_day is not None and due > last_day:
        return None
    return due


def notice_due_by(calendar: SchoolCalendar, decided_on: dt.date) -> dt.date:
    """ "Without delay" (DOMAIN.md 2.3), held by Harbour to the end of the next school day."""
    return calendar.add_school_days(decided_on, NOTICE_SCHOOL_DAYS)


def repeated(in_term: int, in_year: int) -> bool:
    """Bushey Heath appendix 3: multiple suspensions show the support is not working. Counts
    include the new one."""
    return in_term >= REPEATED_IN_TERM or in_year >= REPEATED_IN_YEAR
