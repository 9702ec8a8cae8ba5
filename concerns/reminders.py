"""The daily reminder of child protection files to send (Celery beat runs
``concerns.tasks.cp_file_reminders_sweep`` each morning).

KCSIE (DOMAIN.md 7.3): the DSL transfers the file within 5 days of a child leaving (Harbour
counts 5 school days, ``pupils.services.cp_file_due``, the due date of the leaving checklist's
item). Each of the DSL team is told twice at most, once each: on the day before it is due (the
school day before, so a Friday for a Monday), and when it is overdue. The email names no child,
only a link: it may be read anywhere.

Exactly once however often the sweep runs: each email's outbox ``dedupe_key`` names the item,
the kind of reminder and the person, and queueing the same key again sends nothing. A file
recorded as sent (``CpFileTransfer``) is not chased, nor an item already ticked off.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from concerns.models import CpFileTransfer
from concerns.services import dsl_team_addresses
from core.sensitivity import Sensitivity
from notifications.models import OutboxMessage
from notifications.services import message_queue
from pupils.models import LeavingTask
from schools.schooldays import SchoolCalendar, TermDatesMissing

DUE_TOMORROW = "due_tomorrow"
OVERDUE = "overdue"


@dataclass
class SweepOutcome:
    queued: int = 0


def reminder_kind(due: dt.date, today: dt.date, calendar: SchoolCalendar | None) -> str | None:
    """Which reminder ``today`` calls for, if any, for a file due on ``due``."""
    if today > due:
        return OVERDUE
    day_before = due - dt.timedelta(days=1)
    if calendar is not None:
        with contextlib.suppress(TermDatesMissing):
            day_before = calendar.add_school_days(due, -1)
    if day_before <= today < due:
        return DUE_TOMORROW
    return None


def cp_file_reminders_sweep(*, today: dt.date) -> SweepOutcome:
    outcome = SweepOutcome()
    tasks = (
        LeavingTask.objects.filter(
            item=LeavingTask.Item.CP_FILE_TRANSFERRED,
            completed_on__isnull=True,
            due_date__isnull=False,
        )
        .select_related("pupil__school")
        .order_by("pk")
    )
    sent = set(CpFileTransfer.objects.values_list("pupil_id", flat=True))
    calendars: dict[int, SchoolCalendar | None] = {}
    for task in tasks:
        if task.pupil_id in sent:
            continue
        school = task.pupil.school
        if school.pk not in calendars:
            try:
                calendars[school.pk] = SchoolCalendar.for_school(school)
            except TermDatesMissing:
                calendars[school.pk] = None
        assert task.due_date is not None  # filtered above
        kind = reminder_kind(task.due_date, today, calendars[school.pk])
        if kind is None:
            continue
        outcome.queued += _remind(task, kind)
    return outcome


@transaction.atomic
def _remind(task: LeavingTask, kind: str) -> int:
    school = task.pupil.school
    url = settings.SITE_URL + reverse("concerns:cp_file", args=[task.pupil_id])
    queued = 0
    for address in dsl_team_addresses(school):
        key = f"cp-file-{kind}-task{task.pk}-{address}"
        if OutboxMessage.objects.filter(dedupe_key=key).exists():
            continue
        message_queue(
            recipient=address,
            template="cp_file_reminder",
            context={"url": url, "overdue": kind == OVERDUE, "due": task.due_date},
            dedupe_key=key,
            school=school,
            sensitivity=Sensitivity.SAFEGUARDING,
        )
        queued += 1
    return queued
