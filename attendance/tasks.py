"""The attendance app's Celery task: thin, calling one service.

Beat runs it daily (CELERY_BEAT_SCHEDULE "attendance-sweep", 07:15 Europe/London)."""

import datetime as dt
from dataclasses import asdict

from celery import shared_task
from django.utils import timezone

from attendance import sweep


@shared_task
def attendance_sweep(today: str | None = None) -> dict:
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return asdict(sweep.attendance_sweep(today=day))
