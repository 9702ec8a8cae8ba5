"""Importing pupils: upload a file here; the shared import pages (``imports.views``) show the
check's progress and outcome, and confirm (all or nothing) or cancel.

The upload form reads the file at once, so a file that cannot be imported at all is a form
error; everything else (matching every row against Harbour) runs in the ``import_preview``
task of an ``ImportRun``, which keeps the file under the var folder, never in the session.

Who imports: the issue says the designated teacher, DESIGN.md's role table says the head and
the school administrator. Either capability lets a user in.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.access import requires
from imports.models import ImportRun
from imports.services import import_run_start
from pupils.import_forms import ImportUploadForm
from pupils.import_kinds import IMPORTERS, KIND
from pupils.imports import CSV_COLUMNS, MAX_FILE_BYTES, csv_template

TEMPLATE_FILE_NAME = "harbour-pupil-import-template.csv"


@requires(any_of=IMPORTERS)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    posted = request.method == "POST"
    form = ImportUploadForm(
        request.POST if posted else None, request.FILES if posted else None, today=today
    )
    if posted and form.is_valid():
        run = import_run_start(
            school=request.school,
            by=request.user,
            kind=KIND,
            name=form.upload.name,  # type: ignore[union-attr]
            data=form.content,
            file_format=form.upload.kind,  # type: ignore[union-attr]
            today=today,
        )
        return redirect("imports:run", pk=run.pk)
    waiting = (
        ImportRun.objects.for_school(request.school)
        .filter(kind=KIND, created_by=request.user)
        .exclude(state__in=ImportRun.FINISHED)
        .first()
    )
    return render(
        request,
        "pupils/import/upload.html",
        {
            "form": form,
            "columns": CSV_COLUMNS,
            "max_mb": MAX_FILE_BYTES // (1024 * 1024),
            "waiting": waiting,
        },
    )


@requires(any_of=IMPORTERS)
@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    # A byte order mark, so Excel opens the file as UTF-8 and keeps accented names.
    response = HttpResponse("\ufeff" + csv_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILE_NAME}"'
    return response
