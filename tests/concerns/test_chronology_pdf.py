"""The DSL's chronology as a PDF: made by a report run, its text holds every concern and action
in order beside the child's other events, and its download is audited."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from concerns.models import Action
from concerns.services import concern_action_record
from core.models import AuditEvent, ReportRun
from core.pdf import pdf_text
from tests.concerns.factories import raise_concern
from tests.conftest import member, render_report_runs
from tests.matrix import on_matrix_day
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

pytestmark = pytest.mark.django_db


def test_the_chronology_pdf_lists_the_concern_and_its_actions_in_order_and_is_audited(
    dsl_client, school
):
    child = PupilFactory(school=school, legal_forename="Ruby", legal_surname="Hale")
    CareEpisodeFactory(pupil=child, start_date=dt.date(2025, 2, 3))
    concern = raise_concern(school, by=member(school, Role.STAFF), pupils=[child])
    dsl = member(school, Role.DSL)
    for kind, day in ((Action.Kind.SPOKE_TO_CHILD, 14), (Action.Kind.REFERRAL_SOCIAL_CARE, 15)):
        concern_action_record(
            concern=concern,
            by=dsl,
            kind=kind,
            taken_on=dt.date(2026, 10, day),
            taken_by="Tom Okafor",
            details="Details",
            today=dt.date(2026, 10, 15),
        )
    with on_matrix_day():
        response = dsl_client.post(reverse("concerns:chronology", args=[child.pk]))
        run = ReportRun.objects.get()
        assert response["Location"] == reverse("core:report_run", args=[run.pk])
        assert render_report_runs() == 1
        download = dsl_client.get(reverse("core:report_run_download", args=[run.pk]))
    assert download.status_code == 200
    text = pdf_text(download.content)
    assert "Safeguarding chronology" in text
    assert "Ruby Hale" in text
    raised = text.index(f"Concern {concern.reference} raised")
    spoke = text.index("Spoke to the child")
    referral = text.index("Referral to children's social care")
    assert text.index("started") < raised < spoke < referral  # oldest first
    event = AuditEvent.objects.get(action="concern.chronology_pdf_downloaded")
    assert event.pupil_id == child.pk


def test_the_designated_teacher_cannot_ask_for_it(dt_client, school):
    child = PupilFactory(school=school)
    assert dt_client.post(reverse("concerns:chronology", args=[child.pk])).status_code == 403
    assert not ReportRun.objects.exists()
