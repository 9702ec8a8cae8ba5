"""Core's Celery tasks: thin, by primary key, each calling one service.

With ``CELERY_TASK_ACKS_LATE`` a task whose worker dies is delivered again; that is safe because
``report_run_render`` claims the row before rendering.
"""

from celery import shared_task

from core import report_runs


@shared_task
def report_run_render(run_pk: int) -> str:
    return report_runs.report_run_render(run_pk=run_pk).value


@shared_task
def report_runs_flush() -> dict:
    """Every two minutes (CELERY_BEAT_SCHEDULE "report-runs-flush")."""
    outcome = report_runs.report_runs_flush()
    return {"enqueued": outcome.enqueued, "failed": outcome.failed}
