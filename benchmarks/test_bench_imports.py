"""How long a school-sized import takes: a 2,000-pupil CSV, previewed and committed, as the
Celery tasks run them (``imports.services``). Security issue item 7: a 6,000-row file used to
run 30 s in the request and time out; the preview now reads Harbour in four queries."""

import datetime as dt

import pytest

from accounts.roles import Role
from imports.models import ImportRun
from imports.services import import_run_commit_work, import_run_preview, import_run_start
from pupils.models import Pupil
from tests.conftest import member
from tests.factories import VirtualSchoolFactory
from tests.imports.files import pupils_csv

TODAY = dt.date(2026, 1, 15)
ROWS = 2000


@pytest.fixture
def started(school):
    VirtualSchoolFactory(la_code="873", local_authority_name="Cambridgeshire")
    importer = member(school, Role.DESIGNATED_TEACHER)
    data = pupils_csv(ROWS)

    def start():
        return import_run_start(
            school=school,
            by=importer,
            kind="pupils",
            name="roll.csv",
            data=data,
            file_format="csv",
            today=TODAY,
        )

    return start


@pytest.mark.django_db
def test_preview_of_a_2000_pupil_csv(started, within_target):
    runs = iter([started() for _ in range(17)])  # 15 rounds and 2 warm-ups

    def preview():
        return import_run_preview(run_pk=next(runs).pk)

    assert within_target("import_preview_2000", preview) == "previewed"


@pytest.mark.django_db
def test_commit_of_a_2000_pupil_csv(started, benchmark):
    def setup():
        # Each round creates the 2,000 pupils again.
        Pupil.objects.all().delete()
        run = started()
        import_run_preview(run_pk=run.pk)
        ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.COMMITTING)
        return (), {"run_pk": run.pk}

    result = benchmark.pedantic(import_run_commit_work, setup=setup, rounds=2)
    assert result == ImportRun.State.COMMITTED
    assert Pupil.objects.count() == ROWS
