"""The PEP PDF for the Virtual School: the document's data, its text as printed, the download."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent, ReportRun
from core.pdf import pdf_text
from peps import services
from peps.documents import pep_document, pep_pdf
from peps.models import PersonalEducationPlan
from tests.conftest import member, render_report_runs, sign_in
from tests.peps.conftest import D, fill
from tests.peps.factories import CompletedPepFactory, SdqFactory, TargetFactory

SECTIONS = [
    "The child",
    "The meeting",
    "Attendees",
    "The child's voice",
    "Views of the carer, social worker and Virtual School",
    "Attainment",
    "Attendance and exclusions this school year",
    "Special educational needs",
    "Strengths and Difficulties Questionnaire (SDQ)",
    "Review of the last PEP's targets",
    "Targets",
    "Transition plans",
    "Next PEP meeting",
]


@pytest.fixture
def spring_pep(child, autumn, spring, teacher):
    """Amelia's spring PEP, completed, reviewing the autumn target, with attainment and SDQs."""
    last = CompletedPepFactory(pupil=child, term=autumn)
    reading = TargetFactory(pep=last, action="Read with Mr Hale twice a week")
    SdqFactory(pupil=child, taken_on=D(2026, 12, 1), informant="carer", emotional=6, peer=5)
    SdqFactory(pupil=child, taken_on=D(2026, 12, 2), informant="teacher")
    pep = services.pep_start(pupil=child, term=spring, by=teacher, today=D(2027, 1, 11))
    fill(pep, teacher, meeting=D(2027, 1, 12))
    services.pep_update(
        pep=pep,
        by=teacher,
        sen_status="sen_support",
        sen_notes="Speech and language support, weekly",
        suspensions=1,
        suspension_days=Decimal("1.5"),
    )
    services.attainment_add(pep=pep, subject="Maths", current="3", expected="5", by=teacher)
    services.attainment_add(pep=pep, subject="English", current="4", expected="5", by=teacher)
    services.target_review(
        pep=pep,
        target=reading,
        outcome="partly",
        evidence="Reading age up six months; sessions missed in December",
        by=teacher,
    )
    return services.pep_complete(pep=pep, by=teacher, today=D(2027, 1, 13))


def test_the_document_holds_every_part_of_the_pep(spring_pep):
    document = pep_document(spring_pep)
    assert document.school_name == "Fenbridge Academy"
    assert document.child.name == "Amelia Okonkwo"
    assert document.child.date_of_birth == D(2015, 10, 3)
    assert document.child.year_group == "Year 6"
    assert document.child.care_status == ("In care, Section 31: care order, since 10 January 2022")
    assert document.child.responsible_authority == "Cambridgeshire Virtual School"
    assert document.meeting_date == D(2027, 1, 12)
    assert [a.name for a in document.attendees] == ["Sam Carter"]
    assert ("What is hard", "Maths tests make my tummy hurt") in document.voice
    assert [(r.subject, r.current, r.expected) for r in document.attainment] == [
        ("Maths", "3", "5"),
        ("English", "4", "5"),
    ]
    assert document.attendance_percent == Decimal("96.5")
    assert document.sen_status == "SEN support"
    assert [(s.informant, s.total, s.band) for s in document.sdq] == [
        ("Parent or carer", 18, "High"),
        ("Teacher", 14, "Slightly raised"),
    ]
    assert document.sdq_grid[0] == ("Emotional symptoms", ["6 (high)", "3 (close to average)"])
    assert document.sdq_grid[-2] == (
        "Total difficulties (0 to 40)",
        ["18 (high)", "14 (slightly raised)"],
    )
    assert [(r.target, r.outcome) for r in document.reviews] == [
        ("Read with Mr Hale twice a week", "Partly achieved")
    ]
    assert [(t.pp_plus_amount, t.pp_plus_purpose) for t in document.targets] == [
        (Decimal("450.00"), "A term of weekly one-to-one maths tutoring")
    ]
    assert document.pp_plus_total == Decimal("450.00")
    assert document.next_meeting_date == D(2027, 1, 12) + dt.timedelta(days=100)


def test_the_pdf_text_has_every_section_and_the_childs_own_words(spring_pep):
    text = " ".join(pdf_text(pep_pdf(spring_pep)).split())
    for heading in SECTIONS:
        assert heading in text, heading
    for words in (
        "I like art club and my new friend Priya",
        "Maths tests make my tummy hurt",
        "To go to drama club on Wednesdays",
        "When Miss Ade sits with me and I can ask quietly",
    ):
        assert words in text
    assert "Amelia Okonkwo" in text
    assert "Fenbridge Academy" in text
    assert "Cambridgeshire Virtual School" in text
    assert "Reading age up six months" in text
    assert "£450.00" in text
    assert "Page 1 of" in text
    assert "Confidential" in text


def test_typed_markup_is_printed_as_text_not_fetched(draft, teacher):
    services.pep_update(
        pep=draft, by=teacher, voice_hard='<img src="http://example.test/x.png"> spelling'
    )
    text = pdf_text(pep_pdf(PersonalEducationPlan.objects.get(pk=draft.pk)))
    assert '<img src="http://example.test/x.png"> spelling' in " ".join(text.split())


def test_the_pdf_is_made_by_the_worker_and_its_download_is_audited(client, school, spring_pep):
    viewer = member(school, Role.DSL)
    sign_in(client, viewer)
    # The completed PEP's run was queued when it was completed: the link leads to it.
    response = client.get(reverse("peps:pep_pdf", args=[spring_pep.pk]))
    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:report_run", args=[run.pk])
    progress = client.get(response["Location"])
    assert progress["Content-Type"].startswith("text/html")
    assert 'src="/static/report_run.js"' in progress.content.decode()
    assert not AuditEvent.objects.filter(action="pep.pdf_downloaded").exists()

    render_report_runs()
    ready = client.get(response["Location"]).content.decode()
    assert "report_run.js" not in ready
    download_url = reverse("core:report_run_download", args=[run.pk])
    assert download_url in ready
    response = client.get(download_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="PEP-okonkwo-amelia-spring-2026.pdf"'
    )
    assert "Amelia Okonkwo" in pdf_text(response.content)
    event = AuditEvent.objects.get(action="pep.pdf_downloaded")
    assert (event.actor, event.pupil_id) == (viewer, spring_pep.pupil_id)


def test_a_drafts_pdf_is_made_afresh_each_time_it_is_asked_for(dt_client, draft, teacher):
    url = reverse("peps:pep_pdf", args=[draft.pk])
    assert "Make the PDF" in dt_client.get(url).content.decode()
    first = dt_client.post(url)
    assert first.status_code == 302
    # Asking renders nothing in the request: the run waits for the worker.
    run = ReportRun.objects.get()
    assert (run.state, run.parameters, run.content) == ("queued", {"pep": draft.pk}, None)
    render_report_runs()
    services.pep_update(pep=draft, by=teacher, voice_hard="Spelling tests on Fridays")
    second = dt_client.post(url)
    assert second["Location"] != first["Location"]
    render_report_runs()
    latest = ReportRun.objects.order_by("-pk").first()
    assert "Spelling tests on Fridays" in " ".join(pdf_text(bytes(latest.content)).split())


def test_a_completed_peps_pdf_is_made_once(dt_client, spring_pep):
    url = reverse("peps:pep_pdf", args=[spring_pep.pk])
    dt_client.post(url)
    dt_client.post(url)
    assert ReportRun.objects.count() == 1


def test_a_failed_pdf_can_be_asked_for_again(dt_client, spring_pep):
    ReportRun.objects.update(state=ReportRun.State.FAILED)
    url = reverse("peps:pep_pdf", args=[spring_pep.pk])
    page = dt_client.get(url)
    assert page.status_code == 200
    assert "could not make this PDF last time" in page.content.decode()
    dt_client.post(url)
    assert ReportRun.objects.filter(state=ReportRun.State.QUEUED).count() == 1


def test_another_schools_pep_pdf_is_not_found(other_school_dt_client, spring_pep):
    response = other_school_dt_client.get(reverse("peps:pep_pdf", args=[spring_pep.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="pep.pdf_downloaded").exists()
