"""The designated teacher's home-page item for views asked for before PEP meetings
(``core.report_sections.register_work_queue``, registered in ``PepsConfig.ready``):

* answers waiting to be accepted into a draft PEP or set aside, one item per PEP;
* people who have not answered a working link while the PEP meeting is
  ``MEETING_NEAR_SCHOOL_DAYS`` school days away or less (urgent: the meeting is close).

Three queries (two and the school's calendar), whatever the number of children. No child's name
is shown on the home page: each item links to the PEP's list of views, whose read is audited.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse

from accounts.roles import Capability
from core.report_sections import WorkItem, WorkQueue, register_work_queue
from peps.contributions.models import ContributionAnswer, ContributionRequest
from peps.models import PersonalEducationPlan
from schools.schooldays import SchoolCalendar, TermDatesMissing

MEETING_NEAR_SCHOOL_DAYS = 5


def _meeting_near_until(school, today: dt.date) -> dt.date:
    try:
        return SchoolCalendar.for_school(school).add_school_days(today, MEETING_NEAR_SCHOOL_DAYS)
    except TermDatesMissing:
        return today + dt.timedelta(days=7)  # a week, when the term dates are not entered


def contribution_items(school, user, *, capabilities, today: dt.date) -> list[WorkItem]:
    draft = PersonalEducationPlan.Status.DRAFT
    waiting = (
        ContributionAnswer.objects.filter(
            request__pep__pupil__school=school,
            request__pep__status=draft,
            status=ContributionAnswer.Status.PROPOSED,
        )
        .values("request__pep_id")
        .annotate(n=Count("pk"))
        .order_by("request__pep_id")
    )
    items = [
        WorkItem(
            f"Answers waiting for you to accept into a draft PEP: {row['n']}",
            reverse("contributions:list", args=[row["request__pep_id"]]),
            row["n"],
        )
        for row in waiting
    ]
    until = _meeting_near_until(school, today)
    unanswered = (
        ContributionRequest.objects.filter(
            pep__pupil__school=school,
            pep__status=draft,
            pep__meeting_date__gte=today,
            pep__meeting_date__lte=until,
            submitted_at__isnull=True,
            revoked_at__isnull=True,
            locked_at__isnull=True,
            expires_on__gte=today,
        )
        .values("pep_id", "pep__meeting_date")
        .annotate(n=Count("pk"))
        .order_by("pep__meeting_date", "pep_id")
    )
    items += [
        WorkItem(
            f"Not answered yet, with the PEP meeting on {row['pep__meeting_date']:%-d %B}: "
            f"{row['n']} {'person' if row['n'] == 1 else 'people'}",
            reverse("contributions:list", args=[row["pep_id"]]),
            row["n"],
            urgent=True,
        )
        for row in unanswered
    ]
    return items


def register() -> None:
    register_work_queue(
        WorkQueue(
            "pep_contributions",
            "Views before PEP meetings",
            12,
            contribution_items,
            Capability.EDIT_PUPILS,
            "No answers waiting, and everyone asked before a meeting this week has answered.",
        )
    )
