"""The concerns app's Celery task: thin, calling one service. Beat runs it daily
(CELERY_BEAT_SCHEDULE "cp-file-reminders", 07:05 Europe/London)."""

import datetime as dt
from dataclasses import asdict

from celery import shared_task
from django.utils import timezone

from concerns import reminders


@shared_task
def cp_file_reminders_sweep(today: str | None = None) -> dict:
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return asdict(reminders.cp_file_reminders_sweep(today=day))
