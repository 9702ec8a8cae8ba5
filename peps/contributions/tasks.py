"""The chasing sweep's Celery task: thin, calling one service. Beat runs it daily
(CELERY_BEAT_SCHEDULE "pep-contribution-reminders", 07:10 Europe/London)."""

import datetime as dt
from dataclasses import asdict

from celery import shared_task
from django.utils import timezone

from peps.contributions import reminders


@shared_task
def contribution_reminders_sweep(today: str | None = None) -> dict:
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return asdict(reminders.contribution_reminders_sweep(today=day))
