"""The shared pages of a report run: its progress (a page that reloads itself until the
document is ready) and the download, which is audited. Which roles may open a run is the
registering app's call (``ReportKind.capability``); another school's run is a 404."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.access import for_school, requires
from core.audit import audit_record
from core.models import ReportRun
from core.report_runs import ReportKind, report_kind, report_run_content

# Seconds between reloads of the page of a run still being made.
REFRESH_SECONDS = 2


def report_run_for(request: HttpRequest, pk: int) -> tuple[ReportRun, ReportKind]:
    """The run ``pk`` of the user's school (else 404) if their roles there may open its kind
    (else 403). The file itself is not loaded."""
    run = for_school(request, ReportRun.objects.defer("content"), pk=pk)
    kind = report_kind(run.kind)
    if kind.capability not in request.capabilities:
        raise PermissionDenied("Your role in this school does not include this document.")
    return run, kind


@requires()
def report_run(request: HttpRequest, pk: int):
    run, kind = report_run_for(request, pk)
    return render(
        request,
        "core/report_run.html",
        {
            "run": run,
            "kind": kind,
            "back_url": kind.back_url(run),
            "refresh_seconds": None if run.is_finished else REFRESH_SECONDS,
        },
    )


@requires()
def report_run_download(request: HttpRequest, pk: int):
    run, kind = report_run_for(request, pk)
    if run.state != ReportRun.State.READY:
        return redirect("core:report_run", pk=run.pk)
    content = report_run_content(run)
    match = getattr(request, "resolver_match", None)
    audit_record(
        action=kind.downloaded_action,
        request=request,
        obj=run,
        pupil_id=run.pupil_id,
        values={"page": match.view_name if match else "", "kind": run.kind},
    )
    response = HttpResponse(content, content_type=run.content_type)
    response["Content-Disposition"] = f'attachment; filename="{run.filename}"'
    return response
