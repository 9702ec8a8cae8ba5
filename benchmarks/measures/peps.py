"""A PEP's form, its PDF (a report run rendered in this process, as the worker does) and the
daily reminder sweep over every school."""

from django.utils import timezone

from benchmarks.context import Context
from benchmarks.registry import page, pdf, sweep
from core.models import ReportRun
from core.report_runs import RenderOutcome, report_run_render
from peps.models import PersonalEducationPlan
from peps.reminders import pep_reminders_sweep
from peps.selectors import PEP_PDF


@page(
    "pep_form",
    target="5x floor, <30 queries",
    description="The meeting form of a draft PEP of the child with the most history",
)
def pep_form(ctx: Context) -> str:
    return f"/peps/{ctx.draft_pep_id}/edit/"


@page(
    "pupil_peps",
    target="5x floor, <30 queries",
    description="The PEPs page of the child with the most history",
)
def pupil_peps(ctx: Context) -> str:
    return f"/peps/pupil/{ctx.most_history_pupil_id}/"


@page(
    "pep_compliance",
    target="5x floor, <30 queries",
    description="The PEP compliance page of the largest school",
)
def pep_compliance(ctx: Context) -> str:
    return "/peps/compliance/"


@pdf("pep_pdf", target="<5 s", description="A completed PEP's PDF, a report run rendered directly")
def pep_pdf(ctx: Context) -> None:
    plan = PersonalEducationPlan.objects.select_related("pupil").get(pk=ctx.completed_pep_id)
    run = ReportRun.objects.create(
        school_id=plan.pupil.school_id,
        kind=PEP_PDF,
        parameters={"pep": plan.pk},
        pupil_id=plan.pupil_id,
        requested_by_id=ctx.dt_user_id,
        created_at=timezone.now(),
    )
    assert report_run_render(run_pk=run.pk) == RenderOutcome.READY


@sweep(
    "pep_reminders",
    target="<10 s",
    repeat=True,
    description="The daily PEP reminder sweep over every school (first run sends; the "
    "repeat finds everything told)",
)
def pep_reminders(ctx: Context) -> dict:
    outcome = pep_reminders_sweep(today=ctx.today)
    return {
        "schools": outcome.schools,
        "digests": outcome.digests,
        "items": outcome.items,
        "virtual_school_notices": outcome.virtual_school_notices,
    }
