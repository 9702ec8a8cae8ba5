"""The pathway's daily sweep (Celery beat: ``exclusions.tasks.exclusions_sweep``, 07:15).

1. Each statutory notice not sent by the end of the school day after the decision (DOMAIN.md
   2.3: "without delay") is flagged to the school's head, once: the notice is claimed with a
   conditional UPDATE of ``head_told_on`` and the email's dedupe key names it, so two sweeps, or
   one retried, tell the head once.
2. Each reduced timetable whose review date has come is reminded to the designated teachers,
   once per review date (DOMAIN.md 2.7: reviewed regularly), the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from accounts.roles import Role
from exclusions.models import ReducedTimetable, StatutoryNotice
from exclusions.services import school_leaders
from notifications.services import message_queue


@dataclass
class SweepOutcome:
    late_notices: int = 0
    timetable_reminders: int = 0


def exclusions_sweep(*, today: dt.date) -> SweepOutcome:
    outcome = SweepOutcome()
    late = (
        StatutoryNotice.objects.filter(
            due_by__lt=today, delivered_at__isnull=True, head_told_on__isnull=True
        )
        .filter(Q(message__isnull=True) | Q(message__sent_at__isnull=True))
        .select_related("pupil__school")
    )
    for notice in late:
        with transaction.atomic():
            claimed = StatutoryNotice.objects.filter(
                pk=notice.pk, head_told_on__isnull=True
            ).update(head_told_on=today)
            if not claimed:
                continue
            for email in school_leaders(notice.pupil.school, [Role.HEADTEACHER]):
                message_queue(
                    recipient=email,
                    template="exclusion_notice_late",
                    context={
                        "notice": notice,
                        "pupil": notice.pupil,
                        "url": reverse("exclusions:notices"),
                    },
                    dedupe_key=f"exclusion-notice-late-{notice.pk}-{email}",
                    school=notice.pupil.school,
                    pupil=notice.pupil,
                )
            outcome.late_notices += 1
    due = ReducedTimetable.objects.filter(review_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today), reminder_sent_on__isnull=True
    )
    for timetable in due.select_related("pupil__school"):
        with transaction.atomic():
            claimed = ReducedTimetable.objects.filter(
                pk=timetable.pk, review_on=timetable.review_on, reminder_sent_on__isnull=True
            ).update(reminder_sent_on=today)
            if not claimed:
                continue
            school = timetable.pupil.school
            for email in school_leaders(school, [Role.DESIGNATED_TEACHER]):
                message_queue(
                    recipient=email,
                    template="reduced_timetable_review",
                    context={
                        "timetable": timetable,
                        "pupil": timetable.pupil,
                        "url": reverse("exclusions:pupil", args=[timetable.pupil_id]),
                    },
                    dedupe_key=f"reduced-timetable-{timetable.pk}-{timetable.review_on}-{email}",
                    school=school,
                    pupil=timetable.pupil,
                )
            outcome.timetable_reminders += 1
    return outcome
