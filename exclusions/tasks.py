"""The pathway's Celery task: thin, calling one service. Beat runs it daily
(CELERY_BEAT_SCHEDULE "exclusions-sweep", 07:15 Europe/London)."""

import datetime as dt
from dataclasses import asdict

from celery import shared_task
from django.utils import timezone

from exclusions import sweeps


@shared_task
def exclusions_sweep(today: str | None = None) -> dict:
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return asdict(sweeps.exclusions_sweep(today=day))
