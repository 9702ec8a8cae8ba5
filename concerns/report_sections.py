"""What the concerns app adds to the head's dashboard and to the DSL team's home page, through
``core.report_sections`` (registered from ``ConcernsConfig.ready``).

- The dashboard's "Safeguarding concerns" section, for the DSL team and the head only
  (``capability=ACT_ON_CONCERNS``): never in a governors' report (it has no report callable,
  and ``report_sections()`` leaves out any section with a capability).
- The DSL team's work queue: open concerns by age, urgent first (immediate risk, or no action
  for the school's set number of school days); concerns still to link to a child; child
  protection files to send; receipts not yet confirmed.

Both run a fixed number of queries however many concerns or children there are, and name no
child: a concern is its reference.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Capability
from concerns.models import Concern, ConcernPupil, CpFileTransfer, Decision
from concerns.selectors import (
    calendar_or_none,
    concern_settings_for,
    no_action_flag,
    with_status,
)
from core.report_sections import (
    Figure,
    Period,
    Section,
    SectionFigures,
    WorkItem,
    WorkQueue,
    register,
    register_work_queue,
)
from pupils.models import LeavingTask
from schools.schooldays import TermDatesMissing

# The work queue lists this many open concerns, then links to the rest.
QUEUE_CONCERNS = 10


def _list_url(**query) -> str:
    return reverse("concerns:list") + ("?" + urlencode(query) if query else "")


def _open_concerns(school, today: dt.date) -> list[Concern]:
    """The school's open concerns, each with ``flag`` (no action for the school's number of
    school days), oldest first: the concerns (1), the settings (1), the calendar (2)."""
    rows = list(
        with_status(Concern.objects.filter(school=school))
        .exclude(status_kind=Decision.Kind.CLOSED)
        .only("pk", "raised_at", "immediate_risk")
        .order_by("raised_at", "pk")
    )
    after = concern_settings_for(school).no_action_flag_school_days
    calendar = calendar_or_none(school)
    for concern in rows:
        concern.flag = no_action_flag(concern, calendar, today, after)
    return rows


def _unlinked(school):
    return Concern.objects.filter(school=school).exclude(
        Exists(ConcernPupil.objects.filter(concern=OuterRef("pk")))
    )


def dashboard(school, period: Period, *, capabilities, today: dt.date) -> SectionFigures:
    open_rows = _open_concerns(school, today)
    first = timezone.make_aware(dt.datetime.combine(period.first_day, dt.time.min))
    last = timezone.make_aware(dt.datetime.combine(period.last_day, dt.time.max))
    in_period = Concern.objects.filter(school=school).aggregate(
        raised=Count("pk", filter=Q(raised_at__range=(first, last))),
    )
    closed = (
        Decision.objects.filter(
            concern__school=school,
            kind=Decision.Kind.CLOSED,
            recorded_at__range=(first, last),
        )
        .values("concern_id")
        .distinct()
        .count()
    )
    unlinked = _unlinked(school).count()
    files = CpFileTransfer.objects.filter(school=school).aggregate(
        unconfirmed=Count("pk", filter=Q(receipt_confirmed_on__isnull=True))
    )
    figures = [
        Figure("Open concerns", len(open_rows), _list_url(status="open"), children=False),
        Figure(
            "Open, a child at immediate risk",
            sum(1 for c in open_rows if c.immediate_risk),
            _list_url(status="open"),
            children=False,
        ),
        Figure(
            "Open with no recent action",
            sum(1 for c in open_rows if c.flag),
            _list_url(status="open"),
            children=False,
            hint="No action recorded for the school's set number of school days",
        ),
        Figure("Not yet linked to a child", unlinked, _list_url(status="all"), children=False),
        Figure(f"Raised in {period.label}", in_period["raised"], _list_url(status="all"), False),
        Figure(f"Closed in {period.label}", closed, _list_url(status="closed"), children=False),
        Figure(
            "Child protection files sent, receipt not confirmed",
            files["unconfirmed"],
            reverse("concerns:list"),
            children=False,
        ),
    ]
    return SectionFigures(
        key="concerns",
        title="Safeguarding concerns",
        figures=figures,
        note="Seen only by the designated safeguarding lead, their deputies and the head.",
    )


def _age(concern: Concern, today: dt.date) -> str:
    days = (today - timezone.localtime(concern.raised_at).date()).days
    return "raised today" if days <= 0 else f"open {days} day{'s' if days != 1 else ''}"


def work_items(school, user, *, capabilities, today: dt.date) -> list[WorkItem]:
    """The DSL team's queue, urgent first. A fixed number of queries."""
    open_rows = _open_concerns(school, today)
    # A child at immediate risk first, then concerns nobody has acted on, then the rest; each
    # oldest first (``_open_concerns`` is in order of raising, and the sort is stable).
    ordered = sorted(open_rows, key=lambda c: (not c.immediate_risk, c.flag is None))
    items = []
    for concern in ordered[:QUEUE_CONCERNS]:
        why = []
        if concern.immediate_risk:
            why.append("immediate risk")
        if concern.flag:
            why.append(f"no action for {concern.flag.school_days} school days")
        label = f"Concern C{concern.pk:05d}, {_age(concern, today)}"
        items.append(
            WorkItem(
                label + (f" ({', '.join(why)})" if why else ""),
                reverse("concerns:concern", args=[concern.pk]),
                urgent=bool(why),
            )
        )
    if len(open_rows) > QUEUE_CONCERNS:
        items.append(
            WorkItem(
                f"All {len(open_rows)} open concerns", _list_url(status="open"), len(open_rows)
            )
        )
    unlinked = _unlinked(school).count()
    if unlinked:
        items.append(
            WorkItem(
                f"Concerns to link to a child in Harbour: {unlinked}",
                _list_url(status="all"),
                unlinked,
            )
        )
    sent = CpFileTransfer.objects.filter(pupil_id=OuterRef("pupil_id"))
    to_send = (
        LeavingTask.objects.filter(
            pupil__school=school,
            item=LeavingTask.Item.CP_FILE_TRANSFERRED,
            completed_on__isnull=True,
        )
        .exclude(Exists(sent))
        .order_by("due_date", "pk")
        .values_list("pupil_id", "due_date")[:20]
    )
    for pupil_id, due in to_send:
        items.append(
            WorkItem(
                "A child protection file to send" + (f", due {due:%-d %B %Y}" if due else ""),
                reverse("concerns:cp_file", args=[pupil_id]),
                urgent=bool(due and due < today),
            )
        )
    chase_after = concern_settings_for(school).receipt_chase_school_days
    calendar = calendar_or_none(school)
    waiting = (
        CpFileTransfer.objects.filter(school=school, receipt_confirmed_on__isnull=True)
        .order_by("sent_on", "pk")
        .values_list("pupil_id", "sent_on")[:20]
    )
    for pupil_id, sent_on in waiting:
        late = False
        if calendar is not None:
            try:
                late = calendar.school_days_between(sent_on, today) >= chase_after
            except TermDatesMissing:
                late = False
        items.append(
            WorkItem(
                f"Receipt of a child protection file sent {sent_on:%-d %B %Y} not confirmed",
                reverse("concerns:cp_file", args=[pupil_id]),
                urgent=late,
            )
        )
    return items


def register_all() -> None:
    register(
        Section(
            key="concerns",
            title="Safeguarding concerns",
            order=90,
            dashboard=dashboard,
            capability=Capability.ACT_ON_CONCERNS,
        )
    )
    register_work_queue(
        WorkQueue(
            "concerns",
            "Safeguarding",
            6,
            work_items,
            capability=Capability.ACT_ON_CONCERNS,
            empty="No open concerns, files to send or receipts waiting.",
        )
    )
