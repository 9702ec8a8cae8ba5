"""Report runs: documents made by a Celery worker, never inside a request.

An app registers each kind of document it makes (``register``), usually from its
``AppConfig.ready``: the renderer ``render(run) -> (filename, bytes)``, the capability a person
needs to ask for it and download it, what to do once it is ready (``on_ready``, inside the
transaction that stores the file: queue an email, say) and where its page links back to. Core
knows the kinds only by their keys, so it never imports the apps above it.

``report_run_request`` makes the row and queues the task once the caller's transaction commits;
``report_run_render`` is what the task calls. It claims the row with one conditional UPDATE, so
a task delivered twice (``CELERY_TASK_ACKS_LATE``) renders once. ``report_runs_flush`` is the
periodic safety net: it queues again a run whose task was lost, and a run whose worker died
mid-render, up to ``MAX_ATTEMPTS`` (rendering has no outside effect, so running it again is
safe; ``on_ready``'s email is deduplicated by the outbox).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.audit import AuditAction, audit_record
from core.models import ReportRun

logger = logging.getLogger(__name__)

State = ReportRun.State


class ReportRunAction(AuditAction):
    REQUESTED = "report_run.requested"
    DOWNLOADED = "report_run.downloaded"


# A render that has not finished in this time has lost its worker (a deploy, a crash).
STUCK_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 3
FAILED_MESSAGE = "The document could not be made"


@dataclass(frozen=True)
class ReportKind:
    key: str
    # What the run's page calls the document: "Personal Education Plan (PDF)". Never a name.
    title: str
    # Who may ask for it and download it: an ``accounts.roles.Capability`` value.
    capability: str
    render: Callable[[ReportRun], tuple[str, bytes]]
    # Where the run's page links back to (the PEP, the report page).
    back_url: Callable[[ReportRun], str]
    content_type: str = "application/pdf"
    # The audit action of a download, in the registering app's words ("pep.pdf_downloaded").
    downloaded_action: AuditAction = ReportRunAction.DOWNLOADED
    on_ready: Callable[[ReportRun], None] | None = None


_KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> None:
    existing = _KINDS.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"Report kind {kind.key!r} is registered twice")
    _KINDS[kind.key] = kind


def report_kind(key: str) -> ReportKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"No report kind {key!r} is registered") from None


class RenderOutcome(StrEnum):
    READY = "ready"
    FAILED = "failed"
    # Another worker has it, or it is made already.
    NOT_CLAIMED = "not_claimed"


def _check_parameters(parameters: dict) -> None:
    """Ids, flags and ISO dates only: a run's parameters are listed and logged, and are kept
    after the child's record is gone."""
    for name, value in parameters.items():
        if isinstance(value, bool | int) or value is None:
            continue
        if isinstance(value, str):
            try:
                dt.date.fromisoformat(value)
                continue
            except ValueError:
                pass
        raise ValueError(
            f"Report run parameter {name!r} must be an id, a flag or an ISO date, not {value!r}"
        )


@transaction.atomic
def report_run_request(
    *,
    school,
    kind: str,
    parameters: dict,
    by,
    pupil_id: int | None = None,
    request=None,
) -> ReportRun:
    """Ask for a document: a queued row, rendered by a worker once this transaction commits."""
    report_kind(kind)  # a typo fails here, not in the worker
    _check_parameters(parameters)
    run = ReportRun.objects.create(
        school=school,
        kind=kind,
        parameters=parameters,
        pupil_id=pupil_id,
        requested_by=by,
    )
    audit_record(
        action=ReportRunAction.REQUESTED,
        actor=by,
        school=school,
        obj=run,
        pupil_id=pupil_id,
        values={"kind": kind},
        request=request,
    )
    _enqueue_on_commit(run.pk)
    return run


def _enqueue_on_commit(run_pk: int) -> None:
    from core.tasks import report_run_render as task

    transaction.on_commit(lambda: task.delay(run_pk))


def report_run_progress(run: ReportRun, percent: int) -> None:
    """For a renderer with several steps: how far it has got, shown on the run's page."""
    ReportRun.objects.filter(pk=run.pk, state=State.RENDERING).update(
        progress=max(0, min(99, percent))
    )


def report_run_render(*, run_pk: int, now: datetime | None = None) -> RenderOutcome:
    """Make the document of run ``run_pk`` if it is queued and nobody else is making it.

    Runs in autocommit: the claim is committed before rendering starts, so the run's page shows
    it being made, and a second delivery of the task finds it claimed.
    """
    now = now or timezone.now()
    claimed = ReportRun.objects.filter(pk=run_pk, state=State.QUEUED).update(
        state=State.RENDERING, started_at=now, progress=5, attempts=F("attempts") + 1
    )
    if not claimed:
        logger.info("report run not claimed", extra={"report_run": run_pk})
        return RenderOutcome.NOT_CLAIMED
    run = ReportRun.objects.select_related("school", "requested_by").get(pk=run_pk)
    kind = report_kind(run.kind)
    try:
        filename, content = kind.render(run)
    except Exception as error:
        # The traceback goes to the log, where the operator looks; the row keeps only the
        # exception's class, as its message may quote what was typed about a child.
        logger.exception("report run failed", extra={"report_run": run_pk, "kind": run.kind})
        ReportRun.objects.filter(pk=run_pk, state=State.RENDERING).update(
            state=State.FAILED,
            error=f"{FAILED_MESSAGE} ({type(error).__name__})"[:200],
            finished_at=timezone.now(),
        )
        return RenderOutcome.FAILED
    with transaction.atomic():
        stored = ReportRun.objects.filter(pk=run_pk, state=State.RENDERING).update(
            state=State.READY,
            progress=100,
            filename=filename,
            content_type=kind.content_type,
            content=content,
            size=len(content),
            checksum=hashlib.sha256(content).hexdigest(),
            error="",
            finished_at=timezone.now(),
        )
        if not stored:  # the flush gave up on it meanwhile
            return RenderOutcome.NOT_CLAIMED
        if kind.on_ready is not None:
            # Read again: parameters may have changed while it rendered (see peps' send).
            kind.on_ready(ReportRun.objects.select_related("school", "requested_by").get(pk=run_pk))
    logger.info("report run ready", extra={"report_run": run_pk, "kind": run.kind})
    return RenderOutcome.READY


@dataclass(frozen=True)
class FlushOutcome:
    enqueued: int
    failed: int


def report_runs_flush(*, now: datetime | None = None) -> FlushOutcome:
    """Every few minutes: queue again every run waiting longer than a minute (its task was
    lost, or the broker was down at commit) and every run stuck rendering, failing one that
    has had ``MAX_ATTEMPTS``."""
    now = now or timezone.now()
    stuck = ReportRun.objects.filter(state=State.RENDERING, started_at__lt=now - STUCK_AFTER)
    failed = stuck.filter(attempts__gte=MAX_ATTEMPTS).update(
        state=State.FAILED, error=f"{FAILED_MESSAGE} (the worker stopped)", finished_at=now
    )
    stuck.update(state=State.QUEUED)
    waiting = list(
        ReportRun.objects.filter(
            state=State.QUEUED, created_at__lt=now - timedelta(minutes=1)
        ).values_list("pk", flat=True)[:500]
    )
    from core.tasks import report_run_render as task

    for pk in waiting:
        task.delay(pk)
    return FlushOutcome(enqueued=len(waiting), failed=failed)


def report_run_content(run: ReportRun) -> bytes:
    """The stored file, checked against its checksum: a document that changed after it was
    made is not handed out."""
    content = bytes(
        ReportRun.objects.filter(pk=run.pk).values_list("content", flat=True).get() or b""
    )
    if hashlib.sha256(content).hexdigest() != run.checksum:
        logger.error("report run file does not match its checksum", extra={"report_run": run.pk})
        raise ValueError(f"Report run {run.pk}: the file does not match its checksum")
    return content
