"""The periods a dashboard or report covers: a school year (1 September to 31 August, so a
summer-holiday leaver counts) or one of its terms, from the school's entered term dates."""

import datetime as dt

from core.report_sections import Period
from schools.schooldays import SchoolCalendar, TermDates, academic_year_label


def year_period(start_year: int) -> Period:
    return Period(
        label=academic_year_label(start_year),
        first_day=dt.date(start_year, 9, 1),
        last_day=dt.date(start_year + 1, 8, 31),
        academic_year=start_year,
    )


def term_period(term: TermDates) -> Period:
    return Period(
        label=str(term),
        first_day=term.first_day,
        last_day=term.last_day,
        academic_year=term.academic_year,
        term_id=term.pk,
    )


def periods_for(calendar: SchoolCalendar) -> list[tuple[str, Period]]:
    """Every period the school can choose, newest first, keyed for a URL: "2025" for a year,
    "term-12" for a term."""
    choices: list[tuple[str, Period]] = []
    for year in sorted(calendar.entered_years, reverse=True):
        choices.append((str(year), year_period(year)))
        terms = [t for t in calendar.terms if t.academic_year == year]
        for term in sorted(terms, key=lambda t: t.first_day, reverse=True):
            choices.append((f"term-{term.pk}", term_period(term)))
    return choices


def period_key(period: Period) -> str:
    return f"term-{period.term_id}" if period.term_id else str(period.academic_year)


def chosen_period(calendar: SchoolCalendar, key: str, *, today: dt.date) -> Period | None:
    """The period ``key`` names, else this school year (the latest entered year that has
    started by ``today``); None when the school has no term dates."""
    choices = dict(periods_for(calendar))
    if key in choices:
        return choices[key]
    started = [y for y in calendar.entered_years if dt.date(y, 9, 1) <= today]
    year = max(started) if started else (min(calendar.entered_years, default=None))
    return year_period(year) if year is not None else None


def terms_in(calendar: SchoolCalendar, period: Period) -> list[TermDates]:
    """The terms of ``period`` (one for a term), oldest first."""
    return [
        t
        for t in calendar.terms
        if t.academic_year == period.academic_year
        and (period.term_id is None or t.pk == period.term_id)
    ]
