"""The demo's suspension pathway (demo.exclusions): a child in care at risk with the Virtual
School consulted and alternatives tried, a three-day suspension whose notices sit in the
outbox, a reduced timetable due for review; loaded twice, it is there once."""

import datetime as dt

import pytest

from accounts.roles import Role
from demo.exclusions import load_demo_exclusions
from demo.pupils import load_demo_pupils
from exclusions import sections
from exclusions.models import Exclusion, ExclusionSettings, ReducedTimetable, SuspensionRisk
from notifications.models import OutboxMessage
from tests.conftest import member
from tests.factories import SchoolFactory
from tests.peps.test_demo import with_demo_calendar

pytestmark = pytest.mark.django_db

DEMO_DAY = dt.date(2026, 11, 23)  # a Monday of the demo's autumn term


@pytest.fixture
def demo():
    school = with_demo_calendar(SchoolFactory(name="Fenbridge Academy"))
    member(school, Role.HEADTEACHER, full_name="Helen Ward")
    load_demo_pupils(school, today=DEMO_DAY)
    load_demo_exclusions(school, today=DEMO_DAY)
    return school


def test_the_demo_shows_the_pathway_at_once(demo):
    tyler = SuspensionRisk.objects.get(pupil__legal_forename="Tyler")
    assert tyler.consulted_on and tyler.alternatives.count() == 2
    suspension = Exclusion.objects.get()
    assert (suspension.pupil.legal_forename, suspension.length) == ("Mason", 3)
    assert suspension.start_date == dt.date(2026, 11, 24)
    notices = list(suspension.notices.all())
    # Parents or carers, the local authority, the social worker, the Virtual School, the board.
    assert {n.recipient for n in notices} >= {"parents", "local_authority", "governing_board"}
    queued = OutboxMessage.objects.filter(state=OutboxMessage.State.QUEUED)
    assert queued.filter(recipient="exclusions@fenshire.example").exists()
    assert queued.filter(recipient="clerk@fenbridge.example").exists()
    timetable = ReducedTimetable.objects.get()
    assert timetable.review_on == DEMO_DAY
    settings = ExclusionSettings.objects.get(school=demo)
    assert settings.is_confirmed("local_authority") and settings.is_confirmed("governing_board")
    labels = [
        i.label for i in sections.pathway_items(demo, None, capabilities=set(), today=DEMO_DAY)
    ]
    assert "Reduced timetable reviews due: 1" in labels


def test_loading_the_demo_again_adds_nothing(demo):
    load_demo_exclusions(demo, today=DEMO_DAY)
    assert Exclusion.objects.count() == 1
    assert SuspensionRisk.objects.count() == 2
