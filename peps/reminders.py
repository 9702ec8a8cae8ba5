"""The daily PEP reminders (Celery beat runs ``peps.tasks.pep_reminders_sweep`` each morning).

To each designated teacher of a school, one digest listing the children whose PEP is

* due within 10 school days (told once per child and term),
* due today (once), or
* overdue (once a week while it stays overdue: the key carries the ISO week);

and to the child's Virtual School (the responsible authority of the in-care episode) one notice
when a PEP is 10 school days overdue (once per child and term). A child whose time in care has a
start date Harbour guessed (``CareEpisode.start_date_confirmed`` false) is left out until a
person confirms it.

Exactly once, however often the sweep runs: each item told is a ``PepReminder`` row with a
unique key, written in the same transaction as the outbox message that tells it, and a sweep
holds a lock on the school's row so two sweeps cannot both find an item new. The digest's
outbox dedupe key names the items it carries, so a sweep retried after a crash finds the same
message. The sweep sends only on the school's school days: nobody is reminded on a Saturday
or in the holidays, and the first school day after catches up.

A child whose deadline falls in a school year without term dates (a first PEP counted into a
year nobody has entered yet) does not stop the sweep: the others are told as usual, and the
digest says which years' term dates are missing and for how many children, weekly while they
stay missing (in a digest of its own when nothing else is new).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import Role
from notifications.models import OutboxMessage
from notifications.services import message_queue
from peps.due import PepState, PepStatus
from peps.models import PepReminder
from peps.selectors import ChildPepStatus, pep_statuses_and_gaps
from schools.models import School
from schools.schooldays import SchoolCalendar, TermDatesMissing, academic_year_label
from schools.selectors import virtual_school_address

logger = logging.getLogger(__name__)

# Harbour's product rules (issue 4), not statutory periods: the designated teacher hears of a
# PEP 10 school days before its deadline, and the Virtual School once it is 10 school days late.
DUE_SOON_SCHOOL_DAYS = 10
VIRTUAL_SCHOOL_AFTER_SCHOOL_DAYS = 10

Kind = PepReminder.Kind


@dataclass
class SweepOutcome:
    schools: int = 0
    digests: int = 0
    items: int = 0
    virtual_school_notices: int = 0
    skipped: list[str] = field(default_factory=list)  # schools whose term dates stop short


@dataclass(frozen=True)
class Item:
    """One thing to tell a teacher: a child's PEP for a term, of one kind."""

    kind: str
    period: str  # "" or the ISO week of an overdue reminder
    child: ChildPepStatus
    status: PepStatus

    @property
    def pupil(self):
        return self.child.pupil

    @property
    def url(self) -> str:
        return settings.SITE_URL + reverse("peps:pupil_peps", args=[self.pupil.pk])

    def key(self, teacher) -> str:
        period = f"-{self.period}" if self.period else ""
        return f"pep-{self.kind}-p{self.pupil.pk}-t{self.status.term.pk}{period}-u{teacher.pk}"


def _kind(status: PepStatus, today: dt.date) -> tuple[str, str] | None:
    if status.state == PepState.OVERDUE:
        year, week, _ = today.isocalendar()
        return Kind.OVERDUE, f"{year}-W{week:02d}"
    if status.state in (PepState.DUE, PepState.UPCOMING) and status.deadline is not None:
        if status.deadline == today:
            return Kind.DUE_TODAY, ""
        if status.school_days_left is not None and status.school_days_left <= DUE_SOON_SCHOOL_DAYS:
            return Kind.DUE_SOON, ""
    return None


def pep_reminders_sweep(*, today: dt.date) -> SweepOutcome:
    """Send the reminders due on ``today`` for every school; safe to run any number of times."""
    outcome = SweepOutcome()
    for school in School.objects.order_by("pk"):
        try:
            _sweep_school(school, today=today, outcome=outcome)
        except TermDatesMissing as error:
            outcome.skipped.append(school.name)
            logger.warning(
                "peps: reminders skipped, term dates missing",
                extra={"school": school.pk, "academic_year": error.academic_year},
            )
    return outcome


@transaction.atomic
def _sweep_school(school: School, *, today: dt.date, outcome: SweepOutcome) -> None:
    # One sweep of a school at a time: a second waits here and then finds every item told.
    School.objects.select_for_update().filter(pk=school.pk).first()
    calendar = SchoolCalendar.for_school(school)
    if not calendar.covers(today):
        if not calendar.terms:
            return  # a school that has not started with Harbour yet
        calendar.is_school_day(today)  # raises TermDatesMissing
    if not calendar.is_school_day(today):
        return
    outcome.schools += 1
    found = pep_statuses_and_gaps(school, today=today, calendar=calendar)
    # A time in care whose start Harbour guessed (a CTF gives none) sets no deadline anyone is
    # told about: the child's page asks the designated teacher to confirm the date first.
    children = [
        child
        for child in found.children
        if all(e.start_date_confirmed for e in getattr(child.pupil, "in_care_episodes", []))
    ]
    missing = [
        MissingYear(academic_year_label(year), len(pupils))
        for year, pupils in sorted(found.term_dates_missing.items())
    ]
    items = []
    for child in children:
        for status in child.statuses:
            kind = _kind(status, today)
            if kind is not None:
                items.append(Item(kind[0], kind[1], child, status))
    teachers = list(
        Membership.objects.filter(school=school, role=Role.DESIGNATED_TEACHER, user__is_active=True)
        .select_related("user")
        .order_by("user__pk")
    )
    for membership in teachers:
        _digest(school, membership.user, items, missing, today=today, outcome=outcome)
    names = ", ".join(m.user.full_name for m in teachers)
    for child in children:
        for status in child.statuses:
            _tell_virtual_school(school, child, status, teachers=names, outcome=outcome)


@dataclass(frozen=True)
class MissingYear:
    """A school year without term dates, and how many children's deadlines fall in it."""

    label: str  # "2027 to 2028"
    children: int


def _digest(
    school,
    teacher,
    items: list[Item],
    missing: list[MissingYear],
    *,
    today: dt.date,
    outcome: SweepOutcome,
) -> None:
    keys = {item.key(teacher): item for item in items}
    told = set(PepReminder.objects.filter(key__in=keys).values_list("key", flat=True))
    new = {key: item for key, item in keys.items() if key not in told}
    if not new and not missing:
        return
    if not new:
        # Only the missing term dates to tell: once a week (the outbox key carries the week).
        year, week, _ = today.isocalendar()
        names = "-".join(m.label.replace(" to ", "-") for m in missing)
        key = (
            f"pep-reminders-term-dates-missing-s{school.pk}-u{teacher.pk}"
            f"-{year}-W{week:02d}-{names}"
        )
        if OutboxMessage.objects.filter(dedupe_key=key).exists():
            return
        message_queue(
            recipient=teacher.email,
            template="pep_reminders",
            context={"teacher": teacher, "items": [], "missing": missing},
            dedupe_key=key,
            school=school,
        )
        outcome.digests += 1
        return
    digest = hashlib.sha256("\n".join(sorted(new)).encode()).hexdigest()[:16]
    by_kind = {kind: [i for i in new.values() if i.kind == kind] for kind in Kind.values}
    message = message_queue(
        recipient=teacher.email,
        template="pep_reminders",
        context={
            "teacher": teacher,
            "items": list(new.values()),
            "overdue": by_kind[Kind.OVERDUE],
            "due_today": by_kind[Kind.DUE_TODAY],
            "due_soon": by_kind[Kind.DUE_SOON],
            "missing": missing,
        },
        dedupe_key=f"pep-reminders-s{school.pk}-u{teacher.pk}-{today.isoformat()}-{digest}",
        school=school,
    )
    PepReminder.objects.bulk_create(
        PepReminder(
            key=key,
            pupil=item.pupil,
            term_id=item.status.term.pk,
            kind=item.kind,
            message=message,
        )
        for key, item in new.items()
    )
    outcome.digests += 1
    outcome.items += len(new)


def _tell_virtual_school(school, child, status, *, teachers: str, outcome: SweepOutcome) -> None:
    if status.state != PepState.OVERDUE:
        return
    if (status.school_days_overdue or 0) < VIRTUAL_SCHOOL_AFTER_SCHOOL_DAYS:
        return
    virtual_school = child.virtual_school
    if virtual_school is None:
        return
    # The notice names the child: it goes only to an address the school has confirmed.
    address = virtual_school_address(school, virtual_school)
    if not address.email or not address.confirmed:
        return
    key = f"pep-{child.pupil.pk}-t{status.term.pk}-overdue-virtual-school"
    if PepReminder.objects.filter(key=key).exists():
        return
    message = message_queue(
        recipient=address.email,
        template="pep_overdue_virtual_school",
        context={
            "pupil": child.pupil,
            "status": status,
            "virtual_school": virtual_school,
            "teachers": teachers,
        },
        dedupe_key=key,
        school=school,
        pupil=child.pupil,
    )
    PepReminder.objects.create(
        key=key,
        pupil=child.pupil,
        term_id=status.term.pk,
        kind=Kind.VIRTUAL_SCHOOL_OVERDUE,
        message=message,
    )
    outcome.virtual_school_notices += 1
