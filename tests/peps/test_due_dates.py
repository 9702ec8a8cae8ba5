"""When a child in care's PEP is due (peps.due), on plain data: no database, no clock.

The calendar: autumn Wed 2 Sep to Fri 18 Dec 2026 (half-term 26 to 30 Oct), spring Mon 4 Jan to
Fri 26 Mar 2027 (half-term 15 to 19 Feb), summer Mon 12 Apr to Wed 21 Jul 2027 (half-term
31 May to 4 Jun), then autumn 2027 from Wed 1 Sep.
"""

import datetime as dt
from dataclasses import dataclass

import pytest

from peps.due import (
    ChildFacts,
    PepRule,
    PepState,
    care_spell_start,
    pep_status,
    pep_statuses,
    term_pep_status,
)
from schools.schooldays import SchoolCalendar, TermDates, TermDatesMissing

D = dt.date


def year_terms(start_year, autumn, spring, summer):
    return [
        TermDates(start_year, name, *dates)
        for name, dates in (("autumn", autumn), ("spring", spring), ("summer", summer))
    ]


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
AUTUMN, SPRING, SUMMER = TERMS_2026
AUTUMN_2027 = TERMS_2027[0]


@dataclass(frozen=True)
class Ep:
    start_date: dt.date
    end_date: dt.date | None = None
    kind: str = "in_care"


@pytest.fixture
def calendar():
    return SchoolCalendar(terms=TERMS_2026 + TERMS_2027)


ADMITTED = D(2020, 9, 2)
HARBOUR_RULE = PepRule()


def child(*episodes, admission=ADMITTED, leaving=None, completed=None):
    return ChildFacts(
        episodes=tuple(episodes or (Ep(D(2024, 1, 10)),)),
        admission_date=admission,
        leaving_date=leaving,
        completed=completed or {},
    )


def status(calendar, term, facts, today, rule=HARBOUR_RULE):
    return term_pep_status(calendar=calendar, term=term, child=facts, today=today, rule=rule)


# --- The termly deadline ---------------------------------------------------------------------


def test_termly_pep_is_due_by_the_last_school_day_of_the_term(calendar):
    result = status(calendar, AUTUMN, child(), D(2026, 9, 10))
    assert result.deadline == D(2026, 12, 18)
    assert result.first_pep is False
    assert result.state == PepState.UPCOMING


def test_termly_deadline_skips_a_closure_on_the_last_day_of_term():
    calendar = SchoolCalendar(terms=TERMS_2026, closures=[(D(2026, 12, 18), D(2026, 12, 18))])
    assert status(calendar, AUTUMN, child(), D(2026, 9, 10)).deadline == D(2026, 12, 17)


def test_summer_term_ending_on_a_wednesday_is_due_that_wednesday(calendar):
    assert status(calendar, SUMMER, child(), D(2027, 4, 12)).deadline == D(2027, 7, 21)


def test_pep_becomes_due_15_school_days_before_the_deadline(calendar):
    # School days after Fri 27 Nov up to Fri 18 Dec: 30 Nov to 4 Dec, 7 to 11, 14 to 18 = 15.
    due = status(calendar, AUTUMN, child(), D(2026, 11, 27))
    assert due.state == PepState.DUE
    assert due.school_days_left == 15
    before = status(calendar, AUTUMN, child(), D(2026, 11, 26))
    assert before.state == PepState.UPCOMING
    assert before.school_days_left == 16


def test_due_window_counts_school_days_so_half_term_does_not_count():
    # A deadline a week after half-term: its 15 school days reach back before the break.
    rule = PepRule(termly_deadline_school_days_before_end=30)
    calendar = SchoolCalendar(terms=TERMS_2026)
    deadline = status(calendar, AUTUMN, child(), D(2026, 9, 10), rule).deadline
    assert deadline == D(2026, 11, 6)  # 30 school days before Fri 18 Dec
    # 12 to 16 Oct, 19 to 23 Oct, (half-term), 2 to 6 Nov: 15 school days after Fri 9 Oct.
    assert status(calendar, AUTUMN, child(), D(2026, 10, 9), rule).state == PepState.DUE
    assert status(calendar, AUTUMN, child(), D(2026, 10, 8), rule).state == PepState.UPCOMING


def test_pep_is_due_on_the_deadline_itself_with_no_school_days_left(calendar):
    result = status(calendar, AUTUMN, child(), D(2026, 12, 18))
    assert result.state == PepState.DUE
    assert result.school_days_left == 0


def test_school_with_a_stricter_rule_moves_the_termly_deadline_earlier(calendar):
    rule = PepRule(termly_deadline_school_days_before_end=5)
    assert status(calendar, AUTUMN, child(), D(2026, 9, 10), rule).deadline == D(2026, 12, 11)


# --- Overdue and done ------------------------------------------------------------------------


def test_autumn_pep_not_held_is_overdue_in_the_spring_term_counting_school_days(calendar):
    statuses = pep_statuses(calendar=calendar, child=child(), today=D(2027, 1, 6))
    assert [(s.term.name, s.state) for s in statuses] == [
        ("autumn", PepState.OVERDUE),
        ("spring", PepState.UPCOMING),
    ]
    assert statuses[0].school_days_overdue == 3  # 4, 5 and 6 January


def test_overdue_in_the_christmas_holiday_has_no_school_days_overdue_yet(calendar):
    overdue = pep_status(calendar=calendar, child=child(), today=D(2026, 12, 25))
    assert overdue.term == AUTUMN
    assert overdue.state == PepState.OVERDUE
    assert overdue.school_days_overdue == 0


def test_last_terms_overdue_pep_stops_nagging_once_this_terms_pep_is_held(calendar):
    facts = child(completed={(2026, "spring"): D(2027, 1, 20)})
    statuses = pep_statuses(calendar=calendar, child=facts, today=D(2027, 1, 25))
    assert [(s.term.name, s.state) for s in statuses] == [("spring", PepState.DONE)]


def test_completed_pep_is_done_for_the_term_and_on_time_when_held_by_the_deadline(calendar):
    facts = child(completed={(2026, "autumn"): D(2026, 11, 10)})
    result = status(calendar, AUTUMN, facts, D(2026, 11, 12))
    assert result.state == PepState.DONE
    assert result.on_time is True


def test_pep_held_after_the_deadline_is_done_but_late(calendar):
    facts = child(completed={(2026, "autumn"): D(2027, 1, 7)})
    result = status(calendar, AUTUMN, facts, D(2027, 1, 8))
    assert result.state == PepState.DONE
    assert result.on_time is False


# --- The first PEP ---------------------------------------------------------------------------


def test_first_pep_is_due_20_school_days_after_coming_into_care_skipping_half_term(calendar):
    # In care from Tue 20 Oct: 21 to 23 Oct (3), half-term, 2 to 20 Nov (18), 23 and 24 Nov.
    facts = child(Ep(D(2026, 10, 20)))
    result = status(calendar, AUTUMN, facts, D(2026, 10, 21))
    assert result.deadline == D(2026, 11, 24)
    assert result.first_pep is True
    assert result.care_started == D(2026, 10, 20)
    assert result.state == PepState.UPCOMING  # 20 school days left
    assert status(calendar, AUTUMN, facts, D(2026, 11, 3)).state == PepState.DUE


def test_child_coming_into_care_late_in_term_has_the_first_pep_next_term(calendar):
    # In care from Mon 7 Dec: 8 to 18 Dec (9), 4 to 15 Jan (10), Mon 18 Jan is the 20th.
    facts = child(Ep(D(2026, 12, 7)))
    autumn = status(calendar, AUTUMN, facts, D(2026, 12, 8))
    assert autumn.state == PepState.NOT_REQUIRED
    spring = status(calendar, SPRING, facts, D(2026, 12, 8))
    assert spring.deadline == D(2027, 1, 18)
    assert spring.first_pep is True
    # In the holiday the child's status is the spring PEP's, with no overdue autumn one.
    statuses = pep_statuses(calendar=calendar, child=facts, today=D(2026, 12, 28))
    assert [(s.term.name, s.state) for s in statuses] == [("spring", PepState.DUE)]


def test_first_pep_deadline_runs_across_the_summer_into_the_next_academic_year(calendar):
    # In care from Fri 9 Jul 2027: 12 to 21 Jul (8), then 1 to 16 Sep 2027 (12).
    facts = child(Ep(D(2027, 7, 9)))
    assert status(calendar, SUMMER, facts, D(2027, 7, 12)).state == PepState.NOT_REQUIRED
    autumn = status(calendar, AUTUMN_2027, facts, D(2027, 7, 12))
    assert autumn.deadline == D(2027, 9, 16)
    assert autumn.first_pep is True


def test_child_joining_the_school_has_20_school_days_from_joining(calendar):
    # In care for years, admitted Mon 4 Jan 2027: 5 Jan to 1 Feb is 20 school days.
    facts = child(Ep(D(2023, 5, 1)), admission=D(2027, 1, 4))
    result = status(calendar, SPRING, facts, D(2027, 1, 4))
    assert result.care_started == D(2027, 1, 4)
    assert result.deadline == D(2027, 2, 1)
    assert result.first_pep is True
    assert result.joined_school is True  # so the page says "since joining the school"
    came_into_care = status(calendar, AUTUMN, child(Ep(D(2026, 10, 20))), D(2026, 10, 21))
    assert came_into_care.joined_school is False


def test_school_with_a_stricter_first_pep_rule_gets_an_earlier_first_deadline(calendar):
    facts = child(Ep(D(2026, 10, 20)))
    rule = PepRule(first_pep_school_days=10)
    # 21 to 23 Oct (3), 2 to 6 Nov (5), 9 and 10 Nov.
    assert status(calendar, AUTUMN, facts, D(2026, 10, 21), rule).deadline == D(2026, 11, 10)


def test_change_of_legal_basis_is_not_coming_into_care_again(calendar):
    facts = child(
        Ep(D(2026, 6, 1), D(2026, 11, 2)),  # interim care order
        Ep(D(2026, 11, 2)),  # care order from the day the interim one ended
    )
    result = status(calendar, AUTUMN, facts, D(2026, 11, 3))
    assert result.care_started == D(2026, 6, 1)
    assert result.first_pep is False
    assert result.deadline == D(2026, 12, 18)


def test_coming_back_into_care_after_a_gap_starts_a_new_first_pep(calendar):
    facts = child(Ep(D(2025, 1, 6), D(2026, 9, 1)), Ep(D(2026, 10, 20)))
    assert care_spell_start(facts.episodes, D(2026, 10, 21)) == D(2026, 10, 20)
    assert status(calendar, AUTUMN, facts, D(2026, 10, 21)).deadline == D(2026, 11, 24)


def test_child_in_care_since_before_the_schools_first_year_in_harbour_needs_no_old_dates():
    calendar = SchoolCalendar(terms=TERMS_2026)
    facts = child(Ep(D(2026, 8, 20)))  # summer holiday of a year the school never entered
    result = status(calendar, AUTUMN, facts, D(2026, 9, 2))
    # The 7 weekdays of the holiday count (21 Aug to 1 Sep, less the bank holiday on Mon 31 Aug),
    # then 2 to 18 Sep: early, never late.
    assert result.deadline == D(2026, 9, 18)
    assert result.first_pep is True


# --- Not required ----------------------------------------------------------------------------


def test_child_not_in_care_needs_no_pep(calendar):
    facts = child(Ep(D(2024, 1, 1), kind="child_in_need_plan"))
    assert status(calendar, AUTUMN, facts, D(2026, 10, 1)).state == PepState.NOT_REQUIRED


def test_child_who_left_care_before_the_deadline_needs_no_pep_for_that_term(calendar):
    facts = child(Ep(D(2024, 1, 1), D(2026, 12, 1)))
    assert status(calendar, AUTUMN, facts, D(2026, 11, 1)).state == PepState.UPCOMING
    assert status(calendar, AUTUMN, facts, D(2027, 1, 5)).state == PepState.NOT_REQUIRED


def test_child_who_left_the_school_needs_no_pep(calendar):
    facts = child(leaving=D(2026, 11, 20))
    assert status(calendar, AUTUMN, facts, D(2026, 12, 1)).state == PepState.NOT_REQUIRED


def test_pep_completed_for_a_child_no_longer_in_care_still_shows_as_done(calendar):
    facts = child(Ep(D(2024, 1, 1), D(2026, 12, 1)), completed={(2026, "autumn"): D(2026, 11, 9)})
    result = status(calendar, AUTUMN, facts, D(2027, 1, 5))
    assert result.state == PepState.DONE
    assert result.required is False


def test_missing_term_dates_raise_rather_than_guess():
    calendar = SchoolCalendar(terms=TERMS_2026)
    with pytest.raises(TermDatesMissing) as error:
        pep_status(calendar=calendar, child=child(), today=D(2027, 8, 10))
    assert error.value.academic_year == 2027


# --- A missed first PEP, and the 18th birthday -----------------------------------------------


def test_a_missed_first_pep_stays_overdue_when_the_child_then_leaves_care_before_term_ends(
    calendar,
):
    # In care from Mon 7 Sep 2026: the first PEP is due by Mon 5 Oct (20 school days later).
    # It is never held, and the child goes home on 1 Dec, before the end of term (18 Dec).
    facts = child(Ep(D(2026, 9, 7), D(2026, 12, 1)))
    result = status(calendar, AUTUMN, facts, D(2027, 1, 20))
    assert result.state == PepState.OVERDUE
    assert (result.deadline, result.first_pep) == (D(2026, 10, 5), True)


def test_a_child_who_left_care_before_their_first_pep_deadline_needs_none(calendar):
    facts = child(Ep(D(2026, 9, 7), D(2026, 10, 2)))
    assert status(calendar, AUTUMN, facts, D(2027, 1, 20)).state == PepState.NOT_REQUIRED


def adult_at(birthday_18, *episodes):
    facts = child(*episodes)
    return ChildFacts(
        episodes=facts.episodes,
        admission_date=facts.admission_date,
        date_of_birth=birthday_18.replace(year=birthday_18.year - 18),
    )


def test_no_pep_is_due_for_a_term_whose_deadline_falls_after_the_18th_birthday(calendar):
    # Turns 18 on Wed 10 Feb 2027, mid spring term; the care episode was never closed.
    facts = adult_at(D(2027, 2, 10))
    assert status(calendar, AUTUMN, facts, D(2026, 9, 10)).state == PepState.UPCOMING
    for today in (D(2027, 1, 5), D(2027, 2, 10), D(2027, 4, 1)):
        assert status(calendar, SPRING, facts, today).state == PepState.NOT_REQUIRED
    spring = pep_statuses(calendar=calendar, child=facts, today=D(2027, 3, 1))[-1]
    assert (spring.term, spring.state) == (SPRING, PepState.NOT_REQUIRED)


def test_an_18th_birthday_on_the_deadline_means_no_pep_the_day_before_means_one(calendar):
    # Spring's deadline is Thu 25 Mar 2027 (Fri 26 Mar is Good Friday): on the 18th birthday
    # the child is no longer a child.
    on_deadline = adult_at(D(2027, 3, 25))
    day_after = adult_at(D(2027, 3, 26))
    assert status(calendar, SPRING, on_deadline, D(2027, 3, 1)).state == PepState.NOT_REQUIRED
    assert status(calendar, SPRING, day_after, D(2027, 3, 1)).state == PepState.UPCOMING


def test_a_first_pep_due_after_the_18th_birthday_is_not_required(calendar):
    # Into care Mon 7 Sep 2026 (first PEP due 5 Oct), 18 on 1 Oct.
    facts = adult_at(D(2026, 10, 1), Ep(D(2026, 9, 7)))
    assert status(calendar, AUTUMN, facts, D(2026, 9, 8)).state == PepState.NOT_REQUIRED
