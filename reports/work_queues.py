"""The parts of each person's home page that reports knows today, registered into
``core.report_sections``'s work-queue registry (concerns, exclusions, PP+ and attendance add
theirs from their own ``AppConfig.ready``)."""

from __future__ import annotations

import datetime as dt

from django.urls import NoReverseMatch, reverse

from accounts.roles import Capability
from core.report_sections import WorkItem, WorkQueue, register_work_queue
from imports.models import ImportRun
from peps.due import PepState
from peps.selectors import pep_statuses_for_school
from reports.models import GovernorsReport
from reports.periods import year_period
from reports.sections import GROUP_NAMES, GROUPS, cohort_counts, cohort_url
from schools.schooldays import TermDatesMissing


def pep_items(school, user, *, capabilities, today: dt.date) -> list[WorkItem]:
    try:
        children = pep_statuses_for_school(school, today=today)
    except TermDatesMissing:
        return [WorkItem("Enter this year's term dates: PEP deadlines need them", "")]
    overdue = sum(1 for c in children if c.status.state == PepState.OVERDUE)
    due = sum(1 for c in children if c.status.state == PepState.DUE)
    url = reverse("peps:compliance")
    items = []
    if overdue:
        items.append(WorkItem(f"PEPs overdue: {overdue}", f"{url}#missing", overdue, urgent=True))
    if due:
        items.append(WorkItem(f"PEPs due: {due}", f"{url}#not-yet", due))
    return items


def import_items(school, user, *, capabilities, today: dt.date) -> list[WorkItem]:
    waiting = list(
        ImportRun.objects.filter(school=school, state=ImportRun.State.PREVIEWED)
        .order_by("-pk")
        .values_list("pk", flat=True)[:5]
    )
    return [
        WorkItem(
            "An import is checked and waiting for you to confirm it",
            reverse("imports:run", args=[pk]),
        )
        for pk in waiting
    ]


def headline_items(school, user, *, capabilities, today: dt.date) -> list[WorkItem]:
    counts = cohort_counts(school, today)
    return [
        WorkItem(f"{GROUP_NAMES[g]}: {counts[g.value]}", cohort_url(group=g.value), counts[g.value])
        for g in GROUPS
    ] + [WorkItem("Open the dashboard", reverse("reports:dashboard"))]


def governor_items(school, user, *, capabilities, today: dt.date) -> list[WorkItem]:
    reports = GovernorsReport.objects.filter(school=school, published_at__isnull=False).order_by(
        "-academic_year", "-published_at"
    )[:5]
    return [
        WorkItem(
            f"Annual report {year_period(r.academic_year).label}: download the PDF",
            reverse("reports:governors_download", args=[r.pk]),
        )
        for r in reports
    ]


def staff_items(school, user, *, capabilities, today: dt.date) -> list[WorkItem]:
    try:
        return [WorkItem("Raise a concern about a child", reverse("concerns:raise"))]
    except NoReverseMatch:  # the concerns app is not in this build yet
        return []


def register_work_queues() -> None:
    register_work_queue(
        WorkQueue("peps", "PEPs", 10, pep_items, Capability.EDIT_PUPILS, "No PEPs due or overdue.")
    )
    register_work_queue(
        WorkQueue(
            "imports",
            "Imports waiting",
            20,
            import_items,
            Capability.EDIT_PUPILS,
            "No imports waiting.",
        )
    )
    register_work_queue(
        WorkQueue("headline", "The cohort today", 5, headline_items, Capability.DECIDE_EXCLUSION)
    )
    register_work_queue(
        WorkQueue(
            "governors_reports",
            "Published reports",
            30,
            governor_items,
            Capability.VIEW_GOVERNORS_REPORT,
            "No report has been published yet.",
        )
    )
    # Child protection files to send are in the concerns app's own "Safeguarding" queue
    # (concerns/report_sections.py), with open concerns and receipts to confirm.
    register_work_queue(
        WorkQueue("raise_concern", "Concerns", 90, staff_items, Capability.RAISE_CONCERN, "")
    )
