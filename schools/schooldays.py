"""School-day arithmetic: the one place Harbour counts school days, working days and years.

Deadlines in the law are counted in *school days* (suspension guidance 2024: no more than 45
school days of suspension in a school year; alternative education from the sixth school day;
a PEP within 20 school days, DOMAIN.md "How Harbour settles") or in *working days* (the PEP
statutory guidance's 10 and 20 working days, DOMAIN.md 3.2: "working days are not school
days; school holidays still count"). Every later feature calls this module; none counts days
itself.

A school day is a date that is

- a weekday (Monday to Friday),
- inside one of the school's terms (``first_day`` to ``last_day``),
- not inside that term's half-term break, and
- not one of England's bank holidays (from the ``holidays`` package, the same source as working
  days: nobody has to type them in, and one typed in as a closure as well is not counted twice),
- not inside one of the school's closures (INSET days, snow days).

Harbour never guesses term dates. An academic year counts as *entered* when all three of its
terms (autumn, spring, summer) are; any question about a date in a year that is not entered
raises ``TermDatesMissing``, whose message names the year the administrator must enter.

Conventions (the same for every method):

- ``add_school_days(d, n)``: for ``n > 0`` the n-th school day *after* ``d`` (``d`` itself never
  counts, and need not be a school day); for ``n < 0`` the ``-n``-th school day *before* ``d``;
  ``n == 0`` returns ``d`` unchanged, even on a weekend or in a holiday. Use
  ``school_day_on_or_after(d)`` to roll a date forward to a school day. Going there and back
  returns to ``d`` when ``d`` is a school day: ``add_school_days(add_school_days(d, n), -n) == d``.
- ``school_days_between(start, end)``: the number of school days ``x`` with
  ``start < x <= end`` (the first day excluded, the last included, like "days since").
  It is antisymmetric: ``school_days_between(b, a) == -school_days_between(a, b)``.
  So ``school_days_between(d, add_school_days(d, n)) == n`` for every ``n >= 0``.
- ``school_days_in(first, last)``: the number of school days ``x`` with
  ``first <= x <= last`` (both included, like a suspension "from Monday to Wednesday");
  0 when ``last < first``. ``school_dates_in(first, last)`` lists those days.
- A suspension of n school days starting on school day ``d`` ends on
  ``add_school_days(d, n - 1)``; "the sixth school day" of it is ``add_school_days(d, 5)``.
- ``term_for(d)`` is the term whose first to last day holds ``d`` (half-term included), or
  None in a holiday; ``next_term_after(d)`` and ``current_or_next_term(d)`` look ahead.

Every method raises ``TermDatesMissing`` rather than answer about a year not entered, also
when the answer would step over such a year. ``covers(d)`` asks first without raising.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import holidays
from django.core.exceptions import ValidationError

TERM_NAMES = ("autumn", "spring", "summer")

# Maintained schools must meet for at least 380 sessions, 190 days, a school year; academies
# set their own under their funding agreements (DOMAIN.md 8 [S17]). INSET days are closures
# here, so the count Harbour compares with this is of days open to pupils.
MINIMUM_SCHOOL_DAYS = 190


def academic_year_of(day: dt.date) -> int:
    """The academic (school) year ``day`` falls in, named by the year it starts: 1 September
    2025 to 31 August 2026 is 2025.

    Harbour's school year runs September to August (DOMAIN.md 8: DfE's MTC code treats
    September onwards as the new year [S137]; s579 Education Act 1996). Note the other
    boundaries in use: CTF headers roll over to the new academic year on 1 August [S135], and
    DfE absence statistics count the autumn term from 1 August [S17]; code that writes a CTF
    must apply its own rule, not this one.
    """
    return day.year if day.month >= 9 else day.year - 1


def financial_year_of(day: dt.date) -> int:
    """The financial year ``day`` falls in, named by the year it starts: 1 April 2025 to
    31 March 2026 is 2025. Pupil premium, PP+ and Virtual School grants are paid by financial
    year, so a PP+ rate can change partway through a school year (DOMAIN.md 8 [S111][S114])."""
    return day.year if day.month >= 4 else day.year - 1


def england_bank_holidays(years: Iterable[int]) -> dict[dt.date, str]:
    """England's bank holidays in ``years`` with their names, including one-off days such as a
    coronation. The one source of bank holidays for school days and working days alike.

    Each year's are worked out once per process (the ``holidays`` package takes milliseconds a
    call, and a PEP deadline asked it for every child: docs/benchmarks.md); a new dict each
    call, so a caller may change its own."""
    found: dict[dt.date, str] = {}
    for year in sorted(set(years)):
        found.update(_bank_holidays_of(year))
    return found


@cache
def _bank_holidays_of(year: int) -> tuple[tuple[dt.date, str], ...]:
    return tuple(sorted(holidays.country_holidays("GB", subdiv="ENG", years=[year]).items()))


def academic_year_label(start_year: int) -> str:
    """``2025`` -> ``"2025 to 2026"`` (GOV.UK style for year ranges)."""
    return f"{start_year} to {start_year + 1}"


class TermDatesMissing(ValidationError):
    """The school has not entered the term dates a calculation needs.

    A ``ValidationError``, so a service that lets it through shows the message on the form
    like any other rule. ``academic_year`` is the start year of the year to enter.
    """

    def __init__(self, academic_year: int, day: dt.date | None = None):
        self.academic_year = academic_year
        self.day = day
        label = academic_year_label(academic_year)
        message = (
            f"Harbour cannot count school days in {label} because the school's term dates "
            f"for {label} have not been entered. Ask the school administrator to add them "
            "under Term dates."
        )
        super().__init__(message, code="term_dates_missing")


@dataclass(frozen=True)
class TermDates:
    """One term as the calendar sees it: plain data, so tests need no database."""

    academic_year: int  # start year, as AcademicYear.start_year
    name: str  # "autumn", "spring" or "summer"
    first_day: dt.date
    last_day: dt.date
    half_term_first_day: dt.date | None = None
    half_term_last_day: dt.date | None = None
    pk: int | None = None  # the Term row, when built from the database

    def __str__(self) -> str:
        return f"{self.name.capitalize()} term {academic_year_label(self.academic_year)}"

    def in_half_term(self, day: dt.date) -> bool:
        if self.half_term_first_day is None or self.half_term_last_day is None:
            return False
        return self.half_term_first_day <= day <= self.half_term_last_day


def add_working_days(
    day: dt.date, n: int, *, bank_holidays: Iterable[dt.date] | None = None
) -> dt.date:
    """The n-th working day after ``day`` (before it when ``n`` is negative; ``day`` itself
    when ``n`` is 0), with the same conventions as ``SchoolCalendar.add_school_days``.

    A working day is Monday to Friday and not a bank holiday; school holidays are working
    days (DOMAIN.md 3.2 [S77]: the PEP's 10 and 20 working days). Bank holidays are
    England's, from the ``holidays`` package, unless the caller passes its own.
    """
    if bank_holidays is None:
        years = range(day.year - 1, day.year + abs(n) // 200 + 2)
        bank_holidays = england_bank_holidays(years)
    skip = set(bank_holidays)
    step = 1 if n > 0 else -1
    remaining = abs(n)
    while remaining:
        day += dt.timedelta(days=step)
        if day.weekday() < 5 and day not in skip:
            remaining -= 1
    return day


class SchoolCalendar:
    """One school's school days, computed once from its terms and closures.

    Build it with ``SchoolCalendar.for_school(school)`` (two queries) or, in a pure test,
    ``SchoolCalendar(terms=[TermDates(...)], closures=[(first, last), ...])``. All questions are
    then answered from a sorted list of dates in memory. England's bank holidays are left out
    of term time automatically; ``bank_holidays`` replaces them only in tests.
    """

    def __init__(
        self,
        *,
        terms: Iterable[TermDates],
        closures: Iterable[tuple[dt.date, dt.date]] = (),
        bank_holidays: dict[dt.date, str] | None = None,
    ):
        self.terms: list[TermDates] = sorted(terms, key=lambda t: t.first_day)
        self.closures: list[tuple[dt.date, dt.date]] = sorted(closures)
        if bank_holidays is None:
            years = {t.first_day.year for t in self.terms} | {t.last_day.year for t in self.terms}
            bank_holidays = (
                england_bank_holidays(range(min(years), max(years) + 1)) if years else {}
            )
        self.bank_holidays: dict[dt.date, str] = bank_holidays
        names_by_year: dict[int, set[str]] = {}
        for term in self.terms:
            names_by_year.setdefault(term.academic_year, set()).add(term.name)
        # A year with a term missing would make its school days look like holidays: treat it
        # as not entered, so arithmetic through it stops and says so.
        self.entered_years: frozenset[int] = frozenset(
            year for year, names in names_by_year.items() if names >= set(TERM_NAMES)
        )
        self._days: list[dt.date] = self._compute_school_days()
        self._day_set = frozenset(self._days)
        self._term_firsts = [t.first_day for t in self.terms]
        # Answers of add_school_days_from_unentered, for as long as this calendar lives (a
        # request, a sweep's school): every child who came into care on a day asks it again.
        self._from_unentered: dict[tuple[dt.date, int], dt.date] = {}

    @classmethod
    def for_school(cls, school) -> SchoolCalendar:
        """The calendar of ``school`` from the database: one query for its terms (with their
        academic years), one for its closures."""
        from schools.models import Closure, Term

        terms = Term.objects.filter(academic_year__school=school).select_related("academic_year")
        closures = Closure.objects.filter(school=school).values_list("first_day", "last_day")
        return cls.from_models(terms, closures)

    @classmethod
    def from_models(cls, terms: Iterable, closures: Iterable) -> SchoolCalendar:
        """From ``Term`` rows (with ``academic_year`` loaded) and ``Closure`` rows or
        ``(first_day, last_day)`` pairs, for a page that has already fetched them."""
        return cls(
            terms=[term_dates_of(term) for term in terms],
            closures=[
                (c.first_day, c.last_day) if hasattr(c, "first_day") else tuple(c) for c in closures
            ],
        )

    def _compute_school_days(self) -> list[dt.date]:
        closed = {day for first, last in self.closures for day in _dates(first, last)}
        closed |= set(self.bank_holidays)
        return sorted(
            {
                day
                for term in self.terms
                for day in _dates(term.first_day, term.last_day)
                if day.weekday() < 5 and not term.in_half_term(day) and day not in closed
            }
        )

    def bank_holidays_in_term(self, academic_year: int) -> list[tuple[dt.date, str]]:
        """The bank holidays on weekdays in ``academic_year``'s terms (outside half-term), with
        their names: the days the term dates page says Harbour leaves out."""
        return sorted(
            (day, name)
            for day, name in self.bank_holidays.items()
            if day.weekday() < 5
            and any(
                t.academic_year == academic_year
                and t.first_day <= day <= t.last_day
                and not t.in_half_term(day)
                for t in self.terms
            )
        )

    # --- Coverage -------------------------------------------------------------------------
    def covers(self, day: dt.date) -> bool:
        """Whether the school has entered the term dates of ``day``'s academic year."""
        return academic_year_of(day) in self.entered_years

    def _require(self, first: dt.date, last: dt.date) -> None:
        """Raise ``TermDatesMissing`` for the first academic year from ``first`` to ``last``
        (either order) whose term dates are not entered."""
        low, high = sorted((academic_year_of(first), academic_year_of(last)))
        years = range(low, high + 1) if first <= last else range(high, low - 1, -1)
        for year in years:
            if year not in self.entered_years:
                raise TermDatesMissing(year, first)

    def _first_missing_year(self, day: dt.date, step: int) -> int:
        year = academic_year_of(day)
        while year in self.entered_years:
            year += step
        return year

    # --- Questions about one day ----------------------------------------------------------
    def is_school_day(self, day: dt.date) -> bool:
        """Whether pupils are expected in school on ``day``."""
        self._require(day, day)
        return day in self._day_set

    def school_day_on_or_after(self, day: dt.date) -> dt.date:
        """``day`` if it is a school day, otherwise the next school day."""
        return day if self.is_school_day(day) else self.add_school_days(day, 1)

    def school_day_on_or_before(self, day: dt.date) -> dt.date:
        """``day`` if it is a school day, otherwise the last school day before it."""
        return day if self.is_school_day(day) else self.add_school_days(day, -1)

    # --- Arithmetic -----------------------------------------------------------------------
    def add_school_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th school day after ``day`` (n > 0), the -n-th before it (n < 0), or ``day``
        itself (n == 0). ``day`` does not count and need not be a school day."""
        self._require(day, day)
        if n == 0:
            return day
        if n > 0:
            index = bisect_right(self._days, day) + n - 1
            if index >= len(self._days):
                raise TermDatesMissing(self._first_missing_year(day, 1), day)
        else:
            index = bisect_left(self._days, day) + n
            if index < 0:
                raise TermDatesMissing(self._first_missing_year(day, -1), day)
        result = self._days[index]
        self._require(day, result)  # never step over a year that is not entered
        return result

    def add_school_days_from_unentered(self, day: dt.date, n: int) -> dt.date:
        """``add_school_days(day, n)`` for ``n > 0``, also when ``day`` is in a year whose term
        dates were never entered (a child who came into care before the school used Harbour):
        every weekday that is not a bank holiday up to the first entered term counts as a school
        day, so the answer may come early, never late."""
        if self.covers(day):
            return self.add_school_days(day, n)
        known = [t for t in self.terms if t.first_day > day and self.covers(t.first_day)]
        if not known:
            raise TermDatesMissing(academic_year_of(day), day)
        key = (day, n)
        if key not in self._from_unentered:
            first_known = known[0].first_day
            skip = england_bank_holidays(range(day.year, first_known.year + 1))
            last = first_known - dt.timedelta(days=1)
            weekdays = _weekdays_between(day, last) - sum(
                1 for d in skip if day < d <= last and d.weekday() < 5
            )
            if weekdays >= n:
                self._from_unentered[key] = add_working_days(day, n, bank_holidays=skip)
            else:
                day_one = self.school_day_on_or_after(first_known)
                self._from_unentered[key] = self.add_school_days(day_one, n - weekdays - 1)
        return self._from_unentered[key]

    def school_days_between(self, start: dt.date, end: dt.date) -> int:
        """School days ``x`` with ``start < x <= end``; negative when ``end < start``."""
        if end < start:
            return -self.school_days_between(end, start)
        self._require(start, end)
        return bisect_right(self._days, end) - bisect_right(self._days, start)

    def school_days_in(self, first: dt.date, last: dt.date) -> int:
        """School days ``x`` with ``first <= x <= last`` (both included); 0 if ``last < first``."""
        return len(self.school_dates_in(first, last))

    def school_dates_in(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The school days from ``first`` to ``last``, both included, in order."""
        if last < first:
            return []
        self._require(first, last)
        return self._days[bisect_left(self._days, first) : bisect_right(self._days, last)]

    def school_days_in_term(self, term: TermDates) -> int:
        """The number of school days in ``term``. Unlike the other methods this works for a
        year whose other terms are not entered yet (the term dates page shows it)."""
        return bisect_right(self._days, term.last_day) - bisect_left(self._days, term.first_day)

    # --- Terms ----------------------------------------------------------------------------
    def term_for(self, day: dt.date) -> TermDates | None:
        """The term whose first to last day contains ``day`` (half-term included), or None
        when ``day`` is in a holiday between terms."""
        self._require(day, day)
        index = bisect_right(self._term_firsts, day) - 1
        if index >= 0 and self.terms[index].last_day >= day:
            return self.terms[index]
        return None

    def next_term_after(self, day: dt.date) -> TermDates:
        """The first term that starts after ``day``."""
        self._require(day, day)
        index = bisect_right(self._term_firsts, day)
        if index >= len(self.terms):
            raise TermDatesMissing(self._first_missing_year(day, 1), day)
        term = self.terms[index]
        self._require(day, term.first_day)
        return term

    def current_or_next_term(self, day: dt.date) -> TermDates:
        """The term containing ``day`` or, in a holiday, the one that comes next."""
        return self.term_for(day) or self.next_term_after(day)


def term_dates_of(term) -> TermDates:
    """A ``schools.models.Term`` as plain ``TermDates`` (``academic_year`` must be loaded)."""
    return TermDates(
        academic_year=term.academic_year.start_year,
        name=term.name,
        first_day=term.first_day,
        last_day=term.last_day,
        half_term_first_day=term.half_term_first_day,
        half_term_last_day=term.half_term_last_day,
        pk=term.pk,
    )


def _weekdays_between(start: dt.date, end: dt.date) -> int:
    """Mondays to Fridays ``x`` with ``start < x <= end`` (0 when ``end <= start``), counted
    by whole weeks rather than day by day."""
    days = (end - start).days
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + dt.timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def _dates(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    for offset in range((last - first).days + 1):
        yield first + dt.timedelta(days=offset)
