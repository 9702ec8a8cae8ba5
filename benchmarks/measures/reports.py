"""The head's dashboard of the largest school (a page, and under load), the governors' annual
report's context (every section's figures, what the worker builds) and its PDF."""

from __future__ import annotations

from django.utils import timezone

from benchmarks.context import Context
from benchmarks.registry import load, page, pdf
from core.models import ReportRun
from core.report_runs import RenderOutcome, report_run_render
from reports.documents import GOVERNORS_REPORT

PAGE = "5x floor, <30 queries"
# The school year 2025 to 2026, "today"'s: the dashboard's default is the real clock's year.
DASHBOARD = "/reports/dashboard/?period=2025"


@page("dashboard", target=PAGE, description="The dashboard of the largest school")
def dashboard(ctx: Context) -> str:
    return DASHBOARD


@load("dashboard", target="no errors", description="The dashboard, signed-in users")
def dashboard_load(ctx: Context) -> str:
    return DASHBOARD


@page(
    "governors_report_context",
    target=PAGE,
    description="The governors' annual report context of the largest school (every section's "
    "figures for 2024 to 2025), built in a request through the same stack as the floor",
)
def governors_report_context(ctx: Context) -> str:
    return f"/__bench__/governors-report/{ctx.extra['governors_report_id']}/{ctx.today}"


@pdf(
    "governors_report_pdf",
    target="<5 s",
    description="The governors' annual report PDF of the largest school, a report run rendered "
    "directly (what the worker does)",
)
def governors_report_pdf(ctx: Context) -> None:
    run = ReportRun.objects.create(
        school_id=ctx.largest_school_id,
        kind=GOVERNORS_REPORT,
        parameters={"report": ctx.extra["governors_report_id"], "today": ctx.today.isoformat()},
        requested_by_id=ctx.dt_user_id,
        created_at=timezone.now(),
    )
    assert report_run_render(run_pk=run.pk) == RenderOutcome.READY
