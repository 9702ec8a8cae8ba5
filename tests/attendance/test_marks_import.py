"""The session-marks import: every kind of bad row refuses the file (all or nothing, rows
listed with reasons), and importing the same period again replaces the marks idempotently.
Run through the shared import run's services, as the Celery tasks run them."""

import datetime as dt

import pytest

from accounts.roles import Role
from attendance.models import SessionMark
from imports.models import ImportRun
from imports.services import (
    import_run_commit,
    import_run_commit_work,
    import_run_preview,
    import_run_start,
)
from tests.attendance.files import marks_csv
from tests.conftest import member
from tests.pupil_factories import PupilFactory

D = dt.date
pytestmark = pytest.mark.django_db


def _import(school, data: bytes, *, commit: bool = True) -> ImportRun:
    by = member(school, Role.DESIGNATED_TEACHER)
    run = import_run_start(
        school=school,
        by=by,
        kind="attendance_marks",
        name="marks.csv",
        data=data,
        file_format="csv",
        today=D(2026, 10, 14),
    )
    assert import_run_preview(run_pk=run.pk) in ("previewed", "failed")
    run.refresh_from_db()
    if commit and run.can_commit:
        import_run_commit(run=run, by=by)
        import_run_commit_work(run_pk=run.pk)
        run.refresh_from_db()
    return run


def test_a_week_of_marks_is_imported(school, child):
    rows = [
        (child.upn, D(2026, 9, 7) + dt.timedelta(days=i), s, c)
        for i in range(5)
        for s, c in (("AM", "/"), ("PM", "\\"))
    ]
    run = _import(school, marks_csv(rows))
    assert run.state == ImportRun.State.COMMITTED
    assert run.counts == {"marks": 10, "pupils": 1, "refused": 0, "replaced": 0}
    assert SessionMark.objects.filter(pupil=child).count() == 10


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (("UNKNOWN", "2026-09-07", "AM", "/"), "No child of this school has this UPN"),
        ((None, "2026-09-07", "AM", "H"), "withdrawn in August 2024"),
        ((None, "2026-09-07", "AM", "ZZ"), "is not an attendance code"),
        ((None, "7 Sept", "AM", "/"), "The date must be written"),
        ((None, "2026-09-07", "EVE", "/"), "The session must be AM or PM"),
        (("", "2026-09-07", "AM", "/"), "The UPN is missing"),
    ],
)
def test_a_bad_row_refuses_the_whole_file(school, child, row, reason):
    good = (child.upn, "2026-09-08", "AM", "/")
    bad = tuple(child.upn if v is None else v for v in row)
    run = _import(school, marks_csv([good, bad]))
    assert run.state == ImportRun.State.PREVIEWED and not run.can_commit
    [refused] = run.rows
    assert refused["label"] == "Row 3"
    assert any(reason in r for r in refused["reasons"])
    assert not SessionMark.objects.exists()


def test_a_child_of_another_school_is_an_unknown_upn(school, other_school, child):
    stranger = PupilFactory(school=other_school)
    run = _import(school, marks_csv([(stranger.upn, "2026-09-08", "AM", "/")]))
    assert not run.can_commit
    assert "No child of this school" in run.rows[0]["reasons"][0]


def test_the_same_session_twice_in_a_file_is_refused(school, child):
    rows = [(child.upn, "2026-09-08", "AM", "/"), (child.upn, "2026-09-08", "AM", "N")]
    run = _import(school, marks_csv(rows))
    assert "in the file twice" in run.rows[0]["reasons"][0]


def test_a_file_without_the_columns_fails(school, child):
    run = _import(school, b"pupil,when,code\n1,2,3\n")
    assert run.state == ImportRun.State.FAILED
    assert "UPN, date, session, code" in run.failure


def test_importing_the_same_period_again_replaces_the_marks(school, child):
    rows = [(child.upn, "2026-09-08", "AM", "N"), (child.upn, "2026-09-09", "PM", "/")]
    _import(school, marks_csv(rows))
    _import(school, marks_csv(rows))
    assert SessionMark.objects.filter(pupil=child).count() == 2
    corrected = [(child.upn, "2026-09-08", "AM", "I"), (child.upn, "2026-09-09", "PM", "/")]
    run = _import(school, marks_csv(corrected))
    assert run.counts["replaced"] == 2
    assert dict(SessionMark.objects.values_list("date", "code")) == {
        D(2026, 9, 8): "I",
        D(2026, 9, 9): "/",
    }


def test_marks_outside_the_files_period_or_children_are_kept(school, child):
    other = PupilFactory(school=school)
    _import(
        school,
        marks_csv([(child.upn, "2026-09-01", "AM", "/"), (other.upn, "2026-09-08", "AM", "/")]),
    )
    _import(school, marks_csv([(child.upn, "2026-09-08", "AM", "L")]))
    assert SessionMark.objects.filter(pupil=child).count() == 2
    assert SessionMark.objects.filter(pupil=other).count() == 1
