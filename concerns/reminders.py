"""The daily reminder of child protection files to send (Celery beat runs
``concerns.tasks.cp_file_reminders_sweep`` each morning).

KCSIE (DOMAIN.md 7.3): the DSL transfers the file within 5 days of a child leaving (Harbour
counts 5 school days, ``pupils.services.cp_file_due``, the due date of the leaving checklist's
item). Each of the DSL team is told twice at most, once each: on the day before it is due (the
school day before, so a Friday for a Monday), and when it is overdue. The email names no child,
only a link: it may be read anywhere.

Receipt: a file sent but whose receipt the new school has not confirmed is chased once, after
the school's ``ConcernSettings.receipt_chase_school_days`` school days from the day it was sent
(10 unless set): one email to each of the DSL team, with a link, asking them to chase the new
school. Recorded in the audit log once per file (``cp_file.receipt_chased``).

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

from concerns.audit import ConcernAction
from concerns.models import ConcernSettings, CpFileTransfer
from concerns.services import dsl_team_addresses
from core.audit import audit_record
from core.models import AuditEvent
from core.sensitivity import Sensitivity
from notifications.models import OutboxMessage
from notifications.services import message_queue
from pupils.models import LeavingTask
from schools.schooldays import SchoolCalendar, TermDatesMissing

DUE_TOMORROW = "due_tomorrow"
OVERDUE = "overdue"
RECEIPT = "receipt"


DEFAULT_RECEIPT_CHASE_SCHOOL_DAYS = ConcernSettings._meta.get_field(
    "receipt_chase_school_days"
).default


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
    settings_of = {s.school_id: s.receipt_chase_school_days for s in ConcernSettings.objects.all()}
    waiting = (
        CpFileTransfer.objects.filter(receipt_confirmed_on__isnull=True, sent_on__lt=today)
        .select_related("school")
        .order_by("pk")
    )
    for transfer in waiting:
        calendar = _calendar(calendars, transfer.school)
        if calendar is None:
            continue
        after = settings_of.get(transfer.school_id, DEFAULT_RECEIPT_CHASE_SCHOOL_DAYS)
        try:
            if calendar.school_days_between(transfer.sent_on, today) < after:
                continue
        except TermDatesMissing:
            continue
        outcome.queued += _chase_receipt(transfer, after)
    for task in tasks:
        if task.pupil_id in sent:
            continue
        school = task.pupil.school
        calendar = _calendar(calendars, school)
        assert task.due_date is not None  # filtered above
        kind = reminder_kind(task.due_date, today, calendar)
        if kind is None:
            continue
        outcome.queued += _remind(task, kind)
    return outcome


def _calendar(calendars: dict, school) -> SchoolCalendar | None:
    if school.pk not in calendars:
        try:
            calendars[school.pk] = SchoolCalendar.for_school(school)
        except TermDatesMissing:
            calendars[school.pk] = None
    return calendars[school.pk]


@transaction.atomic
def _chase_receipt(transfer: CpFileTransfer, after: int) -> int:
    """Once per file: each of the DSL team is asked to chase the new school's confirmation."""
    school = transfer.school
    url = settings.SITE_URL + reverse("concerns:cp_file", args=[transfer.pupil_id])
    queued = 0
    for address in dsl_team_addresses(school):
        key = f"cp-file-{RECEIPT}-transfer{transfer.pk}-{address}"
        if OutboxMessage.objects.filter(dedupe_key=key).exists():
            continue
        message_queue(
            recipient=address,
            template="cp_file_receipt_chase",
            context={"url": url, "sent_on": transfer.sent_on, "school_days": after},
            dedupe_key=key,
            school=school,
            sensitivity=Sensitivity.SAFEGUARDING,
        )
        queued += 1
    if (
        queued
        and not AuditEvent.objects.filter(
            action=ConcernAction.CP_FILE_RECEIPT_CHASED, object_id=str(transfer.pk)
        ).exists()
    ):
        audit_record(
            action=ConcernAction.CP_FILE_RECEIPT_CHASED,
            actor=None,
            school=school,
            obj=transfer,
            pupil_id=transfer.pupil_id,
            values={"sent_on": transfer.sent_on},
        )
    return queued


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
