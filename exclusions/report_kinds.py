"""A statutory notice as a letter (a tagged PDF, ``core.pdf``), made by the worker as a report
run (``core.report_runs``). Parameters: ``{"notice": <pk>}``."""

from django.urls import reverse

from accounts.roles import Capability
from core.models import ReportRun
from core.report_runs import ReportKind, register
from exclusions.audit import ExclusionAction
from exclusions.models import StatutoryNotice

EXCLUSION_LETTER = "exclusion_letter"


def render_letter(run: ReportRun) -> tuple[str, bytes]:
    from core.pdf import render_pdf
    from exclusions.selectors import notice_context

    # Narrowed to the run's school: a run only ever makes its own school's letter.
    notice = StatutoryNotice.objects.select_related("pupil__school", "exclusion").get(
        pk=run.parameters["notice"], pupil__school_id=run.school_id
    )
    context = notice_context(notice)
    title = f"{notice.get_purpose_display()} notice: {notice.get_recipient_display()}"
    pdf = render_pdf(
        "exclusions/pdf/letter.html",
        {**context, "document_title": title, "school_name": notice.pupil.school.name},
    )
    return f"exclusion-notice-{notice.pk}.pdf", pdf


def _back_url(run: ReportRun) -> str:
    notice = StatutoryNotice.objects.get(pk=run.parameters["notice"])
    return reverse("exclusions:pupil", args=[notice.pupil_id])


register(
    ReportKind(
        key=EXCLUSION_LETTER,
        title="Statutory notice as a letter (PDF)",
        capability=Capability.EDIT_ATTENDANCE_EXCLUSIONS,
        render=render_letter,
        back_url=_back_url,
        downloaded_action=ExclusionAction.LETTER_DOWNLOADED,
    )
)
