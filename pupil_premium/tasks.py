"""The PP+ app's Celery task: thin, calling one service.

Beat runs it daily (CELERY_BEAT_SCHEDULE "pp-plus-reminders", 07:05 Europe/London).
"""

import datetime as dt
from dataclasses import asdict

from celery import shared_task
from django.utils import timezone

from pupil_premium import reminders


@shared_task
def pp_reminders_sweep(today: str | None = None) -> dict:
    """``today`` as an ISO date, for a catch-up run or a test; the local date if not given."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return asdict(reminders.pp_reminders_sweep(today=day))
