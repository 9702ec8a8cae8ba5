"""The import pages as a browser uses them: upload a file, watch the check, read the outcome,
confirm or cancel; who may import; and every file that cannot be imported shown as a form
error. The check and the import run as Celery tasks (``imports.tasks``): here eagerly, when the
request's transaction commits (``run_tasks``)."""

from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent
from imports.models import ImportRun
from pupils.imports import MAX_FILE_BYTES
from pupils.models import CareEpisode, Pupil
from tests.factories import VirtualSchoolFactory
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

pytestmark = [pytest.mark.django_db]

FIXTURES = Path(__file__).parent / "fixtures"
UPLOAD = "pupil_imports:upload"


@pytest.fixture(autouse=True)
def cambridgeshire(db):
    return VirtualSchoolFactory(la_code="873", local_authority_name="Cambridgeshire")


def fixture_file(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    data = content if content is not None else (FIXTURES / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def upload(client, name: str, content: bytes | None = None):
    return client.post(reverse(UPLOAD), {"file": fixture_file(name, content)})


def latest_run() -> ImportRun:
    return ImportRun.objects.latest("pk")


def page_of(client, run: ImportRun) -> str:
    return client.get(reverse("imports:run", args=[run.pk])).content.decode()


def confirm(client, run: ImportRun):
    return client.post(reverse("imports:confirm", args=[run.pk]))


# --- Who may import ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("dt_client", 200),
        ("head_client", 200),
        ("school_admin_client", 200),
        ("dsl_client", 403),
        ("deputy_dsl_client", 403),
        ("governor_client", 403),
        ("staff_client", 403),
    ],
)
def test_the_designated_teacher_the_head_and_the_administrator_may_import(request, persona, status):
    client = request.getfixturevalue(persona)
    assert client.get(reverse(UPLOAD)).status_code == status
    assert client.get(reverse("pupil_imports:template")).status_code == status


@pytest.mark.parametrize("persona", ["dsl_client", "governor_client", "staff_client"])
def test_other_roles_cannot_upload_check_confirm_or_cancel(request, persona, school, dt_client):
    upload(dt_client, "pupils.csv")
    run = latest_run()
    client = request.getfixturevalue(persona)

    assert upload(client, "pupils.csv").status_code == 403
    assert client.get(reverse("imports:run", args=[run.pk])).status_code == 403
    assert confirm(client, run).status_code == 403
    assert client.post(reverse("imports:cancel", args=[run.pk])).status_code == 403
    assert not Pupil.objects.exists()


@pytest.mark.parametrize("name", [UPLOAD, "pupil_imports:template"])
def test_a_signed_out_visitor_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_import_page_links_to_the_csv_template(dt_client):
    page = dt_client.get(reverse(UPLOAD)).content.decode()

    assert reverse("pupil_imports:template") in page
    assert "Download the CSV template" in page


def test_the_template_downloads_as_a_csv_excel_opens_as_utf8(dt_client):
    response = dt_client.get(reverse("pupil_imports:template"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="harbour-pupil-import-template.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffupn,legal_forename,legal_surname,")
    assert len(text.strip().splitlines()) == 2


# --- Upload, check, confirm ------------------------------------------------------------------


def test_a_designated_teacher_uploads_checks_and_confirms_a_csv(dt_client, school, run_tasks):
    with run_tasks():
        response = upload(dt_client, "pupils.csv")
    run = latest_run()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:run", args=[run.pk])
    assert run.state == ImportRun.State.PREVIEWED
    assert run.file_path  # the file waits under the var folder, not in the session
    assert "pupils.import" not in dt_client.session

    page = page_of(dt_client, run)
    assert "4 to create, 0 to update, 0 unchanged, 0 refused" in page
    assert "Millie Thornbury" in page
    assert reverse("imports:confirm", args=[run.pk]) in page
    assert 'http-equiv="refresh"' not in page  # finished: the page stops refreshing
    assert not Pupil.objects.exists()  # the preview saved nothing

    with run_tasks():
        done = confirm(dt_client, run)

    assert done["Location"] == reverse("imports:run", args=[run.pk])
    run.refresh_from_db()
    assert run.state == ImportRun.State.COMMITTED
    assert run.file_path == ""  # the file is removed once imported
    assert Pupil.objects.filter(school=school).count() == 4
    assert CareEpisode.objects.count() == 3
    done_page = page_of(dt_client, run)
    assert "4 created, 0 updated, 0 unchanged" in done_page
    assert reverse("pupils:cohort") in done_page
    assert AuditEvent.objects.get(action="pupils.imported").changes["rows"]["created"] == 4


def test_while_the_check_runs_the_page_refreshes_itself_without_script(dt_client):
    upload(dt_client, "pupils.csv")  # no worker: the run waits

    page = page_of(dt_client, latest_run())

    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Checking the file" in page
    assert "<script>" not in page.split("<body")[0]


def test_a_ctf_preview_says_where_in_care_starts(dt_client, run_tasks):
    with run_tasks():
        upload(dt_client, "ctf.xml")

    page = page_of(dt_client, latest_run())

    assert "Common Transfer File version 25.0 from Marshfield Primary School" in page
    assert "3 to create, 0 to update, 0 unchanged, 0 refused" in page
    assert "the time in care will start on 12 September 2025, the day the file was made" in page


def test_importing_the_same_file_again_offers_nothing_to_confirm(dt_client, run_tasks):
    with run_tasks():
        upload(dt_client, "pupils.csv")
    with run_tasks():
        confirm(dt_client, latest_run())
    events = AuditEvent.objects.filter(action__startswith="pupil").count()

    with run_tasks():
        upload(dt_client, "pupils.csv")
    run = latest_run()
    page = page_of(dt_client, run)

    assert "0 to create, 0 to update, 4 unchanged, 0 refused" in page
    assert "there is nothing to import" in page
    assert reverse("imports:confirm", args=[run.pk]) not in page
    with run_tasks():
        response = confirm(dt_client, run)  # posted anyway, as a stale tab would
    assert "every row matches what Harbour already holds" in response.content.decode()
    assert AuditEvent.objects.filter(action__startswith="pupil").count() == events
    assert Pupil.objects.count() == 4


def test_a_file_with_a_refused_row_lists_the_reason_and_cannot_be_confirmed(dt_client, run_tasks):
    content = (FIXTURES / "pupils.csv").read_bytes().replace(b"12/07/2016", b"31/02/2016")
    with run_tasks():
        upload(dt_client, "pupils.csv", content)
    run = latest_run()

    page = page_of(dt_client, run)

    assert "3 to create, 0 to update, 0 unchanged, 1 refused" in page
    assert "date_of_birth: &#x27;31/02/2016&#x27; is not a date" in page
    assert "Harbour imports a file all or nothing" in page
    assert reverse("imports:confirm", args=[run.pk]) not in page


def test_a_forced_confirm_of_a_refused_file_says_the_file_has_errors(dt_client, run_tasks):
    content = (FIXTURES / "pupils.csv").read_bytes().replace(b"12/07/2016", b"31/02/2016")
    with run_tasks():
        upload(dt_client, "pupils.csv", content)
    with run_tasks():
        response = confirm(dt_client, latest_run())  # a hand-made POST: no button offered it

    page = response.content.decode()
    assert response.status_code == 400
    assert "the file has 1 row that cannot be imported" in page
    assert "records changed" not in page
    assert latest_run().state == ImportRun.State.PREVIEWED
    assert not Pupil.objects.exists()


def test_a_change_in_harbour_after_the_preview_is_caught_at_confirm(dt_client, school, run_tasks):
    with run_tasks():
        upload(dt_client, "pupils.csv")
    run = latest_run()
    # Meanwhile someone records Amelia in Harbour, in care from before the file says.
    amelia = PupilFactory(
        school=school,
        upn="N873400025001",
        legal_forename="Amelia",
        legal_surname="Thornbury",
        date_of_birth="2014-03-09",
    )
    CareEpisodeFactory(pupil=amelia, start_date="2023-05-01")

    with run_tasks():
        confirm(dt_client, run)

    run.refresh_from_db()
    assert run.state == ImportRun.State.FAILED
    page = page_of(dt_client, run)
    assert "Nothing was imported" in page
    assert "records changed after you checked the file" in page
    assert "This overlaps the time in care from 1 May 2023" in page
    assert Pupil.objects.count() == 1
    assert not AuditEvent.objects.filter(action="pupils.imported").exists()


def test_cancel_forgets_the_file(dt_client, run_tasks):
    with run_tasks():
        upload(dt_client, "pupils.csv")
    run = latest_run()

    with run_tasks():  # the file is removed once the cancel commits
        response = dt_client.post(reverse("imports:cancel", args=[run.pk]))

    assert response["Location"] == reverse(UPLOAD)
    run.refresh_from_db()
    assert run.state == ImportRun.State.CANCELLED
    assert run.file_path == ""
    assert reverse("imports:confirm", args=[run.pk]) not in page_of(dt_client, run)
    assert confirm(dt_client, run).status_code == 400
    assert not Pupil.objects.exists()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Import cancelled: nothing was saved."
    ]


def test_another_schools_run_is_not_found(dt_client, other_school_dt_client, run_tasks):
    with run_tasks():
        upload(dt_client, "pupils.csv")
    run = latest_run()

    assert other_school_dt_client.get(reverse("imports:run", args=[run.pk])).status_code == 404
    assert confirm(other_school_dt_client, run).status_code == 404
    assert other_school_dt_client.post(reverse("imports:cancel", args=[run.pk])).status_code == 404
    assert ImportRun.objects.get().state == ImportRun.State.PREVIEWED


def test_the_import_page_offers_the_file_waiting_to_be_confirmed(dt_client, run_tasks):
    with run_tasks():
        upload(dt_client, "pupils.csv")

    page = dt_client.get(reverse(UPLOAD)).content.decode()

    assert "pupils.csv is waiting to be imported" in page


# --- Files that cannot be imported --------------------------------------------------------------

LATIN_1 = (FIXTURES / "pupils.csv").read_bytes().replace(b"Amelia", "Amélie".encode("latin-1"))


BAD_FILES = [
    ("empty.csv", b"", "The file is empty"),
    ("latin1.csv", LATIN_1, "The file is not saved as UTF-8"),
    ("columns.csv", b"upn,name\nN873400025001,Amelia\n", "The file is missing the columns"),
    ("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "it contains binary data"),
    ("pupils.xlsx", b"PK\x03\x04\x14\x00", "looks like an Excel workbook"),
    ("huge.csv", b"x" * (MAX_FILE_BYTES + 1), "The file is larger than 5 MB"),
    ("billion-laughs.xml", None, "contains a document type declaration"),
    ("external-entity.xml", None, "contains a document type declaration"),
    ("doctype.xml", None, "contains a document type declaration"),
    ("not-a-ctf.xml", None, "This XML file is not a Common Transfer File"),
    ("broken.xml", b"<CTfile><Header>", "This is not a readable XML file"),
]


@pytest.mark.parametrize(
    ("name", "content", "expected"), [pytest.param(*bad, id=bad[0]) for bad in BAD_FILES]
)
def test_a_file_that_cannot_be_imported_is_an_error_on_the_form(dt_client, name, content, expected):
    response = upload(dt_client, name, content)

    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert expected in page.replace("&#x27;", "'")
    assert "<title>Error: Import pupils" in page
    assert not ImportRun.objects.exists()
    assert not Pupil.objects.exists()


def test_no_file_chosen_is_an_error_on_the_form(dt_client):
    response = dt_client.post(reverse(UPLOAD), {})

    assert "Choose a CSV file or a Common Transfer File to upload" in response.content.decode()
