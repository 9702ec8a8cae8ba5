"""School-day arithmetic (schools.schooldays), on plain data: no database, no clock.

The calendar below is the factories' default year (tests.factories.add_year) for 2025 to 2026:
autumn Wed 3 Sep to Thu 18 Dec 2025 (half-term 27 to 31 Oct), spring Mon 5 Jan to Fri 27 Mar
2026 (half-term 16 to 20 Feb), summer Mon 13 Apr to Tue 21 Jul 2026 (half-term 25 to 29 May).
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from schools.schooldays import (
    SchoolCalendar,
    TermDates,
    TermDatesMissing,
    academic_year_of,
    add_working_days,
    financial_year_of,
)

D = dt.date


def year_terms(start_year, autumn, spring, summer):
    """TermDates for one year from (first, last, half-term first, half-term last) tuples."""
    return [
        TermDates(start_year, name, *dates)
        for name, dates in (("autumn", autumn), ("spring", spring), ("summer", summer))
    ]


TERMS_2025 = year_terms(
    2025,
    (D(2025, 9, 3), D(2025, 12, 18), D(2025, 10, 27), D(2025, 10, 31)),
    (D(2026, 1, 5), D(2026, 3, 27), D(2026, 2, 16), D(2026, 2, 20)),
    (D(2026, 4, 13), D(2026, 7, 21), D(2026, 5, 25), D(2026, 5, 29)),
)
TERMS_2026 = year_terms(
    2026,
    (D(2026, 9, 2), D(2026, 12, 18), D(2026, 10, 26), D(2026, 10, 30)),
    (D(2027, 1, 4), D(2027, 3, 26), D(2027, 2, 15), D(2027, 2, 19)),
    (D(2027, 4, 12), D(2027, 7, 21), D(2027, 5, 31), D(2027, 6, 4)),
)
TERMS_2027 = year_terms(
    2027,
    (D(2027, 9, 1), D(2027, 12, 17), D(2027, 10, 25), D(2027, 10, 29)),
    (D(2028, 1, 4), D(2028, 3, 31), D(2028, 2, 14), D(2028, 2, 18)),
    (D(2028, 4, 18), D(2028, 7, 20), D(2028, 5, 29), D(2028, 6, 2)),
)


@pytest.fixture
def calendar():
    return SchoolCalendar(terms=TERMS_2025)


@pytest.fixture
def two_years():
    return SchoolCalendar(terms=TERMS_2025 + TERMS_2026)


# --- is_school_day -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 9, 3), True),  # first day of the autumn term
        (D(2025, 9, 2), False),  # the day before term starts
        (D(2025, 9, 6), False),  # Saturday
        (D(2025, 9, 7), False),  # Sunday
        (D(2025, 10, 29), False),  # autumn half-term
        (D(2025, 11, 3), True),  # back after half-term
        (D(2025, 12, 18), True),  # last day of the autumn term
        (D(2025, 12, 22), False),  # Christmas holiday, a Monday
        (D(2026, 4, 6), False),  # Easter holiday, a Monday
        (D(2026, 7, 21), True),  # last day of the school year
        (D(2026, 8, 3), False),  # summer holiday
    ],
)
def test_a_school_day_is_a_weekday_in_term_outside_half_term(calendar, day, expected):
    assert calendar.is_school_day(day) is expected


def test_a_closure_is_not_a_school_day():
    calendar = SchoolCalendar(
        terms=TERMS_2025, closures=[(D(2026, 1, 5), D(2026, 1, 5)), (D(2026, 2, 2), D(2026, 2, 4))]
    )
    assert not calendar.is_school_day(D(2026, 1, 5))
    assert [calendar.is_school_day(D(2026, 2, d)) for d in range(2, 7)] == [
        False,
        False,
        False,
        True,
        True,
    ]


# --- add_school_days ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 9, 3), 1, D(2025, 9, 4)),  # a plain weekday
        (D(2025, 9, 5), 1, D(2025, 9, 8)),  # over a weekend
        (D(2025, 9, 6), 1, D(2025, 9, 8)),  # from a Saturday: the start need not be a school day
        (D(2025, 9, 1), 1, D(2025, 9, 3)),  # before term: the first day of term
        (D(2025, 10, 24), 1, D(2025, 11, 3)),  # over the autumn half-term
        (D(2025, 12, 18), 1, D(2026, 1, 5)),  # over Christmas
        (D(2026, 3, 27), 1, D(2026, 4, 13)),  # over Easter
        (D(2026, 2, 13), 1, D(2026, 2, 23)),  # over the spring half-term
        # 20 school days (a PEP deadline) across half-term:
        # 14-17 Oct (4), 20-24 Oct (9), half-term, 3-7 Nov (14), 10-14 Nov (19), 17 Nov (20)
        (D(2025, 10, 13), 20, D(2025, 11, 17)),
        (D(2025, 12, 15), 5, D(2026, 1, 6)),  # 16, 17, 18 Dec, then 5, 6 Jan
    ],
)
def test_add_school_days_counts_only_school_days(calendar, start, n, expected):
    assert calendar.add_school_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 11, 3), -1, D(2025, 10, 24)),  # back over half-term
        (D(2026, 1, 5), -1, D(2025, 12, 18)),  # back over Christmas
        (D(2025, 9, 8), -1, D(2025, 9, 5)),  # back over a weekend
        (D(2025, 9, 7), -1, D(2025, 9, 5)),  # from a Sunday
        (D(2025, 11, 17), -20, D(2025, 10, 13)),
    ],
)
def test_negative_n_counts_backwards(calendar, start, n, expected):
    assert calendar.add_school_days(start, n) == expected


def test_adding_zero_school_days_returns_the_date_unchanged_even_in_a_holiday(calendar):
    assert calendar.add_school_days(D(2025, 9, 4), 0) == D(2025, 9, 4)
    assert calendar.add_school_days(D(2025, 12, 25), 0) == D(2025, 12, 25)


def test_rolling_a_date_to_a_school_day(calendar):
    assert calendar.school_day_on_or_after(D(2025, 9, 4)) == D(2025, 9, 4)
    assert calendar.school_day_on_or_after(D(2025, 12, 25)) == D(2026, 1, 5)
    assert calendar.school_day_on_or_before(D(2025, 12, 25)) == D(2025, 12, 18)


def test_a_closure_pushes_the_deadline_back():
    inset = SchoolCalendar(terms=TERMS_2025, closures=[(D(2026, 1, 5), D(2026, 1, 5))])
    assert inset.add_school_days(D(2025, 12, 18), 1) == D(2026, 1, 6)
    assert inset.add_school_days(D(2026, 1, 6), -1) == D(2025, 12, 18)


def test_counting_runs_across_the_end_of_the_school_year(two_years):
    assert two_years.add_school_days(D(2026, 7, 21), 1) == D(2026, 9, 2)
    assert two_years.add_school_days(D(2026, 7, 20), 3) == D(2026, 9, 3)
    assert two_years.add_school_days(D(2026, 9, 2), -2) == D(2026, 7, 20)


def test_add_then_count_gives_back_n(two_years):
    """school_days_between(d, add_school_days(d, n)) == n for n >= 0, from any date, and
    adding n then -n returns to d when d is a school day."""
    day = D(2025, 9, 1)
    while day < D(2026, 8, 1):
        for n in (0, 1, 5, 20, 45):
            later = two_years.add_school_days(day, n)
            assert two_years.school_days_between(day, later) == n
            if n and two_years.is_school_day(day):
                assert two_years.add_school_days(later, -n) == day
        day += dt.timedelta(days=1)


def test_a_suspension_ends_and_its_sixth_day_falls_as_the_module_docstring_says(calendar):
    # Three school days from Thursday 23 October: 23, 24 October, then 3 November.
    first = D(2025, 10, 23)
    assert calendar.add_school_days(first, 3 - 1) == D(2025, 11, 3)
    assert calendar.school_days_in(first, D(2025, 11, 3)) == 3
    # Its sixth school day: 23, 24 Oct, 3, 4, 5, 6 Nov.
    assert calendar.add_school_days(first, 5) == D(2025, 11, 6)


# --- Counting ----------------------------------------------------------------------------
def test_school_days_between_excludes_the_start_and_includes_the_end(calendar):
    assert calendar.school_days_between(D(2025, 9, 5), D(2025, 9, 8)) == 1
    assert calendar.school_days_between(D(2025, 9, 8), D(2025, 9, 8)) == 0
    assert calendar.school_days_between(D(2025, 9, 3), D(2025, 9, 10)) == 5
    assert calendar.school_days_between(D(2025, 10, 24), D(2025, 11, 3)) == 1


def test_school_days_between_is_negative_when_the_end_comes_first(calendar):
    assert calendar.school_days_between(D(2025, 9, 10), D(2025, 9, 3)) == -5


def test_school_days_in_counts_both_ends(calendar):
    # A suspension from Monday to Wednesday is three school days.
    assert calendar.school_days_in(D(2025, 9, 8), D(2025, 9, 10)) == 3
    # Thursday before half-term to Tuesday after it: 23, 24 Oct, 3, 4 Nov.
    assert calendar.school_days_in(D(2025, 10, 23), D(2025, 11, 4)) == 4
    assert calendar.school_dates_in(D(2025, 10, 23), D(2025, 11, 4)) == [
        D(2025, 10, 23),
        D(2025, 10, 24),
        D(2025, 11, 3),
        D(2025, 11, 4),
    ]
    assert calendar.school_days_in(D(2025, 9, 10), D(2025, 9, 8)) == 0


def test_a_term_and_a_year_have_the_school_days_counted_by_hand(calendar):
    # Autumn: 3-5 Sep (3) + 8 Sep-24 Oct (35) + 3 Nov-12 Dec (30) + 15-18 Dec (4) = 72.
    # Spring: 5 Jan-13 Feb (30) + 23 Feb-27 Mar (25) = 55.
    # Summer: 13 Apr-22 May (30, less the bank holiday on Mon 4 May: 29) + 1 Jun-17 Jul (35)
    # + 20-21 Jul (2) = 66.
    counts = [calendar.school_days_in_term(term) for term in TERMS_2025]
    assert counts == [72, 55, 66]
    assert calendar.school_days_in(D(2025, 9, 1), D(2026, 8, 31)) == 193


# --- Missing term dates ------------------------------------------------------------------
def test_counting_past_the_last_year_entered_names_the_year_to_enter(calendar):
    with pytest.raises(TermDatesMissing) as raised:
        calendar.add_school_days(D(2026, 7, 20), 2)
    assert raised.value.academic_year == 2026
    assert "2026 to 2027" in raised.value.message
    assert isinstance(raised.value, ValidationError)


def test_counting_back_before_the_first_year_entered_names_that_year(calendar):
    with pytest.raises(TermDatesMissing) as raised:
        calendar.add_school_days(D(2025, 9, 3), -1)
    assert raised.value.academic_year == 2024


@pytest.mark.parametrize(
    "question",
    [
        lambda c: c.is_school_day(D(2026, 9, 2)),
        lambda c: c.school_days_between(D(2026, 7, 1), D(2026, 9, 10)),
        lambda c: c.school_days_in(D(2026, 9, 1), D(2026, 9, 30)),
        lambda c: c.term_for(D(2024, 10, 1)),
        lambda c: c.next_term_after(D(2026, 7, 22)),
    ],
)
def test_no_question_about_a_year_not_entered_is_guessed(calendar, question):
    with pytest.raises(TermDatesMissing):
        question(calendar)


def test_a_year_missing_from_the_middle_is_not_stepped_over():
    calendar = SchoolCalendar(terms=TERMS_2025 + TERMS_2027)
    with pytest.raises(TermDatesMissing) as raised:
        calendar.add_school_days(D(2026, 7, 21), 1)
    assert raised.value.academic_year == 2026
    with pytest.raises(TermDatesMissing) as raised:
        calendar.school_days_between(D(2026, 7, 1), D(2027, 10, 1))
    assert raised.value.academic_year == 2026


def test_a_year_with_a_term_missing_counts_as_not_entered():
    calendar = SchoolCalendar(terms=TERMS_2025 + TERMS_2026[:2])  # no summer 2027
    with pytest.raises(TermDatesMissing) as raised:
        calendar.add_school_days(D(2026, 7, 21), 1)
    assert raised.value.academic_year == 2026
    assert calendar.entered_years == {2025}


# --- Terms -------------------------------------------------------------------------------
def test_term_for_includes_half_term_and_is_none_in_a_holiday(calendar):
    assert calendar.term_for(D(2025, 9, 3)).name == "autumn"
    assert calendar.term_for(D(2025, 10, 29)).name == "autumn"
    assert calendar.term_for(D(2026, 7, 21)).name == "summer"
    assert calendar.term_for(D(2025, 12, 25)) is None
    assert calendar.term_for(D(2025, 9, 1)) is None


def test_next_term_and_current_or_next_term(two_years):
    assert two_years.next_term_after(D(2025, 12, 25)).name == "spring"
    assert two_years.next_term_after(D(2025, 10, 1)).name == "spring"
    assert two_years.current_or_next_term(D(2025, 10, 1)).name == "autumn"
    after_summer = two_years.current_or_next_term(D(2026, 8, 10))
    assert (after_summer.academic_year, after_summer.name) == (2026, "autumn")


def test_the_term_after_the_last_one_entered_is_missing(calendar):
    with pytest.raises(TermDatesMissing) as raised:
        calendar.current_or_next_term(D(2026, 7, 30))
    assert raised.value.academic_year == 2026


# --- Years -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 8, 31), 2024),
        (D(2025, 9, 1), 2025),
        (D(2026, 1, 1), 2025),
        (D(2026, 7, 31), 2025),
        (D(2026, 8, 1), 2025),  # CTF headers roll over here, Harbour's school year does not
    ],
)
def test_academic_year_runs_september_to_august(day, expected):
    assert academic_year_of(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 3, 31), 2025),
        (D(2026, 4, 1), 2026),
        (D(2026, 1, 1), 2025),
        (D(2025, 12, 31), 2025),
    ],
)
def test_financial_year_runs_april_to_march(day, expected):
    assert financial_year_of(day) == expected


# --- Working days ------------------------------------------------------------------------
def test_working_days_count_school_holidays_but_not_weekends():
    assert add_working_days(D(2025, 12, 19), 1) == D(2025, 12, 22)  # Friday to Monday
    # Christmas Day, Boxing Day and New Year's Day are England's bank holidays.
    assert add_working_days(D(2025, 12, 22), 10) == D(2026, 1, 8)
    assert add_working_days(D(2025, 12, 22), 10, bank_holidays=()) == D(2026, 1, 5)
    # The 2023 coronation was a one-off bank holiday.
    assert add_working_days(D(2023, 5, 5), 1) == D(2023, 5, 9)
    assert add_working_days(D(2025, 12, 22), 0) == D(2025, 12, 22)
    assert add_working_days(D(2025, 12, 22), -1) == D(2025, 12, 19)


def test_working_days_skip_the_bank_holidays_passed_in():
    christmas = {D(2025, 12, 25), D(2025, 12, 26), D(2026, 1, 1)}
    # 23, 24, 29, 30, 31 Dec, 2, 5, 6, 7, 8 Jan.
    assert add_working_days(D(2025, 12, 22), 10, bank_holidays=christmas) == D(2026, 1, 8)


# --- England's bank holidays -----------------------------------------------------------------
# 2026 to 2027 (TERMS_2026): Good Friday is Fri 26 Mar 2027, the spring term's last day; the
# early May bank holiday is Mon 3 May 2027, in the summer term. 2025 to 2026: Mon 4 May 2026.


def test_a_bank_holiday_in_term_is_not_a_school_day_without_being_typed_in():
    calendar = SchoolCalendar(terms=TERMS_2026)
    assert not calendar.is_school_day(D(2027, 5, 3))
    assert calendar.add_school_days(D(2027, 4, 30), 1) == D(2027, 5, 4)


def test_a_bank_holiday_on_the_last_day_of_term_moves_the_last_school_day_back():
    calendar = SchoolCalendar(terms=TERMS_2026)
    assert not calendar.is_school_day(D(2027, 3, 26))  # Good Friday
    assert calendar.school_day_on_or_before(D(2027, 3, 26)) == D(2027, 3, 25)


def test_a_bank_holiday_on_the_first_day_of_term_moves_the_first_school_day_on():
    # A summer term entered as starting on Easter Monday 29 Mar 2027.
    autumn, spring, summer = TERMS_2026
    early = TermDates(
        2026,
        "summer",
        D(2027, 3, 29),
        summer.last_day,
        summer.half_term_first_day,
        summer.half_term_last_day,
    )
    calendar = SchoolCalendar(terms=[autumn, spring, early])
    assert not calendar.is_school_day(D(2027, 3, 29))
    assert calendar.school_day_on_or_after(D(2027, 3, 29)) == D(2027, 3, 30)


def test_a_closure_typed_in_on_a_bank_holiday_is_not_counted_twice():
    plain = SchoolCalendar(terms=TERMS_2025)
    typed = SchoolCalendar(terms=TERMS_2025, closures=[(D(2026, 5, 4), D(2026, 5, 4))])
    summer = TERMS_2025[2]
    assert plain.school_days_in_term(summer) == typed.school_days_in_term(summer) == 66
    assert plain.school_days_in(D(2026, 5, 1), D(2026, 5, 5)) == 2


def test_the_calendar_lists_the_bank_holidays_it_left_out_of_term():
    calendar = SchoolCalendar(terms=TERMS_2026)
    assert calendar.bank_holidays_in_term(2026) == [
        (D(2027, 3, 26), "Good Friday"),
        (D(2027, 5, 3), "May Day"),
    ]
