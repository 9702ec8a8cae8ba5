"""The DSL's chronology of a child as a report run (``core.report_runs``), registered from
``ConcernsConfig.ready``. Parameters: ``{"pupil": <pk>}``. Only the DSL team and the head may ask
for it or download it, and the download is audited as ``concern.chronology_pdf_downloaded``."""

from django.urls import reverse

from accounts.roles import Capability
from concerns.audit import ConcernAction
from core.models import ReportRun
from core.report_runs import ReportKind, register, report_run_progress
from core.sensitivity import register_safeguarding_report_kind

CHRONOLOGY_PDF = "concern_chronology_pdf"


def render_chronology_pdf(run: ReportRun) -> tuple[str, bytes]:
    from concerns.documents import (
        chronology_document,
        chronology_filename,
        chronology_pdf,
        local_today,
    )
    from pupils.models import Pupil

    # Narrowed to the run's school: a run only ever prints a child of its own school.
    pupil = Pupil.objects.select_related("school").get(
        pk=run.parameters["pupil"], school_id=run.school_id
    )
    report_run_progress(run, 20)
    document = chronology_document(pupil, requested_by=run.requested_by, today=local_today())
    return chronology_filename(document), chronology_pdf(document)


def _back_url(run: ReportRun) -> str:
    return reverse("concerns:chronology", args=[run.parameters["pupil"]])


register(
    ReportKind(
        key=CHRONOLOGY_PDF,
        title="Safeguarding chronology (PDF)",
        capability=Capability.ACT_ON_CONCERNS,
        render=render_chronology_pdf,
        back_url=_back_url,
        downloaded_action=ConcernAction.CHRONOLOGY_PDF_DOWNLOADED,
    )
)
register_safeguarding_report_kind(CHRONOLOGY_PDF)
