"""The demo (demo.reports): the last school year has a published governors' annual report that
a governor downloads at once, and its text names none of the demo's children."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.pdf import pdf_text
from demo.peps import load_demo_peps
from demo.pupils import load_demo_pupils
from demo.reports import load_demo_reports
from pupils.models import Pupil
from reports.models import GovernorsReport, TrainingRecord
from tests.conftest import member, sign_in
from tests.factories import SchoolFactory
from tests.peps.test_demo import with_demo_calendar

pytestmark = pytest.mark.django_db

DEMO_DAY = dt.date(2026, 11, 23)


def _quick_pdf(pep) -> bytes:
    return b"%PDF-1.7 demo"


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setattr("peps.documents.pep_pdf", _quick_pdf)
    school = with_demo_calendar(SchoolFactory(name="Fenbridge Academy"))
    # demo.reports finds the designated teacher by the demo's login.
    school_dt = school.memberships.get(role=Role.DESIGNATED_TEACHER).user
    school_dt.email = "dt@fenbridge.example"
    school_dt.save()
    load_demo_pupils(school, today=DEMO_DAY)
    load_demo_peps(school, today=DEMO_DAY)
    report = load_demo_reports(school, today=DEMO_DAY)
    return school, report


def test_a_governor_downloads_last_year_s_report_at_once_and_it_names_no_child(demo, client):
    school, report = demo
    assert report.academic_year == 2025 and report.is_published
    sign_in(client, member(school, Role.GOVERNOR))

    listing = client.get(reverse("reports:governors"))
    response = client.get(reverse("reports:governors_download", args=[report.pk]))

    assert reverse("reports:governors_download", args=[report.pk]) in listing.content.decode()
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "annual report to" in text and "2025 to 2026" in text
    assert "Contents" in text and "Children in each group" in text
    assert "we now gather the child's views" in text  # the designated teacher's narrative
    children = list(Pupil.objects.filter(school=school))
    assert len(children) > 5
    for child in children:
        for identity in (
            child.legal_forename,
            child.legal_surname,
            child.preferred_forename,
            child.preferred_surname,
        ):
            if identity:
                assert identity not in text, identity
        if child.upn:
            assert child.upn not in text
        assert child.date_of_birth.strftime("%-d %B %Y") not in text
        assert child.date_of_birth.strftime("%d/%m/%Y") not in text


def test_loading_again_adds_nothing(demo):
    school, report = demo
    training = TrainingRecord.objects.filter(school=school).count()
    again = load_demo_reports(school, today=DEMO_DAY)
    assert again.pk == report.pk
    assert GovernorsReport.objects.filter(school=school).count() == 1
    assert TrainingRecord.objects.filter(school=school).count() == training
