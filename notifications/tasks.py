"""The outbox's Celery tasks: thin, by primary key, each calling one service.

With ``CELERY_TASK_ACKS_LATE`` a task whose worker dies is delivered again; that is safe because
``message_send`` claims the row before sending.
"""

from celery import shared_task

from notifications import services


@shared_task
def outbox_send(message_pk: int) -> str:
    return services.message_send(message_pk=message_pk).value


@shared_task
def outbox_flush() -> dict:
    """Every minute (CELERY_BEAT_SCHEDULE "outbox-flush")."""
    outcome = services.outbox_flush()
    return {"enqueued": outcome.enqueued, "abandoned": outcome.abandoned}
