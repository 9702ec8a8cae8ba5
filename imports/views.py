"""The pages every kind of import shares: the run's progress while Celery works on it, then its
outcome (the preview to confirm, or what was imported), and the confirm and cancel buttons.

A run is fetched through ``import_run_for`` (another school's run is a 404) and only by a user
whose roles may import its kind. What each viewer sees of the rows is decided in
``imports.selectors.import_rows_for_viewer``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.access import requires
from imports import services
from imports.models import ImportRun
from imports.registry import ImportKind, importer_capabilities, kind_for
from imports.selectors import import_rows_for_viewer, import_run_for, sees_records

# Seconds between two refreshes of a page whose run is still working. The page refreshes
# itself with <meta http-equiv="refresh">: no script, so a Content-Security-Policy without
# inline script does not stop it.
REFRESH_SECONDS = 2


def _run_and_kind(request: HttpRequest, pk: int) -> tuple[ImportRun, ImportKind]:
    capabilities = getattr(request, "capabilities", frozenset())
    if not set(importer_capabilities()) & capabilities:
        raise PermissionDenied("Your role in this school does not include imports.")
    run = import_run_for(request, pk)
    kind = kind_for(run.kind)
    if not set(kind.capabilities) & capabilities:
        raise PermissionDenied("Your role in this school does not include this import.")
    return run, kind


@requires()
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run, kind = _run_and_kind(request, pk)
    return _page(request, run, kind)


def _page(request, run: ImportRun, kind: ImportKind, *, error: str = "") -> HttpResponse:
    sees = sees_records(request, kind)
    rows = import_rows_for_viewer(run.rows, sees_records=sees)
    # A school's whole roll imported again is mostly "no change": those rows are counted, not
    # listed, so the page stays quick to render and to read.
    listed = [r for r in rows if r.action != "unchanged" or r.disagreements or r.notes]
    done = run.state == ImportRun.State.COMMITTED
    return render(
        request,
        "imports/run.html",
        {
            "run": run,
            "kind": kind,
            "rows": rows,
            "listed": listed,
            "not_listed": len(rows) - len(listed),
            "refused": [r for r in rows if r.action == "refused"],
            "summary": kind.summary(run.counts, done) if run.counts else "",
            "refresh": REFRESH_SECONDS if run.running else None,
            "withheld": any(r.withheld for r in rows),
            "done_url": kind.done_url(request) if done and kind.done_url and sees else "",
            "error": error,
        },
        status=400 if error else 200,
    )


@requires()
@require_POST
def run_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    run, kind = _run_and_kind(request, pk)
    try:
        services.import_run_commit(run=run, by=request.user)
    except ValidationError as error:
        return _page(request, run, kind, error=" ".join(error.messages))
    return redirect("imports:run", pk=run.pk)


@requires()
@require_POST
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    run, kind = _run_and_kind(request, pk)
    try:
        services.import_run_cancel(run=run, by=request.user)
    except ValidationError as error:
        return _page(request, run, kind, error=" ".join(error.messages))
    messages.info(request, "Import cancelled: nothing was saved.")
    return redirect(reverse(kind.upload_url))
