"""The import pages as a browser uses them: upload a file, check the preview, confirm or
cancel; who may import; and every file that cannot be imported shown as a form error."""

from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path, reverse

from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project
from core.models import AuditEvent
from pupils.import_views import SESSION_KEY
from pupils.imports import MAX_FILE_BYTES
from pupils.models import CareEpisode, Pupil
from tests.factories import VirtualSchoolFactory
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

# Until config/urls.py mounts the import (and the pupils app), these tests mount them.
_mounted = {getattr(p, "namespace", None) for p in project}
urlpatterns = [
    *project,
    *(
        []
        if "pupil_imports" in _mounted
        else [path("pupils/import/", include("pupils.import_urls"))]
    ),
    *([] if "pupils" in _mounted else [path("pupils/", include("pupils.urls"))]),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

FIXTURES = Path(__file__).parent / "fixtures"
UPLOAD = "pupil_imports:upload"
PREVIEW = "pupil_imports:preview"


@pytest.fixture(autouse=True)
def cambridgeshire(db):
    return VirtualSchoolFactory(la_code="873", local_authority_name="Cambridgeshire")


def fixture_file(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    data = content if content is not None else (FIXTURES / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def upload(client, name: str, content: bytes | None = None):
    return client.post(reverse(UPLOAD), {"file": fixture_file(name, content)})


def confirm(client):
    sha256 = client.session[SESSION_KEY]["sha256"]
    return client.post(reverse("pupil_imports:confirm"), {"sha256": sha256})


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
def test_other_roles_cannot_upload_or_confirm(request, persona):
    client = request.getfixturevalue(persona)

    assert upload(client, "pupils.csv").status_code == 403
    assert client.get(reverse(PREVIEW)).status_code == 403
    assert client.post(reverse("pupil_imports:confirm"), {"sha256": "x"}).status_code == 403
    assert client.post(reverse("pupil_imports:cancel")).status_code == 403
    assert not Pupil.objects.exists()


@pytest.mark.parametrize("name", [UPLOAD, PREVIEW, "pupil_imports:template"])
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


# --- Upload, preview, confirm ------------------------------------------------------------------


def test_a_designated_teacher_uploads_checks_and_confirms_a_csv(dt_client, school):
    response = upload(dt_client, "pupils.csv")
    assert response.status_code == 302
    assert response["Location"] == reverse(PREVIEW)

    preview = dt_client.get(reverse(PREVIEW))
    page = preview.content.decode()
    assert "4 to create, 0 to update, 0 unchanged, 0 refused" in page
    assert "Millie Thornbury" in page
    assert reverse("pupil_imports:confirm") in page
    assert not Pupil.objects.exists()  # the preview saved nothing

    done = confirm(dt_client)

    assert done.status_code == 302
    assert done["Location"] == reverse("pupils:cohort")
    assert Pupil.objects.filter(school=school).count() == 4
    assert CareEpisode.objects.count() == 3
    assert SESSION_KEY not in dt_client.session
    event = AuditEvent.objects.get(action="pupils.imported")
    assert event.changes["file_name"] == "pupils.csv"
    assert [str(m) for m in get_messages(done.wsgi_request)] == [
        "pupils.csv imported: 4 created, 0 updated, 0 unchanged"
    ]


def test_a_ctf_preview_says_where_in_care_starts(dt_client):
    upload(dt_client, "ctf.xml")

    page = dt_client.get(reverse(PREVIEW)).content.decode()

    assert "Common Transfer File version 25.0 from Marshfield Primary School" in page
    assert "3 to create, 0 to update, 0 unchanged, 0 refused" in page
    assert "the time in care will start on 12 September 2025, the day the file was made" in page


def test_an_administrator_is_brought_back_to_the_import_page_after_confirming(
    school_admin_client,
):
    upload(school_admin_client, "ctf.xml")

    done = confirm(school_admin_client)

    # An administrator cannot see the cohort register (DESIGN.md role table).
    assert done["Location"] == reverse(UPLOAD)
    assert Pupil.objects.count() == 3


def test_importing_the_same_file_again_offers_nothing_to_confirm(dt_client):
    upload(dt_client, "pupils.csv")
    confirm(dt_client)
    events = AuditEvent.objects.count()

    upload(dt_client, "pupils.csv")
    page = dt_client.get(reverse(PREVIEW)).content.decode()

    assert "0 to create, 0 to update, 4 unchanged, 0 refused" in page
    assert "there is nothing to import" in page
    assert reverse("pupil_imports:confirm") not in page
    confirm(dt_client)  # posted anyway, as a stale tab would
    assert AuditEvent.objects.count() == events
    assert Pupil.objects.count() == 4


def test_a_file_with_a_refused_row_lists_the_reason_and_cannot_be_confirmed(dt_client):
    content = (FIXTURES / "pupils.csv").read_bytes().replace(b"12/07/2016", b"31/02/2016")
    upload(dt_client, "pupils.csv", content)

    page = dt_client.get(reverse(PREVIEW)).content.decode()

    assert "3 to create, 0 to update, 0 unchanged, 1 refused" in page
    assert "date_of_birth: &#x27;31/02/2016&#x27; is not a date" in page
    assert "Harbour imports a file all or nothing" in page
    assert reverse("pupil_imports:confirm") not in page

    confirm(dt_client)
    assert not Pupil.objects.exists()


def test_a_change_in_harbour_after_the_preview_is_caught_at_confirm(dt_client, school):
    upload(dt_client, "pupils.csv")
    dt_client.get(reverse(PREVIEW))
    # Meanwhile someone records Amelia in Harbour, in care from before the file says.
    amelia = PupilFactory(
        school=school,
        upn="N873400025001",
        legal_forename="Amelia",
        legal_surname="Thornbury",
        date_of_birth="2014-03-09",
    )
    CareEpisodeFactory(pupil=amelia, start_date="2023-05-01")

    response = confirm(dt_client)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "This overlaps the time in care from 1 May 2023" in page
    assert Pupil.objects.count() == 1
    assert not AuditEvent.objects.filter(action="pupils.imported").exists()


def test_confirming_a_file_other_than_the_one_checked_imports_nothing(dt_client):
    upload(dt_client, "pupils.csv")

    response = dt_client.post(reverse("pupil_imports:confirm"), {"sha256": "0" * 64})

    assert response["Location"] == reverse(UPLOAD)
    assert not Pupil.objects.exists()
    page = dt_client.get(reverse(UPLOAD)).content.decode()
    assert "The file you checked is no longer waiting to be imported" in page


def test_cancel_forgets_the_file(dt_client):
    upload(dt_client, "pupils.csv")

    response = dt_client.post(reverse("pupil_imports:cancel"))

    assert response["Location"] == reverse(UPLOAD)
    assert SESSION_KEY not in dt_client.session
    assert dt_client.get(reverse(PREVIEW))["Location"] == reverse(UPLOAD)
    assert not Pupil.objects.exists()


def test_a_file_waiting_for_another_school_is_not_used(dt_client, other_school):
    upload(dt_client, "pupils.csv")
    session = dt_client.session
    session[SESSION_KEY] = session[SESSION_KEY] | {"school": other_school.pk}
    session.save()

    assert dt_client.get(reverse(PREVIEW))["Location"] == reverse(UPLOAD)


def test_the_import_page_offers_the_file_waiting_to_be_confirmed(dt_client):
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
    assert SESSION_KEY not in dt_client.session
    assert not Pupil.objects.exists()


def test_no_file_chosen_is_an_error_on_the_form(dt_client):
    response = dt_client.post(reverse(UPLOAD), {})

    assert "Choose a CSV file or a Common Transfer File to upload" in response.content.decode()
