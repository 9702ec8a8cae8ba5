"""The yearly reminder of unspent PP+ (Celery beat runs ``pupil_premium.tasks.pp_reminders_sweep``
each morning).

Eight weeks before the financial year ends on 31 March (DOMAIN.md 8), each designated teacher
of a school gets one digest listing the children whose allocation for the year is not all
approved or spent, so it can be used for them before the year closes. Harbour's product rule
(issue 9), not a statutory date.

Exactly once per school, year and teacher, however often the sweep runs: the digest's outbox
dedupe key names them, and a sweep holds a lock on the school's row so two sweeps cannot both
find it new. A sweep on any day from the reminder day to 31 March catches up a missed one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import Role
from notifications.models import OutboxMessage
from notifications.services import message_queue
from pupil_premium.models import financial_year_label, financial_year_of
from pupil_premium.selectors import unspent_children
from schools.models import School

WEEKS_BEFORE_YEAR_END = 8


def reminder_day(year: int) -> dt.date:
    """The day the reminder for financial ``year`` is due: 8 weeks before 31 March."""
    return dt.date(year + 1, 3, 31) - dt.timedelta(weeks=WEEKS_BEFORE_YEAR_END)


def dedupe_key(school, year: int, teacher) -> str:
    return f"pp-plus-unspent-s{school.pk}-fy{year}-u{teacher.pk}"


@dataclass
class SweepOutcome:
    digests: int = 0
    children: int = 0


def pp_reminders_sweep(*, today: dt.date) -> SweepOutcome:
    outcome = SweepOutcome()
    year = financial_year_of(today)
    if today < reminder_day(year):
        return outcome
    for school in School.objects.order_by("pk"):
        _sweep_school(school, year=year, today=today, outcome=outcome)
    return outcome


@transaction.atomic
def _sweep_school(school, *, year: int, today: dt.date, outcome: SweepOutcome) -> None:
    School.objects.select_for_update().filter(pk=school.pk).first()
    teachers = [
        m.user
        for m in Membership.objects.filter(
            school=school, role=Role.DESIGNATED_TEACHER, user__is_active=True
        )
        .select_related("user")
        .order_by("user__pk")
    ]
    keys = {dedupe_key(school, year, t) for t in teachers}
    if not teachers or OutboxMessage.objects.filter(dedupe_key__in=keys).count() == len(keys):
        return
    rows = unspent_children(school, year)
    if not rows:
        return
    children = [
        {
            "name": row.pupil.display_name,
            "remaining": row.balance.remaining,
            "url": settings.SITE_URL
            + reverse("pupil_premium:ledger", args=[row.pupil.pk])
            + f"?year={year}",
        }
        for row in rows
    ]
    for teacher in teachers:
        key = dedupe_key(school, year, teacher)
        if OutboxMessage.objects.filter(dedupe_key=key).exists():
            continue
        message_queue(
            recipient=teacher.email,
            template="pp_plus_unspent",
            context={
                "teacher": teacher,
                "school": school,
                "children": children,
                "year_label": financial_year_label(year),
                "year_end": dt.date(year + 1, 3, 31),
            },
            dedupe_key=key,
            school=school,
        )
        outcome.digests += 1
        outcome.children += len(children)
