"""How long a school year of session marks takes to import: 2,000 children x 380 sessions
(760,000 marks), checked and committed as the Celery tasks run them (issue 10: "well under a
minute on this machine"). PostgreSQL COPY does the loading.

``ATTENDANCE_BENCH_SCALE`` (default 1.0) shrinks the file for a quick check: 0.05 is 100
children. The full size is CPU heavy: run it once, not in a loop."""

import datetime as dt
import os
import time

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
from schools.schooldays import SchoolCalendar
from tests.conftest import member
from tests.factories import add_year
from tests.pupil_factories import PupilFactory

SCALE = float(os.environ.get("ATTENDANCE_BENCH_SCALE", "1.0"))
CHILDREN = max(1, int(2000 * SCALE))
TARGET_SECONDS = 60 * SCALE if SCALE < 1 else 60
CODES = ["/", "/", "/", "/", "/", "/", "/", "/", "I", "N", "L", "C1"]


@pytest.mark.django_db
def test_import_of_a_school_year_of_marks(school):
    add_year(school, 2026)
    days = SchoolCalendar.for_school(school).school_dates_in(
        dt.date(2026, 9, 1), dt.date(2027, 7, 31)
    )
    pupils = PupilFactory.create_batch(CHILDREN, school=school)
    lines = ["UPN,date,session,code"]
    for i, pupil in enumerate(pupils):
        for j, day in enumerate(days):
            lines.append(f"{pupil.upn},{day.isoformat()},AM,{CODES[(i + j) % len(CODES)]}")
            lines.append(f"{pupil.upn},{day.isoformat()},PM,\\")
    data = ("\n".join(lines) + "\n").encode()
    by = member(school, Role.DESIGNATED_TEACHER)

    started = time.perf_counter()
    run = import_run_start(
        school=school,
        by=by,
        kind="attendance_marks",
        name="year.csv",
        data=data,
        file_format="csv",
        today=dt.date(2027, 7, 21),
    )
    assert import_run_preview(run_pk=run.pk) == "previewed"
    checked = time.perf_counter()
    run.refresh_from_db()
    import_run_commit(run=run, by=by)
    assert import_run_commit_work(run_pk=run.pk) == ImportRun.State.COMMITTED
    done = time.perf_counter()

    marks = SessionMark.objects.count()
    assert marks == CHILDREN * len(days) * 2
    print(
        f"\n{marks:,} marks: check {checked - started:.1f} s, import {done - checked:.1f} s, "
        f"total {done - started:.1f} s"
    )
    assert done - started < TARGET_SECONDS
