"""Fixtures for the attendance tests: a school with its 2026 to 2027 term dates (autumn Thu 3
Sep to Fri 18 Dec 2026, half-term Tue 27 to Fri 30 Oct), a child in care with a social worker,
and a helper that writes marks."""

import datetime as dt

import pytest

from attendance.models import SessionMark
from tests.factories import VirtualSchoolFactory, add_year
from tests.notifications.conftest import broker, smtp_server, task_log, workers  # noqa: F401
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

D = dt.date


@pytest.fixture
def year(school):
    return add_year(school, 2026)


@pytest.fixture
def child(school, year):
    pupil = PupilFactory(school=school, legal_forename="Amelia")
    CareEpisodeFactory(
        pupil=pupil,
        start_date=D(2022, 1, 10),
        legal_basis="s31",
        responsible_authority=VirtualSchoolFactory(la_code="873"),
    )
    return pupil


def school_days(school, first: dt.date, last: dt.date) -> list[dt.date]:
    from schools.schooldays import SchoolCalendar

    return SchoolCalendar.for_school(school).school_dates_in(first, last)


def mark(pupil, days, am: str = "/", pm: str = "\\") -> None:
    SessionMark.objects.bulk_create(
        [
            SessionMark(school=pupil.school, pupil=pupil, date=d, session=s, code=c, source="csv")
            for d in days
            for s, c in (("AM", am), ("PM", pm))
            if c
        ]
    )
