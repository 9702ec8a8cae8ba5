"""Chasing the views asked for: the daily sweep (``peps.contributions.tasks``, Celery beat).

A person who has not answered is reminded once ``AFTER_SENDING_SCHOOL_DAYS`` school days
after the request, and once more ``BEFORE_MEETING_SCHOOL_DAYS`` school days before the PEP
meeting (when the meeting date is set): once each, however often the sweep runs. Each reminder
is claimed with a conditional UPDATE of its date field in the same transaction as the outbox
message (whose dedupe key names it), so two sweeps cannot both send it. Reminders go only on
the school's school days. The reminder does not carry the link: it points to the first email,
whose link is the only one that works (a second working link would be a second secret to
leak).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from notifications.services import message_queue
from peps.contributions.audit import ContributionAction
from peps.contributions.models import ContributionRequest
from peps.contributions.services import _audit
from peps.models import PersonalEducationPlan
from schools.schooldays import SchoolCalendar, TermDatesMissing

AFTER_SENDING_SCHOOL_DAYS = 5
BEFORE_MEETING_SCHOOL_DAYS = 2


@dataclass
class ChaseOutcome:
    after_sending: int = 0
    before_meeting: int = 0


def _waiting(today: dt.date):
    return ContributionRequest.objects.filter(
        submitted_at__isnull=True,
        revoked_at__isnull=True,
        locked_at__isnull=True,
        expires_on__gte=today,
        pep__status=PersonalEducationPlan.Status.DRAFT,
    ).select_related("pep__pupil__school")


def contribution_reminders_sweep(*, today: dt.date) -> ChaseOutcome:
    outcome = ChaseOutcome()
    calendars: dict[int, SchoolCalendar] = {}
    for link in _waiting(today):
        school = link.pep.pupil.school
        calendar = calendars.get(school.pk) or calendars.setdefault(
            school.pk, SchoolCalendar.for_school(school)
        )
        try:
            if not calendar.is_school_day(today):
                continue
            kind = _due(link, calendar, today)
        except TermDatesMissing:
            continue
        if kind and _remind(link, kind, today=today):
            if kind == "before_meeting":
                outcome.before_meeting += 1
            else:
                outcome.after_sending += 1
    return outcome


def _due(link: ContributionRequest, calendar: SchoolCalendar, today: dt.date) -> str:
    meeting = link.pep.meeting_date
    if (
        link.reminded_before_meeting_on is None
        and meeting is not None
        and today < meeting
        and calendar.school_days_between(today, meeting) <= BEFORE_MEETING_SCHOOL_DAYS
    ):
        return "before_meeting"
    if (
        link.reminded_after_sending_on is None
        and calendar.school_days_between(link.sent_on, today) >= AFTER_SENDING_SCHOOL_DAYS
    ):
        return "after_sending"
    return ""


@transaction.atomic
def _remind(link: ContributionRequest, kind: str, *, today: dt.date) -> bool:
    field = f"reminded_{kind}_on"
    claim = {field: today}
    if kind == "before_meeting":
        # One email near the meeting says all: the earlier reminder is not sent after it.
        ContributionRequest.objects.filter(
            pk=link.pk, reminded_after_sending_on__isnull=True
        ).update(reminded_after_sending_on=today)
    claimed = ContributionRequest.objects.filter(pk=link.pk, **{f"{field}__isnull": True}).update(
        **claim
    )
    if not claimed:
        return False
    pupil = link.pep.pupil
    message_queue(
        recipient=link.email,
        template="pep_contribution_reminder",
        context={
            "greeting_name": link.name,
            "first_name": pupil.forename,
            "school_name": pupil.school.name,
            "sent_on": link.sent_on,
            "expires_on": link.expires_on,
            "meeting_date": link.pep.meeting_date if kind == "before_meeting" else None,
        },
        dedupe_key=f"pep-contribution-{link.pk}-reminder-{kind}",
        school=pupil.school,
        about=link,
        about_label="A reminder of a request for views",
        pupil=pupil,
    )
    _audit(ContributionAction.REMINDED, link, reminder=kind)
    return True
