"""The cohort register of the largest school, the child with the most history, and the pupils
CSV import against PostgreSQL's COPY of the same file."""

import datetime as dt
import time

from django.db import connection

from accounts.models import Membership
from accounts.roles import Role
from benchmarks.context import Context
from benchmarks.registry import data_import, load, page
from imports.models import ImportRun
from imports.services import import_run_commit_work, import_run_preview, import_run_start
from pupils.imports import COLUMN_NAMES
from schools.models import School, VirtualSchool
from tests.imports.files import pupils_csv


@page(
    "cohort_list",
    target="5x floor, <30 queries",
    description="The cohort register of the largest school, first page",
)
def cohort_list(ctx: Context) -> str:
    return "/pupils/"


@page(
    "cohort_csv",
    target="<30 queries",
    description="The largest school's cohort as CSV (every child)",
)
def cohort_csv(ctx: Context) -> str:
    return "/pupils/cohort.csv"


@page(
    "child_page",
    target="5x floor, <30 queries",
    description="The page of the child with the most history",
)
def child_page(ctx: Context) -> str:
    return f"/pupils/{ctx.most_history_pupil_id}/"


@load("child_page", description="The child with the most history's page, signed-in users")
def child_page_load(ctx: Context) -> str:
    return f"/pupils/{ctx.most_history_pupil_id}/"


@data_import(
    "pupils_csv",
    description="A 2,000-pupil CSV checked and committed by the importer (as the Celery tasks "
    "run it), against COPY of the same file into an unindexed table",
)
def pupils_import(ctx: Context) -> dict:
    rows = ctx.scale.import_rows
    VirtualSchool.objects.get_or_create(
        la_code="873",
        defaults={"local_authority_name": "Cambridgeshire", "email": "vs@cambs.example.org"},
    )
    school = School.objects.create(
        name="Bench Import School",
        urn="999999",
        la_code="873",
        establishment_number="9999",
        local_authority_name="Cambridgeshire",
    )
    Membership.objects.create(user_id=ctx.dt_user_id, school=school, role=Role.DESIGNATED_TEACHER)
    data = pupils_csv(rows)
    started = time.perf_counter()
    run = import_run_start(
        school=school,
        by=school.memberships.get().user,
        kind="pupils",
        name="roll.csv",
        data=data,
        file_format="csv",
        today=dt.date(2026, 1, 15),
    )
    import_run_preview(run_pk=run.pk)
    previewed = time.perf_counter()
    ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.COMMITTING)
    state = import_run_commit_work(run_pk=run.pk)
    seconds = time.perf_counter() - started
    assert state == ImportRun.State.COMMITTED, state
    assert school.pupils.count() == rows
    columns = ", ".join(f'"{c}" text' for c in COLUMN_NAMES)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE bench_copy_floor ({columns})")  # noqa: S608
        floor_started = time.perf_counter()
        with cursor.copy("COPY bench_copy_floor FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            copy.write(data)
        floor_seconds = time.perf_counter() - floor_started
        cursor.execute("SELECT count(*) FROM bench_copy_floor")
        assert cursor.fetchone()[0] == rows
        cursor.execute("DROP TABLE bench_copy_floor")
    return {
        "rows": rows,
        "seconds": seconds,
        "preview_seconds": previewed - started,
        "floor_seconds": floor_seconds,
    }
