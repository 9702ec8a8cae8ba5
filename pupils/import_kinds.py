"""The pupil import (CSV or CTF) as a kind of ``imports.ImportRun``: registered once when the
pupils app loads (``PupilsConfig.ready``)."""

import datetime as dt

from django.urls import NoReverseMatch, reverse

from accounts.roles import Capability
from imports.registry import ImportFileUnreadable, ImportKind, KindOutcome, Progress, register
from pupils.imports import (
    ImportFile,
    ImportFileError,
    ImportResult,
    counts_summary,
    import_file_read,
    pupils_import,
    pupils_import_preview,
)

KIND = "pupils"
IMPORTERS = (Capability.EDIT_PUPILS, Capability.MANAGE_SCHOOL)


def _read(name: str, data: bytes, today: dt.date) -> ImportFile:
    try:
        return import_file_read(name=name, data=data, today=today)
    except ImportFileError as error:
        raise ImportFileUnreadable(error.message) from error


def _outcome(result: ImportResult) -> KindOutcome:
    return KindOutcome(
        rows=[o.as_json() for o in result.outcomes],
        counts=result.counts(),
        notices=list(result.upload.notices),
        file_format=result.upload.kind,
        can_commit=result.can_confirm,
        committed=result.committed,
    )


def preview(
    *, school, name: str, data: bytes, today: dt.date, progress: Progress | None = None
) -> KindOutcome:
    upload = _read(name, data, today)
    result, _ = pupils_import_preview(school=school, upload=upload, today=today, progress=progress)
    return _outcome(result)


def commit(
    *, school, by, name: str, data: bytes, today: dt.date, progress: Progress | None = None
) -> KindOutcome:
    upload = _read(name, data, today)
    return _outcome(pupils_import(school=school, by=by, upload=upload, today=today, commit=True))


def _summary(counts: dict[str, int], done: bool) -> str:
    return counts_summary(counts, done=done)


def _done_url(request) -> str:
    try:
        return reverse("pupils:cohort")
    except NoReverseMatch:
        return reverse("pupil_imports:upload")


register(
    ImportKind(
        name=KIND,
        title="Import pupils",
        capabilities=IMPORTERS,
        record_capability=Capability.VIEW_COHORT,
        upload_url="pupil_imports:upload",
        preview=preview,
        commit=commit,
        summary=_summary,
        done_url=_done_url,
    )
)
