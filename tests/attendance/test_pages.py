"""The child's attendance page (calendar coloured by category, weekly chart with its table) and
the PEP's attendance section filled from the register."""

import datetime as dt

import pytest
import time_machine

from pupils.pep_hooks import ATTENDANCE_SUMMARY, summary
from tests.attendance.conftest import mark, school_days

D = dt.date
pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 10, 14, 10, 0), tick=False)
def test_the_childs_page_shows_the_calendar_and_the_weekly_chart(dt_client, school, child):
    days = school_days(school, D(2026, 9, 7), D(2026, 10, 14))
    mark(child, days[:-1])
    mark(child, days[-1:], am="C1", pm="N")
    response = dt_client.get(f"/attendance/pupils/{child.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "harbour-mark--authorised" in html and "C1" in html
    assert "harbour-mark--unauthorised" in html
    assert "Attendance by week" in html and "data:image/svg+xml" in html
    assert 'style="' not in html  # CSP: classes, never inline style


def test_the_pep_provider_gives_the_school_year_and_the_placement_move_figure(school, child):
    from attendance.models import PlacementMove

    days = school_days(school, D(2026, 9, 7), D(2026, 9, 18))
    mark(child, days[:8])
    mark(child, days[8:], am="C", pm="C")
    PlacementMove.objects.create(school=school, pupil=child, first_day=days[8], last_day=days[9])
    rows = dict(summary(ATTENDANCE_SUMMARY, pupil=child, until=D(2026, 9, 18)))
    assert rows["Attendance from the register"].startswith("80.0% of 20 possible sessions")
    assert rows["Without care placement move days"] == "100.0%"
