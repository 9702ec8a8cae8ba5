"""The demo's year of marks shows every flag Harbour raises at least once, with whole-roll
figures per term and open concerns proposing notices; loading it again changes nothing."""

import datetime as dt
import time

import pytest

from attendance.models import (
    AttendanceConcern,
    AttendanceNotice,
    PeerFigures,
    PlacementMove,
    SessionMark,
)
from attendance.selectors import figures_for
from demo.attendance import load_demo_attendance
from demo.pupils import load_demo_pupils
from demo.schools import load_demo_schools
from pupils.models import Pupil

pytestmark = pytest.mark.django_db
Kind = AttendanceConcern.Kind


def test_the_demo_year_of_marks_shows_every_flag_and_loads_once():
    school, _ = load_demo_schools()
    today = dt.date(2026, 11, 27)  # a Friday in the demo's autumn term
    load_demo_pupils(school, today=today)
    started = time.monotonic()
    loaded = load_demo_attendance(school, today=today)
    assert time.monotonic() - started < 20  # bulk-loaded: quick enough for load_demo
    assert loaded.marks > 5000 and SessionMark.objects.filter(school=school).count() == loaded.marks

    kinds = set(AttendanceConcern.objects.filter(school=school).values_list("kind", flat=True))
    assert kinds == {Kind.FOUR_WEEKS, Kind.TERM, Kind.UNEXPLAINED, Kind.ILLNESS_RETURN}
    recipients = set(
        AttendanceNotice.objects.filter(concern__school=school).values_list("recipient", flat=True)
    )
    assert recipients == set(AttendanceNotice.Recipient.values)
    assert not AttendanceNotice.objects.exclude(state=AttendanceNotice.State.PROPOSED).exists()

    def year(name, **kw):
        child = Pupil.objects.get(school=school, legal_forename=name)
        return figures_for(child, dt.date(2025, 11, 27), today, **kw)

    assert year("Jade").persistent and not year("Jade").severe
    assert year("Logan").severe
    assert year("Owen").percent == 100
    # The placement move: below 100% with the move's days, 100% without them.
    assert year("Amelia").percent < 100
    assert year("Amelia", without_placement_moves=True).percent == 100
    assert PlacementMove.objects.filter(pupil__legal_forename="Amelia").count() == 1
    # The whole roll for each term begun in the twelve months (2025 to 2026, autumn 2026).
    assert PeerFigures.objects.filter(school=school).count() == 4

    again = load_demo_attendance(school, today=today)
    assert again.marks == 0 and SessionMark.objects.filter(school=school).count() == loaded.marks
