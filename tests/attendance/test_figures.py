"""The figures of DOMAIN.md 1.4, computed in SQL: possible sessions leave out the codes that are
not possible sessions, attendance counts present and approved educational activity, and
persistent (10%+) and severe (50%+) absence are boundaries that include their own line."""

import datetime as dt
from decimal import Decimal

import pytest

from attendance.codes import CODES, Category
from attendance.models import PlacementMove, SessionMark
from attendance.selectors import figures_for
from tests.attendance.conftest import mark, school_days

D = dt.date
pytestmark = pytest.mark.django_db


def _one_of_each(child, days):
    """One session for each code, on successive sessions."""
    sessions = [(d, s) for d in days for s in ("AM", "PM")]
    SessionMark.objects.bulk_create(
        [
            SessionMark(
                school=child.school, pupil=child, date=d, session=s, code=code, source="csv"
            )
            for (d, s), code in zip(sessions, CODES, strict=False)
        ]
    )


def test_every_code_counts_in_its_statistical_category(school, child):
    days = school_days(school, D(2026, 9, 7), D(2026, 9, 30))
    _one_of_each(child, days)
    f = figures_for(child, days[0], days[-1])
    by_category = {c: sum(1 for code in CODES.values() if code.category == c) for c in Category}
    assert f.present == by_category[Category.PRESENT] == 3
    assert f.aea == by_category[Category.AEA] == 5
    assert f.authorised == by_category[Category.AUTHORISED] == 10
    assert f.unauthorised == by_category[Category.UNAUTHORISED] == 4
    # D, X, Q, Y1 to Y7, Z and # are not possible sessions.
    assert f.not_possible == by_category[Category.NOT_POSSIBLE] == 12
    assert f.possible == 22
    assert f.percent == Decimal("36.4")  # (3 + 5) / 22
    assert (f.late_before_close, f.late_after_close) == (1, 1)  # L and U


def test_two_character_codes_are_stored_whole(school, child):
    mark(child, [D(2026, 9, 7)], am="C1", pm="Y7")
    assert sorted(SessionMark.objects.values_list("code", flat=True)) == ["C1", "Y7"]
    f = figures_for(child, D(2026, 9, 7), D(2026, 9, 7))
    assert (f.possible, f.authorised, f.not_possible) == (1, 1, 1)


def test_missing_exactly_ten_percent_is_persistent_absence(school, child):
    days = school_days(school, D(2026, 9, 7), D(2026, 10, 2))[:10]  # 20 sessions
    mark(child, days[:9])
    mark(child, days[9:], am="I", pm="N")  # 2 of 20 missed: exactly 10%
    f = figures_for(child, days[0], days[-1])
    assert (f.possible, f.missed, f.percent) == (20, 2, Decimal("90.0"))
    assert f.persistent and not f.severe


def test_just_under_ten_percent_is_not_persistent_absence(school, child):
    days = school_days(school, D(2026, 9, 7), D(2026, 10, 2))[:10]
    mark(child, days[:9])
    mark(child, days[9:], am="/", pm="N")  # 1 of 20 missed
    mark(child, [D(2026, 10, 5)], am="/", pm="\\")
    f = figures_for(child, days[0], D(2026, 10, 5))
    assert f.missed * 100 < f.possible * 10
    assert not f.persistent


def test_half_missed_is_severe_absence(school, child):
    days = school_days(school, D(2026, 9, 7), D(2026, 9, 11))
    mark(child, days, am="/", pm="O")
    f = figures_for(child, days[0], days[-1])
    assert f.severe and f.persistent and f.percent == Decimal("50.0")


def test_the_placement_move_figure_leaves_out_the_absence_of_the_move(school, child):
    days = school_days(school, D(2026, 9, 7), D(2026, 9, 18))  # 10 days, 20 sessions
    mark(child, days[:8])
    mark(child, days[8:], am="C", pm="C")  # 4 sessions lost to the move
    PlacementMove.objects.create(school=school, pupil=child, first_day=days[8], last_day=days[9])
    plain = figures_for(child, days[0], days[-1])
    adjusted = figures_for(child, days[0], days[-1], without_placement_moves=True)
    assert plain.percent == Decimal("80.0")
    assert (adjusted.possible, adjusted.percent) == (16, Decimal("100.0"))
