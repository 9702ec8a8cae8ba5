"""Fixtures for the PEP tests: a school with its 2026 to 2027 term dates (and the year after),
a child in care placed by Cambridgeshire, and helpers that fill a draft PEP.

The calendar is the factories' default (tests.factories.add_year): autumn Thu 3 Sep to Fri
18 Dec 2026 (half-term Tue 27 to Fri 30 Oct), spring Tue 5 Jan to Fri 26 Mar 2027 (the 27th is a
Saturday; half-term Tue 16 to Fri 19 Feb), summer Tue 13 Apr to Wed 21 Jul 2027.
"""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.roles import Role
from peps import services
from peps.models import PepAttendee, TargetArea
from schools.models import Term
from schools.services import virtual_school_address_confirm
from tests.conftest import member
from tests.factories import VirtualSchoolFactory, add_year

# The outbox's real-infrastructure fixtures (Redis broker, Celery workers in threads, an SMTP
# server), for the reminder sweep's exactly-once test.
from tests.notifications.conftest import broker, smtp_server, task_log, workers  # noqa: F401
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

D = dt.date


@pytest.fixture
def year(school):
    add_year(school, 2027)
    return add_year(school, 2026)


@pytest.fixture
def autumn(year):
    return Term.objects.select_related("academic_year").get(academic_year=year, name="autumn")


@pytest.fixture
def spring(year):
    return Term.objects.select_related("academic_year").get(academic_year=year, name="spring")


@pytest.fixture
def summer(year):
    return Term.objects.select_related("academic_year").get(academic_year=year, name="summer")


@pytest.fixture
def cambridgeshire(school):
    # Seeded by schools' migration 0002 (the factory gets it by its code); created here when a
    # transactional test earlier in the run has flushed the seed. The school has confirmed its
    # address, as a school must before Harbour sends a child's PEP there.
    authority = VirtualSchoolFactory(la_code="873", local_authority_name="Cambridgeshire")
    virtual_school_address_confirm(
        school=school, virtual_school=authority, email=authority.email, by=None
    )
    return authority


@pytest.fixture
def child(school, cambridgeshire):
    """Amelia, in care (a care order) since January 2022, Year 6 in 2026 to 2027."""
    pupil = PupilFactory(
        school=school,
        legal_forename="Amelia",
        legal_surname="Okonkwo",
        date_of_birth=D(2015, 10, 3),
        admission_date=D(2020, 9, 2),
        upn="",
    )
    CareEpisodeFactory(
        pupil=pupil,
        start_date=D(2022, 1, 10),
        legal_basis="s31",
        responsible_authority=cambridgeshire,
    )
    return pupil


@pytest.fixture
def teacher(school):
    return member(school, Role.DESIGNATED_TEACHER, full_name="Dana Teague")


@pytest.fixture
def draft(child, autumn, teacher):
    """A draft autumn PEP started on a school day in October."""
    return services.pep_start(pupil=child, term=autumn, by=teacher, today=D(2026, 10, 12))


MEETING = D(2026, 10, 14)


def fill(pep, teacher, *, meeting=MEETING):
    """Everything completion needs, through the services."""
    services.pep_update(
        pep=pep,
        by=teacher,
        meeting_date=meeting,
        meeting_place="Fenbridge Academy, meeting room 2",
        next_meeting_date=meeting + dt.timedelta(days=100),
        voice_going_well="I like art club and my new friend Priya",
        voice_hard="Maths tests make my tummy hurt",
        voice_would_like="To go to drama club on Wednesdays",
        voice_how_helped="When Miss Ade sits with me and I can ask quietly",
        voice_how_gathered="Talked with her key adult the day before, and at the meeting",
        carer_views="Amelia is settled and sleeping well",
        social_worker_views="Contact with birth family is going well",
        attendance_percent=Decimal("96.5"),
        suspensions=0,
        transition_plans="Visits to Fenbridge High in June",
    )
    services.attendee_add(
        pep=pep, role=PepAttendee.Role.CARER, name="Sam Carter", attendance="present", by=teacher
    )
    services.target_add(
        pep=pep,
        by=teacher,
        area=TargetArea.ACADEMIC,
        action="Weekly maths tutoring with Mr Hale, Tuesdays",
        success_measure="Working at the expected standard in maths by Easter",
        responsible="Mr Hale",
        due_by=meeting + dt.timedelta(days=90),
        pp_plus_amount=Decimal("450.00"),
        pp_plus_purpose="A term of weekly one-to-one maths tutoring",
    )
    return pep
