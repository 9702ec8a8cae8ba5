"""SchoolCalendar.for_school: a school's own terms and closures, in two queries."""

import datetime as dt

import pytest

from schools.schooldays import SchoolCalendar, TermDatesMissing
from tests.factories import add_closure, add_year

D = dt.date
pytestmark = pytest.mark.django_db


def test_for_school_reads_terms_and_closures_in_two_queries(school, django_assert_num_queries):
    add_year(school, 2025)
    add_year(school, 2026)
    add_closure(school, D(2026, 1, 5))
    with django_assert_num_queries(2):  # terms with their academic years; closures
        calendar = SchoolCalendar.for_school(school)
    assert calendar.entered_years == {2025, 2026}
    assert calendar.add_school_days(D(2025, 12, 18), 1) == D(2026, 1, 6)
    assert calendar.term_for(D(2025, 10, 1)).pk is not None


def test_for_school_ignores_another_schools_dates(school, other_school):
    add_year(school, 2025)
    add_year(other_school, 2026)
    add_closure(other_school, D(2025, 9, 4))
    calendar = SchoolCalendar.for_school(school)
    assert calendar.is_school_day(D(2025, 9, 4))
    with pytest.raises(TermDatesMissing):
        calendar.add_school_days(D(2026, 7, 21), 1)
