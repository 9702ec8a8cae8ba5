"""The daily attendance concern sweep over every school, and a school year of session marks for
a 2,000-child school (about 760,000 rows) through the importer against PostgreSQL's COPY of the
same file into an unindexed table (this replaces benchmarks/test_bench_attendance.py, the
pytest-benchmark test with a fixed one-minute target)."""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection

from accounts.models import Membership
from accounts.roles import Role
from attendance.models import SessionMark
from attendance.sweep import attendance_sweep
from benchmarks.context import Context
from benchmarks.generators.core import BATCH, TERMS, _upn
from benchmarks.registry import data_import, sweep
from imports.models import ImportRun
from imports.services import import_run_commit_work, import_run_preview, import_run_start
from pupils.models import Pupil
from schools.models import AcademicYear, School, Term
from schools.schooldays import SchoolCalendar

CODES = ["/", "/", "/", "/", "/", "/", "/", "/", "I", "N", "L", "C1"]


@sweep(
    "attendance_concerns",
    target="<10 s",
    repeat=True,
    description="The daily attendance concern sweep over every school (first run opens the "
    "concerns and emails; the repeat finds them open)",
)
def attendance_concerns(ctx: Context) -> dict:
    outcome = attendance_sweep(today=ctx.today)
    return {
        "schools": outcome.schools,
        "opened": outcome.opened,
        "recovered": outcome.recovered,
        "emails": outcome.emails,
        "skipped": len(outcome.skipped),
    }


def _marks_school(ctx: Context) -> tuple[School, list[Pupil]]:
    school = School.objects.create(
        name="Bench Marks School",
        urn="999998",
        la_code="873",
        establishment_number="9998",
        local_authority_name="Cambridgeshire",
    )
    year = AcademicYear.objects.create(school=school, start_year=2026)
    Term.objects.bulk_create(
        Term(
            academic_year=year,
            name=name,
            first_day=dt.date(2026 if name == "autumn" else 2027, *first),
            last_day=dt.date(2026 if name == "autumn" else 2027, *last),
            half_term_first_day=dt.date(2026 if name == "autumn" else 2027, *ht_first),
            half_term_last_day=dt.date(2026 if name == "autumn" else 2027, *ht_last),
        )
        for name, (first, last, ht_first, ht_last) in TERMS.items()
    )
    Membership.objects.create(user_id=ctx.dt_user_id, school=school, role=Role.DESIGNATED_TEACHER)
    pupils = Pupil.objects.bulk_create(
        (
            Pupil(
                school=school,
                legal_forename=f"Marks{n}",
                legal_surname="Child",
                date_of_birth=dt.date(2014, 1, 1),
                sex="F" if n % 2 else "M",
                upn=_upn(500_000 + n),
                admission_date=dt.date(2022, 9, 5),
            )
            for n in range(ctx.scale.marks_import_children)
        ),
        batch_size=BATCH,
    )
    return school, pupils


@data_import(
    "attendance_marks",
    target="3x COPY",
    description="A school year of session marks for a 2,000-child school (about 760,000 rows) "
    "checked and committed by the importer (as the Celery tasks run it), against COPY of the "
    "same file into an unindexed table",
)
def marks_import(ctx: Context) -> dict:
    school, pupils = _marks_school(ctx)
    days = SchoolCalendar.for_school(school).school_dates_in(
        dt.date(2026, 9, 1), dt.date(2027, 7, 31)
    )
    lines = ["UPN,date,session,code"]
    for i, pupil in enumerate(pupils):
        for j, day in enumerate(days):
            lines.append(f"{pupil.upn},{day.isoformat()},AM,{CODES[(i + j) % len(CODES)]}")
            lines.append(f"{pupil.upn},{day.isoformat()},PM,\\")
    data = ("\n".join(lines) + "\n").encode()
    rows = len(lines) - 1
    by = school.memberships.get().user
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
    previewed = time.perf_counter()
    ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.COMMITTING)
    state = import_run_commit_work(run_pk=run.pk)
    seconds = time.perf_counter() - started
    assert state == ImportRun.State.COMMITTED, state
    assert SessionMark.objects.filter(school=school).count() == rows
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_marks_floor "
            '("UPN" text, "date" text, "session" text, "code" text)'
        )
        floor_started = time.perf_counter()
        with cursor.copy(
            "COPY bench_marks_floor FROM STDIN WITH (FORMAT csv, HEADER true)"
        ) as copy:
            copy.write(data)
        floor_seconds = time.perf_counter() - floor_started
        cursor.execute("SELECT count(*) FROM bench_marks_floor")
        assert cursor.fetchone()[0] == rows
        cursor.execute("DROP TABLE bench_marks_floor")
    return {
        "rows": rows,
        "seconds": seconds,
        "preview_seconds": previewed - started,
        "floor_seconds": floor_seconds,
    }
