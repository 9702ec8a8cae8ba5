"""How long the foundation takes: a school's calendar for deadlines, and the home page."""

import datetime as dt

import pytest

from schools.schooldays import SchoolCalendar
from tests.factories import add_closure, add_year


@pytest.mark.django_db
def test_school_calendar_over_two_years(school, within_target):
    add_year(school, 2025)
    add_year(school, 2026)
    add_closure(school, dt.date(2026, 11, 2))

    def deadlines():
        calendar = SchoolCalendar.for_school(school)
        return [
            calendar.add_school_days(dt.date(2025, 9, 1) + dt.timedelta(d), 20) for d in range(300)
        ]

    assert len(within_target("school_calendar", deadlines)) == 300


@pytest.mark.django_db
def test_home_page(head_client, within_target):
    response = within_target("home_page", head_client.get, "/")
    assert response.status_code == 200
