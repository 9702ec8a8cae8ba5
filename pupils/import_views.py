"""Importing pupils: upload a file, check the preview row by row, confirm (all or nothing).

Between the preview and the confirm the file's content waits in the session with its sha256;
the confirm reads it again and runs it against the database as it is then, so a record
changed in between is never overwritten from a stale preview. The session copy is removed on
confirm or cancel.

Who imports: the issue says the designated teacher, DESIGN.md's role table says the head and
the school administrator. Either capability lets a user in.
"""

import base64
import binascii
import hashlib

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import Capability
from core.access import has_capability, requires
from pupils.import_forms import ImportUploadForm
from pupils.imports import (
    CSV_COLUMNS,
    MAX_FILE_BYTES,
    ImportFile,
    ImportFileError,
    csv_template,
    import_file_read,
    pupils_import,
)

IMPORTERS = (Capability.EDIT_PUPILS, Capability.MANAGE_SCHOOL)
SESSION_KEY = "pupils.import"
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
        _keep(request, form.upload, form.content)  # type: ignore[arg-type]
        return redirect("pupil_imports:preview")
    return render(
        request,
        "pupils/import/upload.html",
        {
            "form": form,
            "columns": CSV_COLUMNS,
            "max_mb": MAX_FILE_BYTES // (1024 * 1024),
            "waiting": _kept(request, today),
        },
    )


@requires(any_of=IMPORTERS)
@require_GET
def preview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    waiting = _kept(request, today)
    if waiting is None:
        messages.info(request, "There is no file waiting to be imported: upload one.")
        return redirect("pupil_imports:upload")
    result = pupils_import(
        school=request.school, by=request.user, upload=waiting, today=today, commit=False
    )
    return render(request, "pupils/import/preview.html", {"result": result})


@requires(any_of=IMPORTERS)
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    waiting = _kept(request, today)
    # The sha256 posted is the one the user saw: another upload in another tab since then
    # must not be imported in its place.
    if waiting is None or request.POST.get("sha256") != waiting.sha256:
        messages.error(
            request,
            "The file you checked is no longer waiting to be imported (you uploaded another "
            "file since, or your session ended). Nothing was imported: upload it again.",
        )
        return redirect("pupil_imports:upload")
    result = pupils_import(
        school=request.school,
        by=request.user,
        upload=waiting,
        today=today,
        commit=True,
        request=request,
    )
    request.session.pop(SESSION_KEY, None)
    if not result.committed:
        return render(
            request, "pupils/import/preview.html", {"result": result, "confirm_failed": True}
        )
    messages.success(request, f"{waiting.name} imported: {result.summary(done=True)}")
    return redirect(_after_import(request))


@requires(any_of=IMPORTERS)
@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    messages.info(request, "Import cancelled: nothing was saved.")
    return redirect("pupil_imports:upload")


@requires(any_of=IMPORTERS)
@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    # A byte order mark, so Excel opens the file as UTF-8 and keeps accented names.
    response = HttpResponse("\ufeff" + csv_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILE_NAME}"'
    return response


def _keep(request: HttpRequest, waiting: ImportFile, content: bytes) -> None:
    request.session[SESSION_KEY] = {
        "school": request.school.pk,
        "name": waiting.name,
        "sha256": waiting.sha256,
        "content": base64.b64encode(content).decode("ascii"),
    }


def _kept(request: HttpRequest, today) -> ImportFile | None:
    """The file waiting in the session for this school, read again; None when there is none
    (or what is there is not what was stored)."""
    stored = request.session.get(SESSION_KEY)
    if not isinstance(stored, dict) or stored.get("school") != request.school.pk:
        return None
    try:
        content = base64.b64decode(stored["content"], validate=True)
    except (KeyError, TypeError, binascii.Error):
        return None
    if hashlib.sha256(content).hexdigest() != stored.get("sha256"):
        return None
    try:
        return import_file_read(name=stored.get("name", ""), data=content, today=today)
    except ImportFileError:
        return None


def _after_import(request: HttpRequest) -> str:
    if has_capability(request, Capability.VIEW_COHORT):
        try:
            return reverse("pupils:cohort")
        except NoReverseMatch:
            pass
    return reverse("pupil_imports:upload")
