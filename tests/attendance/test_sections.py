"""Attendance on the head's dashboard and in the governors' report (each group against all
pupils, a fixed number of queries), the DT's work-queue item, and the term's figure and flags
on the child's main record page."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance.models import AttendanceConcern, AttendanceNotice, PeerFigures
from attendance.report_sections import (
    attendance_dashboard,
    attendance_report,
    attendance_work_items,
)
from core.report_sections import Period, suppress_section
from schools.models import Term
from tests.attendance.conftest import mark, school_days
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

D = dt.date
TODAY = D(2026, 10, 14)
pytestmark = pytest.mark.django_db


def _autumn(school) -> Term:
    return Term.objects.filter(academic_year__school=school).order_by("first_day").first()


def _period(term) -> Period:
    return Period(str(term), term.first_day, term.last_day, 2026, term.pk)


def _children_in_care(school, n, *, am="/", pm="\\"):
    days = school_days(school, D(2026, 9, 7), TODAY)
    made = []
    for _ in range(n):
        pupil = PupilFactory(school=school)
        CareEpisodeFactory(pupil=pupil, start_date=D(2022, 1, 10))
        mark(pupil, days, am=am, pm=pm)
        made.append(pupil)
    return made


def test_each_group_is_set_against_all_pupils_with_persistent_absence(school, year):
    term = _autumn(school)
    _children_in_care(school, 5)
    _children_in_care(school, 1, pm="N")  # half the sessions missed: persistent and severe
    PeerFigures.objects.create(
        school=school,
        term=term,
        possible_sessions=1000,
        attended_sessions=940,
        persistently_absent=12,
        on_roll=100,
    )
    section = attendance_dashboard(school, _period(term), capabilities=set(), today=TODAY)
    rows = {row[0]: row for row in section.tables[0].rows}
    in_care = rows["Children in care"]
    assert in_care[1].value == 6 and in_care[3].value == 1 and in_care[4].value == 1
    assert in_care[2] == "91.7%"  # 11 of 12 halves
    assert rows["All pupils"][2] == "94.0%" and rows["All pupils"][3].value == 12
    assert section.charts and "All pupils" in section.charts[0].svg
    assert all(f.url for f in section.figures)


def test_the_report_hides_a_small_group_s_count_and_percentage(school, year):
    term = _autumn(school)
    [child] = _children_in_care(school, 1, pm="N")
    report = attendance_report(school, _period(term), threshold=5, today=TODAY)
    shown = suppress_section(report, 5)
    in_care = shown.tables[0].rows[0]
    assert in_care[1] == "fewer than 5" and in_care[3] == "fewer than 5"
    assert "not shown" in in_care[2]
    text = " ".join(str(c) for r in shown.tables[0].rows for c in r) + " ".join(shown.paragraphs)
    assert child.legal_surname not in text and str(child.upn or "-") not in text
    assert not shown.charts  # the only group with marks is small


def test_the_dashboard_section_runs_the_same_queries_for_3_and_30_children(school, year):
    term = _autumn(school)
    _children_in_care(school, 3)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            attendance_dashboard(school, _period(term), capabilities=set(), today=TODAY)
        return len(queries)

    count()  # warm the process's caches
    few = count()
    _children_in_care(school, 27, pm="N")
    # Groups, figures, whole-roll figures, open concerns.
    assert count() == few == 4


def test_the_work_queue_lists_open_concerns_and_notices_to_decide(school, child):
    concern = AttendanceConcern.objects.create(
        school=school, pupil=child, kind="term", period="1", figure=80, opened_on=TODAY
    )
    AttendanceNotice.objects.create(concern=concern, recipient="social_worker")
    items = attendance_work_items(school, None, capabilities=set(), today=TODAY)
    assert [i.count for i in items] == [1, 1]
    assert items[1].urgent


@time_machine.travel(dt.datetime(2026, 10, 14, 10, 0), tick=False)
def test_the_child_s_record_shows_the_term_s_figure_and_flags(dt_client, school, child):
    mark(child, school_days(school, D(2026, 9, 7), TODAY), am="/", pm="N")
    html = dt_client.get(f"/pupils/{child.pk}/").content.decode()
    assert "Attendance this term" in html
    assert "50.0% of" in html and "severe absence" in html
    assert f"/attendance/pupils/{child.pk}/" in html


@time_machine.travel(dt.datetime(2026, 10, 14, 10, 0), tick=False)
def test_the_head_s_dashboard_and_home_page_show_attendance(head_client, dt_client, school, child):
    mark(child, school_days(school, D(2026, 9, 7), TODAY), am="/", pm="N")
    concern = AttendanceConcern.objects.create(
        school=school, pupil=child, kind="term", period="1", figure=50, opened_on=TODAY
    )
    AttendanceNotice.objects.create(concern=concern, recipient="social_worker")
    html = head_client.get("/reports/dashboard/").content.decode()
    assert "Attendance of each group against all pupils" in html
    home = dt_client.get("/").content.decode()
    assert "Open attendance concerns: 1" in home
