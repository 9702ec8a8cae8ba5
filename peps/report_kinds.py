"""The PEP's PDF as a report run (``core.report_runs``): registered from ``PepsConfig.ready``.

A run's parameters are ``{"pep": <pk>}`` and, when the PDF is to go to the Virtual School once
made, ``"send": true``. Each version of a PEP is its own row, so a correction gets its own run.
"""

from django.urls import reverse

from accounts.roles import Capability
from core.models import ReportRun
from core.report_runs import ReportKind, register, report_run_progress
from peps.audit import PepAction
from peps.models import PersonalEducationPlan
from peps.selectors import PEP_PDF, pep_with_parts


def _pep(run: ReportRun) -> PersonalEducationPlan:
    # Narrowed to the run's school: a run can only ever make a PDF of its own school's PEP.
    return pep_with_parts(PersonalEducationPlan.objects.all()).get(
        pk=run.parameters["pep"], pupil__school_id=run.school_id
    )


def render_pep_pdf(run: ReportRun) -> tuple[str, bytes]:
    from peps.documents import pep_filename, pep_pdf

    pep = _pep(run)
    report_run_progress(run, 20)
    return pep_filename(pep), pep_pdf(pep)


def pep_pdf_ready(run: ReportRun) -> None:
    """Once the PDF is made: if the run was asked to send it, queue it for the Virtual School
    (still only to an address the school has confirmed: ``_send_to_virtual_school``)."""
    from peps.services import _send_to_virtual_school

    if not run.parameters.get("send"):
        return
    # Sent even if a correction has replaced it meanwhile: it was sent when it was completed,
    # and the correction goes too, as a later version.
    _send_to_virtual_school(_pep(run), pdf=bytes(run.content), by=run.requested_by)


def _back_url(run: ReportRun) -> str:
    return reverse("peps:pep", args=[run.parameters["pep"]])


register(
    ReportKind(
        key=PEP_PDF,
        title="PEP as a PDF",
        capability=Capability.VIEW_COHORT,
        render=render_pep_pdf,
        back_url=_back_url,
        downloaded_action=PepAction.PDF_DOWNLOADED,
        on_ready=pep_pdf_ready,
    )
)
