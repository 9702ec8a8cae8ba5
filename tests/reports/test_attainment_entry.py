"""Entering the termly attainment of children previously in care or with a social worker, and
importing the whole school's attainment from a CSV: every row checked, all saved or none."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent
from pupils.models import EpisodeKind, LegalBasis
from reports.documents import report_document
from reports.models import GovernorsReport, PeerAttainment, TermlyAttainment
from schools.models import Term
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
def autumn(year):
    return Term.objects.get(
        academic_year__school=year, academic_year__start_year=2026, name="autumn"
    )


def _adopted(school):
    pupil = PupilFactory(school=school, admission_date=dt.date(2020, 9, 2))
    CareEpisodeFactory(
        pupil=pupil,
        kind=EpisodeKind.PREVIOUSLY_IN_CARE,
        legal_basis=LegalBasis.ADOPTION,
        start_date=dt.date(2019, 1, 1),
    )
    return pupil


def _csv(text: str):
    return SimpleUploadedFile("figures.csv", text.encode(), content_type="text/csv")


def test_the_dt_records_a_child_s_termly_attainment_and_the_report_uses_it(
    year, autumn, make_client
):
    children = [_adopted(year) for _ in range(6)]
    PupilFactory(school=year)  # in no group: not listed
    client = make_client(year, Role.DESIGNATED_TEACHER)
    with on_matrix_day():
        listed = client.get(reverse("reports:termly_attainment"), {"term": autumn.pk})
        assert {c.pk for c in listed.context["children"]} == {c.pk for c in children}
        for child in children:
            url = reverse("reports:termly_attainment_pupil", args=[child.pk])
            response = client.post(url, {"term": autumn.pk, "subject": "Maths", "current": "5"})
            assert response.status_code == 302
        # Recording the same subject again replaces it.
        client.post(url, {"term": autumn.pk, "subject": "Maths", "current": "3"})
    assert TermlyAttainment.objects.filter(term=autumn).count() == 6
    assert TermlyAttainment.objects.get(pupil=children[-1]).current == "3"
    event = AuditEvent.objects.filter(action="termly_attainment.recorded").first()
    assert event.pupil_id in {c.pk for c in children}
    assert "Maths" not in str(event.changes)  # the typed subject: field name only
    listed_event = AuditEvent.objects.filter(action="termly_attainment.listed")
    assert {e.pupil_id for e in listed_event} == {c.pk for c in children}

    document = report_document(
        GovernorsReport(school=year, kind="annual", academic_year=2026), today=TODAY
    )
    attainment = next(s for s in document.sections if s.section.key == "attainment").section
    # 5 of 6 at grade 4 or above: the one below is a small group, so the share is withheld.
    assert attainment.tables[0].rows[0][2] == "not shown (a group of fewer than 5)"


def test_a_point_off_the_scale_is_refused(year, autumn, make_client):
    child = _adopted(year)
    client = make_client(year, Role.DESIGNATED_TEACHER)
    url = reverse("reports:termly_attainment_pupil", args=[child.pk])
    with on_matrix_day():
        response = client.post(url, {"term": autumn.pk, "subject": "Maths", "current": "Expected"})
    assert response.status_code == 200
    assert not TermlyAttainment.objects.exists()


def test_another_school_s_child_is_a_404(year, other_school, make_client):
    child = PupilFactory(school=other_school)
    client = make_client(year, Role.DESIGNATED_TEACHER)
    with on_matrix_day():
        response = client.get(reverse("reports:termly_attainment_pupil", args=[child.pk]))
    assert response.status_code == 404


def test_a_csv_of_the_whole_school_s_figures_is_saved(year, autumn, make_client):
    client = make_client(year, Role.DESIGNATED_TEACHER)
    with on_matrix_day():
        response = client.post(
            reverse("reports:peer_attainment_upload"),
            {
                "term": autumn.pk,
                "file": _csv("Subject,Point,Percent\nMaths,4,72.5\nEnglish,4,68%\n"),
            },
        )
    assert response.status_code == 302
    saved = dict(PeerAttainment.objects.values_list("subject", "percent_at_or_above"))
    assert saved == {"Maths": Decimal("72.5"), "English": Decimal("68")}
    assert AuditEvent.objects.get(action="peer_attainment.imported").changes


def test_a_csv_with_any_bad_row_saves_nothing_and_lists_every_problem(year, autumn, make_client):
    client = make_client(year, Role.DESIGNATED_TEACHER)
    text = (
        "subject,point,percent\n"
        "Maths,4,72\n"
        "English,Expected,60\n"  # not on the secondary scale
        "Science,4,101\n"
        ",4,50\n"
        "Maths,4,70\n"  # the same as row 2
        "History,4,=1+1\n"
    )
    with on_matrix_day():
        response = client.post(
            reverse("reports:peer_attainment_upload"), {"term": autumn.pk, "file": _csv(text)}
        )
    assert response.status_code == 200
    problems = response.context["problems"]
    assert [p.split(":")[0] for p in problems] == ["Row 3", "Row 4", "Row 5", "Row 6", "Row 7"]
    assert not PeerAttainment.objects.exists()


def test_a_file_without_the_columns_is_refused(year, autumn, make_client):
    client = make_client(year, Role.DESIGNATED_TEACHER)
    with on_matrix_day():
        response = client.post(
            reverse("reports:peer_attainment_upload"),
            {"term": autumn.pk, "file": _csv("name,score\nAmy,5\n")},
        )
    assert "must name the columns" in response.context["problems"][0]
    assert not PeerAttainment.objects.exists()
