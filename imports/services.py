"""Every change to an import run, one function per step (STYLE.md "Services"):

``import_run_start`` (a person uploads) → the ``import_preview`` task runs
``import_run_preview`` → the person reads the outcome → ``import_run_commit`` (they confirm) →
the ``import_commit`` task runs ``import_run_commit_work``; or ``import_run_cancel``.

Each guards the state it starts from with a conditional UPDATE (or a row lock), so a task
delivered twice, or a confirm clicked twice, does the work once. Each step is audited with
the run's kind, the file's sha256 and the counts: never the file's name (people name files
after children) nor a value from it.
"""

import datetime as dt
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from imports.audit import ImportAction
from imports.models import ImportRun
from imports.registry import ImportFileUnreadable, KindOutcome, kind_for

logger = logging.getLogger(__name__)
State = ImportRun.State

UNEXPECTED = (
    "Harbour could not finish reading this file because of a fault of its own, not of the "
    "file. Nothing was imported. Try again; if it happens again, tell your Harbour support."
)
FILE_GONE = "The uploaded file is no longer on the server. Nothing was imported: upload it again."


def _folder() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def _audit(action: ImportAction, run: ImportRun, by, **extra) -> None:
    """``extra`` are keys of ``ImportRun.audit_values``. Never the file's name: whoever saved
    it may have named a child in it."""
    audit_record(
        action=action,
        actor=by,
        school=run.school,
        obj=run,
        values={
            "kind": run.kind,
            "format": run.file_format,
            "sha256": run.file_sha256,
            # Counts of rows by outcome ("create": 3, "refused": 1 ...).
            "rows": {k: int(v) for k, v in (run.counts or {}).items()},
            **extra,
        },
    )


def import_file_data(run: ImportRun) -> bytes | None:
    if not run.file_path:
        return None
    try:
        return (_folder() / run.file_path).read_bytes()
    except FileNotFoundError:
        return None


def _remove_file(run: ImportRun) -> None:
    if run.file_path:
        (_folder() / run.file_path).unlink(missing_ok=True)
        ImportRun.objects.filter(pk=run.pk).update(file_path="")
        run.file_path = ""


@transaction.atomic
def import_run_start(
    *, school, by, kind: str, name: str, data: bytes, file_format: str, today: dt.date
) -> ImportRun:
    """Keep the uploaded file and queue its preview."""
    import hashlib

    kind_for(kind)  # a KeyError for a kind nobody registered
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{school.pk}-{uuid.uuid4().hex}.upload"
    (folder / stored).write_bytes(data)
    run = ImportRun.objects.create(
        school=school,
        kind=kind,
        created_by=by,
        file_name=name[:200],
        file_sha256=hashlib.sha256(data).hexdigest(),
        file_format=file_format,
        file_path=stored,
        today=today,
    )
    _audit(ImportAction.UPLOADED, run, by, bytes=len(data))
    transaction.on_commit(lambda: _queue("import_preview", run.pk))
    return run


def _queue(task: str, run_pk: int) -> None:
    from imports import tasks

    getattr(tasks, task).delay(run_pk)


def import_run_preview(*, run_pk: int) -> str:
    """The ``import_preview`` task's work: read the file and keep what importing it would do,
    writing nothing else. Safe to run again (a redelivered task): the preview writes nothing."""
    claimed = ImportRun.objects.filter(
        pk=run_pk, state__in=[State.UPLOADED, State.PREVIEWING]
    ).update(state=State.PREVIEWING, progress_done=0)
    if not claimed:
        return "not_claimed"
    run = ImportRun.objects.select_related("school", "created_by").get(pk=run_pk)
    kind = kind_for(run.kind)
    data = import_file_data(run)
    if data is None:
        return _fail(run, FILE_GONE, from_state=State.PREVIEWING)
    try:
        outcome = kind.preview(
            school=run.school,
            name=run.file_name,
            data=data,
            today=run.today,
            progress=lambda done, total: _progress(run.pk, done, total),
        )
    except ImportFileUnreadable as error:
        return _fail(run, error.message, from_state=State.PREVIEWING)
    except Exception:
        logger.exception("imports: preview failed", extra={"import_run": run.pk})
        return _fail(run, UNEXPECTED, from_state=State.PREVIEWING)
    with transaction.atomic():
        _keep(run, outcome)
        landed = ImportRun.objects.filter(pk=run.pk, state=State.PREVIEWING).update(
            state=State.PREVIEWED,
            rows=outcome.rows,
            counts=outcome.counts,
            notices=outcome.notices,
            file_format=outcome.file_format or run.file_format,
            can_commit=outcome.can_commit,
        )
        if not landed:  # cancelled while it ran
            return "cancelled"
        _audit(ImportAction.PREVIEWED, run, run.created_by)
    return "previewed"


def _keep(run: ImportRun, outcome: KindOutcome) -> None:
    run.rows = outcome.rows
    run.counts = outcome.counts
    run.notices = outcome.notices
    run.file_format = outcome.file_format or run.file_format
    run.can_commit = outcome.can_commit


def _progress(run_pk: int, done: int, total: int) -> None:
    ImportRun.objects.filter(pk=run_pk).update(progress_done=done, progress_total=total)


def _fail(run: ImportRun, message: str, *, from_state: str) -> str:
    with transaction.atomic():
        landed = ImportRun.objects.filter(pk=run.pk, state=from_state).update(
            state=State.FAILED, failure=message, finished_at=timezone.now()
        )
        if landed:
            run.state = State.FAILED
            _audit(ImportAction.FAILED, run, run.committed_by or run.created_by, step=from_state)
    _remove_file(run)
    return "failed"


@transaction.atomic
def import_run_commit(*, run: ImportRun, by) -> ImportRun:
    """The person confirms the checked file: queue the commit. Refused unless the preview
    found every row importable and something to import."""
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.state != State.PREVIEWED:
        raise ValidationError(
            "This import is not waiting to be confirmed (it was confirmed, cancelled or has "
            "not finished checking). Nothing more was imported."
        )
    if not run.can_commit:
        refused = run.counts.get("refused", 0)
        if refused:
            raise ValidationError(
                f"Nothing was imported: the file has {refused} row{'s' if refused != 1 else ''} "
                "that cannot be imported, shown below with the reasons. Harbour imports a file "
                "all or nothing: correct those rows and upload the file again."
            )
        raise ValidationError("Nothing was imported: every row matches what Harbour already holds.")
    run.state = State.COMMITTING
    run.committed_by = by
    run.progress_done = 0
    run.save(update_fields=["state", "committed_by", "progress_done"])
    _audit(ImportAction.COMMIT_REQUESTED, run, by)
    transaction.on_commit(lambda: _queue("import_commit", run.pk))
    return run


def import_run_commit_work(*, run_pk: int) -> str:
    """The ``import_commit`` task's work: import the file all or nothing. A task delivered
    twice waits on the run's row lock and then finds it committed."""
    try:
        with transaction.atomic():
            run = (
                ImportRun.objects.select_for_update(of=("self",))
                .select_related("school", "committed_by")
                .get(pk=run_pk)
            )
            if run.state != State.COMMITTING:
                return "not_claimed"
            data = import_file_data(run)
            if data is None:
                raise _Failed(FILE_GONE)
            kind = kind_for(run.kind)
            try:
                outcome = kind.commit(
                    school=run.school,
                    by=run.committed_by,
                    name=run.file_name,
                    data=data,
                    today=run.today,
                    progress=lambda done, total: None,
                )
            except ImportFileUnreadable as error:
                raise _Failed(error.message) from error
            _keep(run, outcome)
            run.finished_at = timezone.now()
            if outcome.committed:
                run.state = State.COMMITTED
                action = ImportAction.COMMITTED
            else:
                run.state = State.FAILED
                run.failure = (
                    "Nothing was imported: Harbour's records changed after you checked the file, "
                    "and now some rows cannot be imported (shown below with the reasons). "
                    "Harbour imports a file all or nothing. Upload the file again to check it "
                    "against the records as they are now."
                )
                action = ImportAction.COMMIT_FAILED
            run.progress_done = run.progress_total = len(run.rows)
            run.save()
            _audit(action, run, run.committed_by)
    except _Failed as failed:
        run = ImportRun.objects.get(pk=run_pk)
        return _fail(run, failed.message, from_state=State.COMMITTING)
    except Exception:
        logger.exception("imports: commit failed", extra={"import_run": run_pk})
        run = ImportRun.objects.get(pk=run_pk)
        return _fail(run, UNEXPECTED, from_state=State.COMMITTING)
    _remove_file(run)
    return run.state


class _Failed(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def import_run_cancel(*, run: ImportRun, by) -> ImportRun:
    """Stop an import before it is confirmed; nothing of it was saved, and the file goes."""
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.state not in (State.UPLOADED, State.PREVIEWING, State.PREVIEWED):
        raise ValidationError(
            "This import can no longer be cancelled: it has been confirmed, or it has ended."
        )
    run.state = State.CANCELLED
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "finished_at"])
    _audit(ImportAction.CANCELLED, run, by)
    transaction.on_commit(lambda: _remove_file(run))
    return run
