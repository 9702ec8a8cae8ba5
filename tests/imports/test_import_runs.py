"""Import runs as an attacker, an auditor and a school-sized file see them: what a role that
may import but may not see children learns from a preview (nothing of a child's record), what
every step leaves in the audit log, that a preview writes nothing, and that its queries do not
grow with the file."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent
from imports.models import ImportRun
from imports.services import import_run_preview, import_run_start
from pupils.imports import import_file_read, pupils_import_preview
from pupils.models import CareEpisode, EpisodeKind, Pupil
from tests.conftest import member
from tests.factories import VirtualSchoolFactory
from tests.imports.files import pupils_csv, upn
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 1, 15)


@pytest.fixture(autouse=True)
def cambridgeshire(db):
    return VirtualSchoolFactory(la_code="873", local_authority_name="Cambridgeshire")


@pytest.fixture
def known_child(school, cambridgeshire):
    """A child in care whose record an administrator must not read through an import."""
    child = PupilFactory(
        school=school,
        upn=upn(1),
        legal_forename="Tallulah",
        legal_surname="Quennell",
        preferred_forename="Lulu",
        date_of_birth=dt.date(2013, 4, 27),
    )
    CareEpisodeFactory(
        pupil=child,
        kind=EpisodeKind.IN_CARE,
        start_date=dt.date(2021, 6, 14),
        legal_basis="s31",
        responsible_authority=cambridgeshire,
    )
    return child


def upload(client, data: bytes, name: str = "roll.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("pupil_imports:upload"), {"file": SimpleUploadedFile(name, data)})


def probe_file() -> bytes:
    # The attacker knows the UPN and guesses everything else differently, so every current
    # value would show as "old → new" in a preview that leaked.
    return pupils_csv(1, start=1).replace(b"Child1", b"Zz").replace(b",Example,", b",Yy,")


# --- Security: an administrator reads no child's record through a preview ---------------------


def test_an_administrator_previewing_a_known_upn_sees_no_current_value_of_the_child(
    school_admin_client, known_child, run_tasks
):
    with run_tasks():
        upload(school_admin_client, probe_file())
    run = ImportRun.objects.get()

    page = school_admin_client.get(reverse("imports:run", args=[run.pk])).content.decode()

    assert run.state == ImportRun.State.PREVIEWED
    for value in ("Tallulah", "Quennell", "Lulu", "27 April 2013", "14 June 2021", "s31"):
        assert value not in page, value
    assert "Care order" not in page and "In care from" not in page
    assert "0 to create, 1 to update" in page  # counts stay
    assert "does not include seeing children" in page


def test_an_administrator_sees_a_record_conflict_as_a_row_error_without_the_record(
    school_admin_client, known_child, run_tasks
):
    # The file's time in care overlaps Harbour's: refused, for a reason drawn from the record.
    data = pupils_csv(1, start=1, in_care_every=1).replace(b"2024-11-18", b"2020-01-01")
    data = data.replace(b",2022-09-05,", b",,")
    with run_tasks():
        upload(school_admin_client, data)
    run = ImportRun.objects.get()

    page = school_admin_client.get(reverse("imports:run", args=[run.pk])).content.decode()

    assert "1 refused" in page
    assert "What Harbour holds about this child does not allow this row" in page
    assert "14 June 2021" not in page


def test_the_designated_teacher_sees_what_changes(dt_client, known_child, run_tasks):
    with run_tasks():
        upload(dt_client, probe_file())
    run = ImportRun.objects.get()

    page = dt_client.get(reverse("imports:run", args=[run.pk])).content.decode()

    assert "Tallulah" in page and "Quennell" in page


# --- Audit: every step, with counts and no child's values ------------------------------------


def test_preview_cancel_and_commit_are_audited_with_counts_and_no_values(
    school_admin_client, known_child, run_tasks
):
    with run_tasks():
        upload(school_admin_client, probe_file(), name="Tallulah Quennell.csv")
    run = ImportRun.objects.get()
    with run_tasks():
        school_admin_client.post(reverse("imports:cancel", args=[run.pk]))
    with run_tasks():
        upload(school_admin_client, pupils_csv(2, start=50))
    second = ImportRun.objects.latest("pk")
    with run_tasks():
        school_admin_client.post(reverse("imports:confirm", args=[second.pk]))

    actions = list(
        AuditEvent.objects.filter(action__startswith="import.")
        .order_by("pk")
        .values_list("action", "object_id")
    )
    assert actions == [
        ("import.uploaded", str(run.pk)),
        ("import.previewed", str(run.pk)),
        ("import.cancelled", str(run.pk)),
        ("import.uploaded", str(second.pk)),
        ("import.previewed", str(second.pk)),
        ("import.commit_requested", str(second.pk)),
        ("import.committed", str(second.pk)),
    ]
    previewed = AuditEvent.objects.get(action="import.previewed", object_id=str(run.pk))
    assert previewed.changes["rows"]["update"] == 1
    assert previewed.actor.memberships.get().role == Role.ADMINISTRATOR
    logged = str(list(AuditEvent.objects.filter(action__startswith="import.").values()))
    for value in ("Tallulah", "Quennell", "Zz", "Yy"):
        assert value not in logged, value


def test_a_preview_writes_nothing_and_runs_no_audited_service(school, known_child):
    importer = member(school, Role.DESIGNATED_TEACHER)
    run = import_run_start(
        school=school,
        by=importer,
        kind="pupils",
        name="roll.csv",
        data=pupils_csv(20, start=1, in_care_every=3),
        file_format="csv",
        today=TODAY,
    )
    events = AuditEvent.objects.count()
    pupils, episodes = Pupil.objects.count(), CareEpisode.objects.count()

    assert import_run_preview(run_pk=run.pk) == "previewed"

    assert (Pupil.objects.count(), CareEpisode.objects.count()) == (pupils, episodes)
    assert list(AuditEvent.objects.filter(pk__gt=0).order_by("-pk")[:1].values_list("action")) == [
        ("import.previewed",)
    ]
    assert AuditEvent.objects.count() == events + 1
    run.refresh_from_db()
    assert run.counts["create"] == 19 and run.counts["update"] == 1


# --- A malformed file never causes a 500 ------------------------------------------------------


def test_a_file_that_became_unreadable_fails_the_run_with_a_message(school, dt_client):
    importer = member(school, Role.DESIGNATED_TEACHER)
    run = import_run_start(
        school=school,
        by=importer,
        kind="pupils",
        name="roll.csv",
        data=b"upn,name\n\xff\xfe\x00garbage",
        file_format="csv",
        today=TODAY,
    )

    assert import_run_preview(run_pk=run.pk) == "failed"

    run.refresh_from_db()
    assert run.state == ImportRun.State.FAILED
    assert "binary data" in run.failure
    assert run.file_path == ""


def test_a_preview_task_delivered_twice_previews_once(school):
    importer = member(school, Role.DESIGNATED_TEACHER)
    run = import_run_start(
        school=school,
        by=importer,
        kind="pupils",
        name="roll.csv",
        data=pupils_csv(3),
        file_format="csv",
        today=TODAY,
    )

    assert import_run_preview(run_pk=run.pk) == "previewed"
    assert import_run_preview(run_pk=run.pk) == "not_claimed"
    assert AuditEvent.objects.filter(action="import.previewed").count() == 1


# --- Performance: the preview's queries do not grow with the file -----------------------------


@pytest.mark.parametrize("rows", [10, 200])
def test_the_preview_runs_the_same_queries_for_10_rows_as_for_200(
    school, rows, django_assert_num_queries
):
    # Half the file's pupils are in Harbour already, a tenth of them in care.
    for n in range(0, rows, 2):
        pupil = PupilFactory(school=school, upn=upn(n), date_of_birth=dt.date(2012, 1, 1))
        if n % 10 == 0:
            CareEpisodeFactory(pupil=pupil, start_date=dt.date(2024, 11, 18))
    PupilFactory(school=school, upn="")  # an unnumbered pupil, so the twin check queries
    upload = import_file_read(name="roll.csv", data=pupils_csv(rows), today=TODAY)

    # 1 the pupils with the file's UPNs, 2 their episodes with the responsible authority,
    # 3 the school's pupils with no UPN (twin check), 4 the Virtual Schools by LA code.
    with django_assert_num_queries(4):
        result, _ = pupils_import_preview(school=school, upload=upload, today=TODAY)

    assert len(result.outcomes) == rows


# --- On a real worker ------------------------------------------------------------------------


@pytest.mark.slow
def test_an_upload_is_previewed_and_committed_by_a_real_worker(
    workers, task_log, school, cambridgeshire
):
    from django.db import transaction

    from imports.services import import_run_commit
    from tests.notifications.conftest import wait_until

    importer = member(school, Role.DESIGNATED_TEACHER)
    with transaction.atomic():
        run = import_run_start(
            school=school,
            by=importer,
            kind="pupils",
            name="roll.csv",
            data=pupils_csv(30),
            file_format="csv",
            today=TODAY,
        )

    with workers(1):
        task_log.wait_for("imports.tasks.import_preview", 1)
        run.refresh_from_db()
        assert run.state == ImportRun.State.PREVIEWED
        assert (run.progress_done, run.progress_total) == (30, 30)
        with transaction.atomic():
            import_run_commit(run=run, by=importer)
        task_log.wait_for("imports.tasks.import_commit", 1)

    wait_until(lambda: Pupil.objects.filter(school=school).count() == 30, what="the pupils")
    run.refresh_from_db()
    assert run.state == ImportRun.State.COMMITTED
