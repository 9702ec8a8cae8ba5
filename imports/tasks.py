"""Import runs' Celery tasks: thin, by primary key, each calling one service."""

from celery import shared_task

from imports import services


@shared_task
def import_preview(run_pk: int) -> str:
    return services.import_run_preview(run_pk=run_pk)


@shared_task
def import_commit(run_pk: int) -> str:
    return services.import_run_commit_work(run_pk=run_pk)
