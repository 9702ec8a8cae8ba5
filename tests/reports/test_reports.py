"""The dashboard, the governors' report and its suppression of small groups, the section
registry, publishing and governors' downloads."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent, ReportRun
from core.pdf import pdf_text
from core.report_sections import (
    Figure,
    ReportSection,
    Section,
    Table,
    register,
    suppress_section,
    suppressed,
    suppressed_percent,
    unregister,
)
from peps.models import AttainmentRecord
from pupil_premium.models import PpAllocation, PpItem
from pupils.models import CareEpisode, EpisodeKind, LegalBasis, Pupil
from reports.documents import report_document, report_pdf
from reports.models import GovernorsReport, PeerAttainment, ReportSettings, TrainingRecord
from reports.services import governors_report_publish, governors_report_request
from schools.models import Term
from tests.conftest import member, render_report_runs
from tests.factories import add_year
from tests.matrix import on_matrix_day
from tests.peps.factories import CompletedPepFactory
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 10, 14)


# --- Suppression (pure) ----------------------------------------------------------------------


def test_counts_of_one_to_threshold_less_one_are_shown_as_fewer_than_n():
    assert suppressed(0, 5) == 0
    assert suppressed(1, 5) == "fewer than 5"
    assert suppressed(4, 5) == "fewer than 5"
    assert suppressed(5, 5) == 5
    assert suppressed("Norfolk", 5) == "Norfolk"


def test_a_percentage_of_a_small_group_is_withheld():
    assert suppressed_percent(2, 3, 5) == "not shown (fewer than 5 children)"
    assert suppressed_percent(3, 6, 5) == "not shown (a group of fewer than 5)"  # 3 children
    assert suppressed_percent(6, 12, 5) == "50%"


def test_a_section_suppresses_flagged_figures_and_count_columns_only():
    section = ReportSection(
        key="x",
        title="X",
        figures=[Figure("Children", 2), Figure("Sessions", 2, children=False)],
        tables=[Table("T", ["Name", "Children", "Year"], [["A", 3, 2026]], count_columns=(1,))],
    )
    shown = suppress_section(section, 5)
    assert [f.value for f in shown.figures] == ["fewer than 5", 2]
    assert shown.tables[0].rows == [["A", "fewer than 5", 2026]]


# --- Fixtures --------------------------------------------------------------------------------


@pytest.fixture
def year(school):
    add_year(school, 2025)
    add_year(school, 2026)
    return school


def in_care(school, n, *, start=dt.date(2022, 1, 10), **pupil):
    pupils = []
    for _ in range(n):
        p = PupilFactory(school=school, **pupil)
        CareEpisodeFactory(pupil=p, start_date=start)
        pupils.append(p)
    return pupils


def previously_in_care(school, n):
    for _ in range(n):
        CareEpisodeFactory(
            pupil=PupilFactory(school=school),
            kind=EpisodeKind.PREVIOUSLY_IN_CARE,
            legal_basis=LegalBasis.ADOPTION,
            start_date=dt.date(2020, 1, 1),
        )


def _annual(school, by, **kw):
    return governors_report_request(
        school=school, kind="annual", academic_year=2026, by=by, today=TODAY, **kw
    )


# --- The report's figures --------------------------------------------------------------------


def test_report_counts_each_group_and_hides_groups_smaller_than_the_threshold(year):
    in_care(year, 6)
    previously_in_care(year, 2)
    PupilFactory(school=year)  # in no group
    report = GovernorsReport(school=year, kind="annual", academic_year=2026)

    document = report_document(report, today=TODAY)

    cohort = next(s for s in document.sections if s.section.key == "cohort").section
    figures = {f.label: f.value for f in cohort.figures}
    assert figures["Children in care"] == 6
    assert figures["Children previously in care"] == "fewer than 5"
    assert figures["Children with a social worker"] == 0
    assert figures["All pupils on roll"] == 9  # not a count of a group: never suppressed
    assert cohort.charts == []  # a chart would show the hidden 2


def test_the_school_sets_the_threshold(year):
    in_care(year, 3)
    ReportSettings.objects.create(school=year, small_group_threshold=3)
    document = report_document(
        GovernorsReport(school=year, kind="annual", academic_year=2026), today=TODAY
    )
    cohort = document.sections[0].section
    assert {f.label: f.value for f in cohort.figures}["Children in care"] == 3


def test_attainment_is_set_against_the_whole_school(year):
    autumn = Term.objects.get(
        academic_year__school=year, academic_year__start_year=2026, name="autumn"
    )
    # 6 of 11 at the standard, 5 below: neither is a small group, so the share is shown.
    for i, pupil in enumerate(in_care(year, 11)):
        pep = CompletedPepFactory(pupil=pupil, term=autumn)
        AttainmentRecord.objects.create(
            pep=pep, subject="Maths", current="5" if i < 6 else "3", expected="5"
        )
    PeerAttainment.objects.create(
        school=year, term=autumn, subject="Maths", point="4", percent_at_or_above=Decimal("72")
    )
    document = report_document(
        GovernorsReport(school=year, kind="annual", academic_year=2026), today=TODAY
    )
    attainment = next(s for s in document.sections if s.section.key == "attainment").section
    assert attainment.tables[0].rows == [["Maths", "55%", "–", "–", "72%"]]


def test_training_days_are_checked_against_the_expectation(year):
    dt_user = member(year, Role.DESIGNATED_TEACHER, full_name="Priya Shah")
    record = TrainingRecord.objects.create(
        school=year,
        course="DT network",
        kind="designated_teacher",
        date=dt.date(2026, 11, 3),
        hours=Decimal("6"),
    )
    record.attendees.set([dt_user])
    document = report_document(
        GovernorsReport(school=year, kind="annual", academic_year=2026), today=TODAY
    )
    training = next(s for s in document.sections if s.section.key == "training").section
    assert training.tables[0].rows == [["Designated teacher", "Priya Shah", "1", "Not yet"]]


def test_a_registered_section_of_another_app_is_in_the_report(year):
    def example_report(school, period, *, threshold, today):
        return ReportSection(
            key="example_app", title="Example", figures=[Figure("Persistently absent", 2)]
        )

    register(Section("example_app", "Example", 40, report=example_report))
    try:
        document = report_document(
            GovernorsReport(school=year, kind="annual", academic_year=2026), today=TODAY
        )
    finally:
        unregister("example_app")
    section = next(s for s in document.sections if s.section.key == "example_app").section
    assert section.figures[0].value == "fewer than 5"


# --- The PDF ---------------------------------------------------------------------------------


def test_the_pdf_has_the_numbers_and_no_child_s_name_birth_date_or_upn(year):
    children = in_care(year, 6, date_of_birth=dt.date(2013, 3, 9))
    previously_in_care(year, 1)
    dt_user = member(year, Role.DESIGNATED_TEACHER)
    report = _annual(year, dt_user)
    report.narratives = {"cohort": "A good year for the group."}
    report.save()

    text = pdf_text(report_pdf(report_document(report, today=TODAY)))

    assert "Children in care" in text and " 6" in text
    assert "fewer than 5" in text
    assert "A good year for the group." in text
    assert "Contents" in text and "page" in text
    # It contains no child's information, so its running header must not say it does.
    assert "contains information about a child" not in text
    # Every page's running header says what it is instead (laid out beside the title, so the
    # line may wrap: its start is on each page).
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) > 1
    assert all("For the governing board: no child is named" in page for page in pages)
    for child in children + list(Pupil.objects.filter(school=year)):
        for identity in (child.legal_forename, child.legal_surname, child.upn):
            assert identity not in text
        assert child.date_of_birth.strftime("%-d %B %Y") not in text
        assert child.date_of_birth.isoformat() not in text


# --- Publishing and downloads ----------------------------------------------------------------


def test_a_governor_downloads_only_a_published_report_and_each_download_is_audited(
    year, make_client
):
    in_care(year, 5)
    dt_user = member(year, Role.DESIGNATED_TEACHER)
    report = _annual(year, dt_user)
    render_report_runs()
    governor = make_client(year, Role.GOVERNOR)
    url = reverse("reports:governors_download", args=[report.pk])

    assert governor.get(url).status_code == 404  # a draft
    # nor through the run's own pages
    assert (
        governor.get(reverse("core:report_run_download", args=[report.run_id])).status_code == 403
    )

    governors_report_publish(report=report, by=dt_user)
    response = governor.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        AuditEvent.objects.filter(
            action="governors_report.downloaded", object_id=str(report.pk)
        ).count()
        == 1
    )


def test_a_report_is_published_only_once_its_pdf_is_made(year):
    dt_user = member(year, Role.DESIGNATED_TEACHER)
    report = _annual(year, dt_user)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        governors_report_publish(report=report, by=dt_user)
    assert ReportRun.objects.get(pk=report.run_id).state == ReportRun.State.QUEUED


def test_another_school_s_report_is_a_404(year, other_school, make_client):
    report = _annual(year, member(year, Role.DESIGNATED_TEACHER))
    render_report_runs()
    governors_report_publish(report=report, by=member(year, Role.HEADTEACHER))
    elsewhere = make_client(other_school, Role.GOVERNOR)
    assert elsewhere.get(reverse("reports:governors_download", args=[report.pk])).status_code == 404


def test_the_dt_asks_for_a_report_writes_a_narrative_and_it_is_made_again(year, make_client):
    client = make_client(year, Role.DESIGNATED_TEACHER)
    with on_matrix_day():
        response = client.post(reverse("reports:reports"), {"period": "2026"})
        report = GovernorsReport.objects.get()
        assert response.status_code == 302
        first_run = report.run_id
        response = client.post(
            reverse("reports:narrative", args=[report.pk, "peps"]), {"text": "All PEPs held."}
        )
    report.refresh_from_db()
    assert response.status_code == 302
    assert report.narratives == {"peps": "All PEPs held."}
    assert report.run_id != first_run
    event = AuditEvent.objects.get(action="governors_report.narrative_changed")
    assert "All PEPs" not in str(event.changes)


# --- The dashboard ---------------------------------------------------------------------------


def _dashboard_queries(client) -> int:
    with on_matrix_day(), CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    return len(queries)


def _many_in_care(school, n):
    pupils = Pupil.objects.bulk_create(
        Pupil(
            school=school,
            legal_forename=f"Child{i}",
            legal_surname="Test",
            date_of_birth=dt.date(2014, 1, 1),
            admission_date=dt.date(2020, 9, 2),
        )
        for i in range(n)
    )
    CareEpisode.objects.bulk_create(
        CareEpisode(pupil=p, kind=EpisodeKind.IN_CARE, start_date=dt.date(2022, 1, 10))
        for p in pupils
    )
    # A morning's register mark each, so the attendance section has marks to count.
    from attendance.models import SessionMark

    SessionMark.objects.bulk_create(
        SessionMark(school=school, pupil=p, date=TODAY, session="AM", code="/", source="csv")
        for p in pupils
    )
    # Their PP+ too, so the PP+ section is held to the same count.
    PpAllocation.objects.bulk_create(
        PpAllocation(
            school=school, pupil=p, financial_year=2026, group="cpic", amount=100, source="census"
        )
        for p in pupils
    )
    PpItem.objects.bulk_create(
        PpItem(
            school=school,
            pupil=p,
            group="cpic",
            financial_year=2026,
            date=dt.date(2026, 10, 1),
            description="Tutoring",
            category="tuition",
            amount=50,
        )
        for p in pupils
    )


def _a_concern_about_each(school):
    """An open concern about every child who has none (the head sees the concerns section)."""
    from concerns.models import Concern, ConcernPupil

    staff = member(school, Role.STAFF)
    pupils = list(
        Pupil.objects.filter(school=school).exclude(pk__in=ConcernPupil.objects.values("pupil_id"))
    )
    concerns = Concern.objects.bulk_create(
        Concern(
            school=school,
            raised_by=staff,
            seen_at=dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC),
            location="Playground",
            account="Invented",
            immediate_risk=i % 2 == 0,
        )
        for i, _ in enumerate(pupils)
    )
    ConcernPupil.objects.bulk_create(
        ConcernPupil(concern=c, pupil=p) for c, p in zip(concerns, pupils, strict=True)
    )


def test_the_dashboard_s_query_count_is_the_same_for_10_and_500_children(year, make_client):
    client = make_client(year, Role.HEADTEACHER)
    _many_in_care(year, 10)
    _a_concern_about_each(year)
    few = _dashboard_queries(client)
    _many_in_care(year, 490)
    _a_concern_about_each(year)
    # Session and user (3), the calendar (2), then each section: groups and authorities (2),
    # PEPs per started term (calendar 2 + 5), attainment (7), attendance (4), destinations (1),
    # training (4), safeguarding concerns (open concerns, settings, calendar, raised, closed,
    # unlinked, CP files: 8), PP+ (4: allocations, items by group, by category, by outcome),
    # and the audit event. The same whatever the number of children.
    assert _dashboard_queries(client) == few


def test_every_number_on_the_dashboard_links_to_its_list(year, make_client):
    in_care(year, 2)
    client = make_client(year, Role.HEADTEACHER)
    with on_matrix_day():
        response = client.get(reverse("reports:dashboard"))
    html = response.content.decode()
    assert reverse("pupils:cohort") + "?group=cic" in html
    assert reverse("peps:compliance") + "?term=" in html


def test_the_dashboard_exports_a_table_as_csv_with_formulas_defused(year, make_client):
    from tests.factories import VirtualSchoolFactory

    authority = VirtualSchoolFactory(local_authority_name="=HYPERLINK(1)", la_code="999")
    pupil = in_care(year, 1)[0]
    pupil.care_episodes.update(responsible_authority=authority)
    client = make_client(year, Role.HEADTEACHER)
    with on_matrix_day():
        response = client.get(reverse("reports:dashboard_export", args=["authorities", "csv"]))
    assert response.status_code == 200
    assert "'=HYPERLINK(1)" in response.content.decode()
