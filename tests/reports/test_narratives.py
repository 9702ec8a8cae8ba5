"""A governors' report narrative must not name a child: the designated teacher is warned, and a
narrative with any pupil's forename and surname in it is refused when saved and again when the
report is published. The refusal names the section, never a child."""

import datetime as dt
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent
from reports.models import GovernorsReport
from reports.services import (
    governors_report_narrative_set,
    governors_report_publish,
    governors_report_request,
    narrative_names_a_child,
)
from tests.conftest import member, render_report_runs
from tests.factories import add_year
from tests.matrix import on_matrix_day
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 10, 14)


@pytest.fixture
def year(school):
    add_year(school, 2026)
    return school


@pytest.fixture
def amy(year):
    pupil = PupilFactory(
        school=year,
        legal_forename="Amelia",
        legal_surname="O'Brien-Hart",
        preferred_forename="Amy",
        preferred_surname="",
    )
    CareEpisodeFactory(pupil=pupil, start_date=dt.date(2022, 1, 10))
    return pupil


def _report(school):
    return governors_report_request(
        school=school,
        kind="annual",
        academic_year=2026,
        by=member(school, Role.DESIGNATED_TEACHER),
        today=TODAY,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Amelia O'Brien-Hart did well.",
        "We supported amy  o'brien hart through a move.",  # case, spacing and punctuation
        "O'Brien-Hart, Amelia: a strong year.",  # surname first
        "Amy O'Brien-Hart",  # preferred forename with the legal surname
    ],
)
def test_a_child_s_name_is_found_however_it_is_typed(year, amy, text):
    assert narrative_names_a_child(year, text)


@pytest.mark.parametrize(
    "text",
    ["All PEPs held on time.", "Amy said it was a good year.", "Amelia O'Brien-Hartley", ""],
)
def test_text_without_a_full_name_is_not_refused(year, amy, text):
    assert not narrative_names_a_child(year, text)


def test_another_school_s_child_is_not_this_school_s_concern(year, other_school):
    PupilFactory(school=other_school, legal_forename="Zed", legal_surname="Quill")
    assert not narrative_names_a_child(year, "Zed Quill")


def test_saving_a_narrative_that_names_a_child_is_refused_naming_the_section(year, amy):
    report = _report(year)
    with pytest.raises(ValidationError) as refused:
        governors_report_narrative_set(
            report=report,
            section="peps",
            text="Amy O'Brien-Hart's PEP was late.",
            by=member(year, Role.DESIGNATED_TEACHER),
            today=TODAY,
        )
    message = " ".join(refused.value.messages)
    assert "Personal Education Plans" in message
    assert "Amy" not in message and "Brien" not in message
    report.refresh_from_db()
    assert report.narratives == {}
    assert not AuditEvent.objects.filter(action="governors_report.narrative_changed").exists()


def test_the_narrative_page_warns_and_refuses_with_the_section_named(year, amy, make_client):
    report = _report(year)
    client = make_client(year, Role.DESIGNATED_TEACHER)
    url = reverse("reports:narrative", args=[report.pk, "cohort"])
    with on_matrix_day():
        page = client.get(url)
        assert "Never write a child's name" in unescape(page.content.decode())
        response = client.post(url, {"text": "Amelia O'Brien-Hart joined in May."})
    body = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Children in each group" in body and "has a child's name in it" in body
    # The page echoes back what was typed in the box (it is the DT's own text), but the error
    # itself names no child.
    assert body.count("O'Brien-Hart") <= 1
    report.refresh_from_db()
    assert report.narratives == {}


def test_publishing_is_refused_while_a_narrative_names_a_child(year):
    report = _report(year)
    # Written before the child joined the school, carried over from an earlier report.
    report.narratives = {"training": "Training for Kit Marlowe's teachers."}
    report.save()
    PupilFactory(school=year, legal_forename="Kit", legal_surname="Marlowe")
    render_report_runs()
    with pytest.raises(ValidationError, match="“Training”"):
        governors_report_publish(report=report, by=member(year, Role.HEADTEACHER))
    assert GovernorsReport.objects.get(pk=report.pk).published_at is None
