"""The PEP app's rows for the permission matrix (tests/test_access_matrix.py), in the shared
``tests.matrix.Page`` vocabulary, with the POST-only pages.

Each record builder makes, for the given school, a child in care with a completed autumn
2026 PEP and a spring draft reviewing it. The school's term dates cover 2026 to 2027 and the
real current year, so the "start a PEP" page has a term to offer whenever it runs.
"""

import datetime as dt

from django.utils import timezone

from accounts.roles import Role
from core.report_runs import report_run_render, report_run_request
from peps.models import AttainmentRecord
from schools.models import AcademicYear, Term
from schools.schooldays import academic_year_of
from tests.factories import add_year
from tests.matrix import COHORT, EDITORS, Page
from tests.peps.factories import AttendeeFactory, CompletedPepFactory, PepFactory, TargetFactory
from tests.pupil_factories import CareEpisodeFactory, PupilFactory


def pep_records(school) -> dict:
    for year in sorted({2026, academic_year_of(timezone.localdate())}):
        if not AcademicYear.objects.filter(school=school, start_year=year).exists():
            add_year(school, year)
    terms = {
        t.name: t
        for t in Term.objects.filter(academic_year__school=school, academic_year__start_year=2026)
    }
    pupil = PupilFactory(school=school)
    CareEpisodeFactory(pupil=pupil, start_date=dt.date(2022, 1, 10))
    autumn = CompletedPepFactory(pupil=pupil, term=terms["autumn"])
    reviewed = TargetFactory(pep=autumn)
    draft = PepFactory(pupil=pupil, term=terms["spring"])
    return {
        "pupil": pupil,
        "draft": draft,
        "completed": autumn,
        "target": TargetFactory(pep=draft),
        "reviewed": reviewed,
        "attendee": AttendeeFactory(pep=draft),
    }


def _pupil(school) -> dict:
    return {"pupil_id": pep_records(school)["pupil"].pk}


def _draft(school) -> dict:
    return {"pk": pep_records(school)["draft"].pk}


def _completed(school) -> dict:
    return {"pk": pep_records(school)["completed"].pk}


def _target(school) -> dict:
    records = pep_records(school)
    return {"pk": records["draft"].pk, "target_id": records["target"].pk}


def _reviewed(school) -> dict:
    records = pep_records(school)
    return {"pk": records["draft"].pk, "target_id": records["reviewed"].pk}


def _attendee(school) -> dict:
    records = pep_records(school)
    return {"pk": records["draft"].pk, "attendee_id": records["attendee"].pk}


def _attainment(school) -> dict:
    draft = pep_records(school)["draft"]
    record = AttainmentRecord.objects.create(pep=draft, subject="Maths", current="4", expected="5")
    return {"pk": draft.pk, "record_id": record.pk}


def _pdf_run(school) -> dict:
    """A run making the completed PEP's PDF, still waiting for the worker."""
    completed = pep_records(school)["completed"]
    run = report_run_request(
        school=school,
        kind="pep_pdf",
        parameters={"pep": completed.pk},
        by=None,
        pupil_id=completed.pupil_id,
    )
    return {"pk": run.pk}


def _ready_pdf_run(school) -> dict:
    """The same run, made (as the worker would)."""
    kwargs = _pdf_run(school)
    report_run_render(run_pk=kwargs["pk"])
    return kwargs


PEP_PAGES = [
    Page("peps:compliance", COHORT),
    Page("peps:settings", EDITORS | {Role.ADMINISTRATOR}),
    Page("peps:pupil_peps", COHORT, record=_pupil),
    Page("peps:pep_start", EDITORS, record=_pupil),
    Page("peps:sdq_add", EDITORS, record=_pupil),
    Page("peps:pep", COHORT, record=_draft),
    Page("peps:pep_pdf", COHORT, record=_draft),
    Page("peps:pep_edit", EDITORS, record=_draft),
    Page("peps:attendee_add", EDITORS, record=_draft),
    Page("peps:attainment_add", EDITORS, record=_draft),
    Page("peps:target_add", EDITORS, record=_draft),
    Page("peps:target_edit", EDITORS, record=_target),
    Page("peps:target_review", EDITORS, record=_reviewed),
    Page("peps:pep_complete", EDITORS, record=_draft),
    Page("peps:pep_discard", EDITORS, record=_draft),
    Page("peps:pep_correct", EDITORS, record=_completed),
    Page("peps:pep_send", EDITORS, record=_completed),
    # The PEP's PDF as a report run (core's shared pages; the kind allows the cohort roles).
    Page("core:report_run", COHORT, record=_pdf_run),
    Page("core:report_run_download", COHORT, record=_ready_pdf_run),
]

# Pages that take only POST (a GET is 405): the matrix posts to them.
PEP_POST_PAGES = [
    Page("peps:attendee_remove", EDITORS, record=_attendee, method="post"),
    Page("peps:attainment_remove", EDITORS, record=_attainment, method="post"),
    Page("peps:target_remove", EDITORS, record=_target, method="post"),
]
