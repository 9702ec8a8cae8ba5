"""The PEP app's Celery task: thin, calling one service.

Beat runs it daily (CELERY_BEAT_SCHEDULE "pep-reminders", 07:00 Europe/London).
"""

import datetime as dt
from dataclasses import asdict

from celery import shared_task
from django.utils import timezone

from peps import reminders


@shared_task
def pep_reminders_sweep(today: str | None = None) -> dict:
    """``today`` as an ISO date, for a catch-up run or a test; the school's local date if not
    given."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return asdict(reminders.pep_reminders_sweep(today=day))
