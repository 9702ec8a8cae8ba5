"""The deadlines reports knows, registered into ``core.report_sections``' deadline registry
(governing board meetings and reduced timetable reviews come from ``exclusions.sections``):
PEPs due or overdue (``peps``), EHC plan annual reviews and the leaving checklist's items
(``pupils``), child protection file transfers to the DSL team only.
Each provider runs a fixed number of queries, whatever the number of children."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count
from django.urls import reverse

from accounts.roles import Capability
from core.report_sections import Deadline, register_deadlines
from peps.due import PepState
from peps.selectors import pep_statuses_for_school
from pupils.models import LeavingTask, Pupil
from schools.schooldays import TermDatesMissing


def _children(n: int) -> str:
    return f"{n} child{'ren' if n != 1 else ''}"


def pep_deadlines(school, today: dt.date) -> list[Deadline]:
    """PEPs due or overdue, one deadline a day: "PEP due for 3 children"."""
    try:
        children = pep_statuses_for_school(school, today=today)
    except TermDatesMissing:
        return []
    by_day: Counter = Counter()
    for child in children:
        status = child.status
        if status.state in (PepState.DUE, PepState.OVERDUE, PepState.UPCOMING) and status.deadline:
            by_day[status.deadline] += 1
    url = reverse("peps:compliance")
    return [
        Deadline(
            day,
            f"PEP meeting to hold for {_children(n)}",
            f"{url}#{'missing' if day < today else 'not-yet'}",
            n,
        )
        for day, n in sorted(by_day.items())
    ]


LEAVING_ITEMS = {
    LeavingTask.Item.INFORMATION_SENT: "Information to send to the new school or college",
    LeavingTask.Item.LOCAL_AUTHORITY_TOLD: "Local authority to tell where a child has gone",
}


def _leaving_deadlines(school, items) -> list[Deadline]:
    rows = (
        LeavingTask.objects.filter(
            pupil__school=school, item__in=list(items), completed_on__isnull=True
        )
        .exclude(due_date=None)
        .values("item", "due_date")
        .annotate(children=Count("pupil", distinct=True))
        .order_by("due_date", "item")
    )
    url = reverse("pupils:cohort") + "?group=left"
    return [
        Deadline(
            r["due_date"], f"{items[r['item']]} ({_children(r['children'])})", url, r["children"]
        )
        for r in rows
    ]


def ehc_review_deadlines(school, today: dt.date) -> list[Deadline]:
    """EHC plan annual reviews of children on roll (``Pupil.ehc_plan_review_date``), one a
    day: one query."""
    rows = (
        Pupil.objects.not_left_by(today)
        .filter(school=school, ehc_plan_review_date__isnull=False)
        .values("ehc_plan_review_date")
        .annotate(children=Count("pk"))
        .order_by("ehc_plan_review_date")
    )
    url = reverse("pupils:cohort") + "?sen_status=ehc_plan"
    return [
        Deadline(
            r["ehc_plan_review_date"],
            f"EHC plan annual review for {_children(r['children'])}",
            url,
            r["children"],
        )
        for r in rows
    ]


def leaving_deadlines(school, today: dt.date) -> list[Deadline]:
    """The leaving checklist's items with a due date, not yet done: one query."""
    return _leaving_deadlines(school, LEAVING_ITEMS)


def cp_file_deadlines(school, today: dt.date) -> list[Deadline]:
    """Child protection files to transfer (KCSIE: within 5 school days of the new school
    starting): the DSL team and the head only. One query."""
    return _leaving_deadlines(
        school, {LeavingTask.Item.CP_FILE_TRANSFERRED: "Child protection file to transfer"}
    )


def register() -> None:
    register_deadlines(pep_deadlines)
    register_deadlines(leaving_deadlines)
    register_deadlines(ehc_review_deadlines)
    register_deadlines(cp_file_deadlines, capability=Capability.ACT_ON_CONCERNS)
