"""Every read is recorded: each page of the permission matrix that shows a child writes exactly
one read event for that child, and a list of children writes one event for the list.

Which pages show a child is not declared anywhere a new page could forget it: every child of
the school is renamed to a marker before the request, and a page shows a child when the
child's marker is in what it returns (HTML, CSV, the cells of an XLSX or the text of a PDF). A
new page that shows a child without recording the read fails here.
"""

import io

import openpyxl
import pytest
from django.urls import reverse

from accounts.roles import Role
from core.exports import XLSX_TYPE
from core.models import AuditEvent
from core.pdf import pdf_text
from peps.access import pep_for
from pupils.access import pupil_for
from pupils.models import Pupil
from tests.conftest import member, sign_in
from tests.matrix import on_matrix_day
from tests.peps.matrix import pep_records
from tests.pupil_factories import CareEpisodeFactory, PupilFactory
from tests.test_access_matrix import OPENABLE_PAGES, PAGES

pytestmark = pytest.mark.django_db


def _mark_children(school) -> dict[int, tuple[str, str]]:
    """Give every child of ``school`` a name no page could show by chance: ``Zq<pk>f
    Zq<pk>s``. The trailing letter keeps ``Zq1f`` from matching inside ``Zq12f``."""
    marks = {}
    for pk in Pupil.objects.filter(school=school).values_list("pk", flat=True):
        marks[pk] = (f"Zq{pk}f", f"Zq{pk}s")
        Pupil.objects.filter(pk=pk).update(
            legal_forename=marks[pk][0],
            legal_surname=marks[pk][1],
            preferred_forename="",
            preferred_surname="",
        )
    return marks


def _text(response) -> str:
    if response["Content-Type"].startswith("application/pdf"):
        return pdf_text(response.content)
    if response["Content-Type"] == XLSX_TYPE:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    return response.content.decode()


def _children_shown(response, marks) -> set[int]:
    text = _text(response)
    return {pk for pk, names in marks.items() if any(name in text for name in names)}


def _read(client, school, page):
    """GET the page as a role that may open it, with a child on the roll for lists to show.
    Returns the children it showed and the audit events the request wrote."""
    on_roll = PupilFactory(school=school)
    CareEpisodeFactory(pupil=on_roll)
    with on_matrix_day():
        url = reverse(page.url_name, kwargs=page.record(school) if page.record else page.kwargs)
        marks = _mark_children(school)
        sign_in(client, member(school, sorted(page.allowed)[0]))
        if page.prepare:
            page.prepare(client, school)
        last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.get(url)
    assert response.status_code == 200, url
    return _children_shown(response, marks), list(AuditEvent.objects.filter(pk__gt=last))


@pytest.mark.parametrize("page", OPENABLE_PAGES, ids=lambda p: p.url_name)
def test_a_page_that_shows_a_child_records_exactly_one_read(client, school, page):
    shown, events = _read(client, school, page)
    if page.record:
        # A page about one record: one read per child it shows, carrying the child's id so
        # the child's audit trail lists it.
        for pupil_id in shown:
            reads = [e.action for e in events if e.pupil_id == pupil_id]
            assert len(reads) == 1, f"{page.url_name} showed child {pupil_id}, recorded {reads}"
    elif shown:
        # A list of children: one event for the list, and none per child.
        assert len(events) == 1, f"{page.url_name} listed children, recorded {events}"
        assert events[0].pupil_id is None


@pytest.mark.parametrize(
    "url_name", ["pupils:pupil", "pupils:pupil_edit", "peps:pep_pdf", "pupils:cohort"]
)
def test_the_walk_sees_a_child_on_the_pages_that_show_one(client, school, url_name):
    # The walk above asserts only on the children it finds: this proves it finds them, in
    # HTML and in a form page's caption. (A PEP's PDF is made before the walk renames the
    # children, so its download's one read is proved in tests/peps/test_pep_pdf.py.)
    page = next(p for p in PAGES if p.url_name == url_name)
    shown, events = _read(client, school, page)
    assert shown
    assert events


def test_a_post_that_saves_records_the_change_and_no_read(dt_client, school):
    draft = pep_records(school)["draft"]
    response = dt_client.post(reverse("peps:pep_discard", args=[draft.pk]))
    assert response.status_code == 302
    actions = list(
        AuditEvent.objects.filter(pupil_id=draft.pupil_id).values_list("action", flat=True)
    )
    assert actions == ["pep.draft_discarded"]


def test_a_form_shown_again_with_its_errors_records_no_second_read(dt_client, school):
    # The GET recorded the read; the refused POST changes nothing and is the same page view.
    draft = pep_records(school)["draft"]
    url = reverse("peps:pep_complete", args=[draft.pk])
    dt_client.get(url)
    response = dt_client.post(url)
    assert response.status_code == 200 and response.context["problems"]
    actions = list(
        AuditEvent.objects.filter(pupil_id=draft.pupil_id).values_list("action", flat=True)
    )
    assert actions == ["pep.viewed"]


def test_a_child_fetched_twice_in_one_request_is_read_once(rf, school):
    child = PupilFactory(school=school)
    plan = pep_records(school)["draft"]
    request = rf.get("/")
    request.user, request.school = member(school, Role.DESIGNATED_TEACHER), school
    assert pupil_for(request, child.pk) == pupil_for(request, child.pk)
    pep_for(request, plan.pk)
    pupil_for(request, plan.pupil_id)
    assert AuditEvent.objects.filter(pupil_id=child.pk).count() == 1
    event = AuditEvent.objects.get(pupil_id=plan.pupil_id)
    assert (event.action, event.actor) == ("pep.viewed", request.user)
    assert event.changes == {"page": "", "version": 1, "status": "draft"}
