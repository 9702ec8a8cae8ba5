"""The reports app's rows for the permission matrix (tests/test_access_matrix.py): governors
reach the published reports and their downloads only; staff reach nothing here."""

from accounts.roles import Role
from core.report_runs import report_run_render
from reports.services import governors_report_publish, governors_report_request
from schools.models import AcademicYear
from tests.conftest import member
from tests.factories import add_year
from tests.matrix import COHORT, EDITORS, MATRIX_DAY, Page
from tests.pupil_factories import PupilFactory

GOVERNORS = COHORT | {Role.GOVERNOR}


def _report(school, *, published: bool = False):
    if not AcademicYear.objects.filter(school=school, start_year=2026).exists():
        add_year(school, 2026)
    by = member(school, Role.DESIGNATED_TEACHER)
    report = governors_report_request(
        school=school, kind="annual", academic_year=2026, by=by, today=MATRIX_DAY.date()
    )
    if published:
        report_run_render(run_pk=report.run_id)
        governors_report_publish(report=report, by=by)
    return report


def _draft(school) -> dict:
    return {"pk": _report(school).pk}


def _narrative(school) -> dict:
    return {"pk": _report(school).pk, "section": "cohort"}


def _published(school) -> dict:
    return {"pk": _report(school, published=True).pk}


def _table(school) -> dict:
    # The dashboard's tables need the school year's term dates (another school's: none, a 404).
    if not AcademicYear.objects.filter(school=school, start_year=2026).exists():
        add_year(school, 2026)
    return {"table": "authorities", "file_format": "csv"}


def _termly_pupil(school) -> dict:
    # The page needs one of the school's terms (another school's pupil: a 404).
    if not AcademicYear.objects.filter(school=school, start_year=2026).exists():
        add_year(school, 2026)
    return {"pk": PupilFactory(school=school).pk}


REPORT_PAGES = [
    Page("reports:dashboard", COHORT),
    Page("reports:dashboard_export", COHORT, record=_table),
    Page("reports:reports", COHORT),
    Page("reports:report", COHORT, record=_draft),
    Page("reports:narrative", EDITORS, record=_narrative),
    Page("reports:publish", EDITORS, record=_draft, method="post"),
    Page("reports:governors", GOVERNORS),
    Page("reports:governors_download", GOVERNORS, record=_published),
    Page("reports:training", COHORT),
    Page("reports:training_add", EDITORS),
    Page("reports:peer_attainment", EDITORS),
    Page("reports:peer_attainment_upload", EDITORS),
    Page("reports:termly_attainment", EDITORS),
    Page("reports:termly_attainment_pupil", EDITORS, record=_termly_pupil),
    Page("reports:settings", EDITORS),
]
