"""The daily attendance sweep (Celery beat runs ``attendance.tasks.attendance_sweep`` each
morning): opens a concern for the designated teacher when a child on roll

* attends less than the school's threshold (default 90%) over the last four weeks, or over
  the term so far (at least ``MIN_POSSIBLE`` possible sessions: a day off in the first week of
  term is not a concern);
* has ``unexplained_sessions`` (default 4) possible sessions in a row coded N, O or U
  (DOMAIN.md 1.5, guidance para 52: unexplained absence of a child with a social worker is
  reported to them); or
* has been off ill (``I``) 15 school days this school year, in a row or in all: the school must
  tell the local authority (DOMAIN.md 1.5).

Each crossing opens one concern: an open concern of the same kind and period blocks another
(a unique constraint too), and when the child is back over the line the sweep closes it, so a
later fall is a new crossing. The illness return is once a school year. A concern proposes the
notices the policies require (the social worker for a child with one; the Virtual School for a
child in care; the local authority for the illness return); the designated teacher sends them
or records why not (``attendance.services``). Each designated teacher gets one email a sweep
listing the new concerns, deduplicated in the outbox by the concerns it names; a sweep holds
the school's row lock, so two sweeps cannot both find a crossing new.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import Role
from attendance.audit import AttendanceAction
from attendance.codes import ILLNESS, POSSIBLE, UNEXPLAINED
from attendance.models import AttendanceConcern, AttendanceNotice, SessionMark
from attendance.selectors import figures_by_pupil
from attendance.services import settings_for
from core.audit import audit_record
from notifications.services import message_queue
from pupils.cohort import IN_CARE
from pupils.models import CareEpisode, Contact, ContactKind, Pupil
from pupils.periods import in_force_on_q, on_roll_on_q
from schools.models import School
from schools.schooldays import SchoolCalendar, TermDatesMissing, academic_year_of

Kind = AttendanceConcern.Kind
Recipient = AttendanceNotice.Recipient
MIN_POSSIBLE = 10  # a week of sessions: Harbour's rule, so one absence is not a "term" figure
ILLNESS_DAYS = 15  # DOMAIN.md 1.5 [S15][S16]
FOUR_WEEKS = 28


@dataclass
class SweepOutcome:
    schools: int = 0
    opened: int = 0
    recovered: int = 0
    emails: int = 0
    skipped: list[str] = field(default_factory=list)


def attendance_sweep(*, today: dt.date) -> SweepOutcome:
    outcome = SweepOutcome()
    for school in School.objects.order_by("pk"):
        try:
            _sweep_school(school, today=today, outcome=outcome)
        except TermDatesMissing:
            outcome.skipped.append(school.name)
    return outcome


def sweep_school(school: School, *, today: dt.date) -> SweepOutcome:
    """One school's sweep for ``today`` (the demo loader runs it for its last school day)."""
    outcome = SweepOutcome()
    _sweep_school(school, today=today, outcome=outcome)
    return outcome


@transaction.atomic
def _sweep_school(school: School, *, today: dt.date, outcome: SweepOutcome) -> None:
    School.objects.select_for_update().filter(pk=school.pk).first()
    calendar = SchoolCalendar.for_school(school)
    if not calendar.terms or not calendar.covers(today) or not calendar.is_school_day(today):
        return
    term = calendar.term_for(today)
    if term is None:
        return
    outcome.schools += 1
    rules = settings_for(school)
    pupils = Pupil.objects.filter(on_roll_on_q(today), school=school)
    crossings: dict[tuple[int, str, str], tuple[bool, Decimal]] = {}

    def check(figures, kind: str, period: str) -> None:
        for pupil_id, f in figures.items():
            if f.possible < MIN_POSSIBLE or f.percent is None:
                continue
            crossings[(pupil_id, kind, period)] = (f.percent < rules.threshold_percent, f.percent)

    check(
        figures_by_pupil(pupils, today - dt.timedelta(days=FOUR_WEEKS - 1), today),
        Kind.FOUR_WEEKS,
        "",
    )
    check(figures_by_pupil(pupils, term.first_day, today), Kind.TERM, str(term.first_day))

    # Runs of unexplained absence: the last four weeks' possible sessions, newest first.
    recent = (
        SessionMark.objects.filter(
            pupil__in=pupils, date__gt=today - dt.timedelta(days=FOUR_WEEKS), date__lte=today
        )
        .filter(code__in=POSSIBLE)
        .order_by("pupil_id", "-date", "-session")
        .values_list("pupil_id", "code")
    )
    runs: dict[int, int] = {}
    broken: set[int] = set()
    for pupil_id, code in recent:
        if pupil_id in broken:
            continue
        if code in UNEXPLAINED:
            runs[pupil_id] = runs.get(pupil_id, 0) + 1
        else:
            broken.add(pupil_id)
            runs.setdefault(pupil_id, 0)
    for pupil_id, run in runs.items():
        crossings[(pupil_id, Kind.UNEXPLAINED, "")] = (
            run >= rules.unexplained_sessions,
            Decimal(run),
        )

    year = academic_year_of(today)
    year_start = dt.date(year, 9, 1)
    ill = (
        SessionMark.objects.filter(pupil__in=pupils, date__gte=year_start, date__lte=today)
        .values("pupil_id")
        .annotate(days=Count("date", distinct=True, filter=Q(code=ILLNESS)))
        .filter(days__gte=ILLNESS_DAYS)
    )
    for row in ill:
        crossings[(row["pupil_id"], Kind.ILLNESS_RETURN, str(year))] = (True, Decimal(row["days"]))

    open_ = {
        (c.pupil_id, c.kind, c.period): c
        for c in AttendanceConcern.objects.filter(school=school, recovered_on__isnull=True)
    }
    told_before = set(
        AttendanceConcern.objects.filter(school=school, kind=Kind.ILLNESS_RETURN).values_list(
            "pupil_id", "period"
        )
    )
    found: list[tuple[int, str, str, Decimal]] = []
    for (pupil_id, kind, period), (crossed, figure) in sorted(crossings.items()):
        concern = open_.get((pupil_id, kind, period))
        if crossed and concern is None:
            if kind == Kind.ILLNESS_RETURN and (pupil_id, period) in told_before:
                continue
            found.append((pupil_id, kind, period, figure))
        elif not crossed and concern is not None and kind != Kind.ILLNESS_RETURN:
            concern.recovered_on = today
            concern.save(update_fields=["recovered_on"])
            audit_record(
                action=AttendanceAction.CONCERN_RECOVERED,
                school=school,
                obj=concern,
                pupil_id=pupil_id,
                values={"kind": kind, "recovered_on": today.isoformat()},
            )
            outcome.recovered += 1
    new = _open(school, found, today=today) if found else []
    outcome.opened += len(new)
    if new:
        _tell_teachers(school, new, outcome=outcome)


def _open(school, found: list[tuple[int, str, str, Decimal]], *, today) -> list[AttendanceConcern]:
    """Open the concerns ``found`` (pupil, kind, period, figure) with the notices each proposes:
    a fixed number of queries for the school plus one audit event a concern (the first morning
    over a local authority opens thousands: docs/benchmarks.md)."""
    pupil_ids = {pupil_id for pupil_id, kind, _, _ in found if kind != Kind.ILLNESS_RETURN}
    with_social_worker = set(
        Contact.objects.filter(
            in_force_on_q(today), pupil_id__in=pupil_ids, kind=ContactKind.SOCIAL_WORKER
        ).values_list("pupil_id", flat=True)
    )
    in_care = set(
        CareEpisode.objects.filter(
            in_force_on_q(today), pupil_id__in=pupil_ids, kind=IN_CARE
        ).values_list("pupil_id", flat=True)
    )
    concerns = AttendanceConcern.objects.bulk_create(
        AttendanceConcern(
            school=school,
            pupil_id=pupil_id,
            kind=kind,
            period=period,
            figure=figure,
            opened_on=today,
        )
        for pupil_id, kind, period, figure in found
    )
    notices = []
    for concern in concerns:
        recipients = []
        if concern.kind == Kind.ILLNESS_RETURN:
            recipients.append(Recipient.LOCAL_AUTHORITY)
        else:
            if concern.pupil_id in with_social_worker or concern.pupil_id in in_care:
                recipients.append(Recipient.SOCIAL_WORKER)
            if concern.pupil_id in in_care:
                recipients.append(Recipient.VIRTUAL_SCHOOL)
        notices += [AttendanceNotice(concern=concern, recipient=r) for r in recipients]
    AttendanceNotice.objects.bulk_create(notices)
    for concern in concerns:
        audit_record(
            action=AttendanceAction.CONCERN_OPENED,
            school=school,
            obj=concern,
            pupil_id=concern.pupil_id,
            values={
                "kind": concern.kind,
                "figure": str(concern.figure),
                "opened_on": today.isoformat(),
            },
        )
    return concerns


def _tell_teachers(school, concerns: list[AttendanceConcern], *, outcome: SweepOutcome) -> None:
    digest = hashlib.sha256(",".join(str(c.pk) for c in concerns).encode()).hexdigest()[:16]
    concerns = list(
        AttendanceConcern.objects.filter(pk__in=[c.pk for c in concerns])
        .select_related("pupil")
        .prefetch_related("notices")
        .order_by("pupil__legal_surname", "pk")
    )
    teachers = (
        Membership.objects.filter(school=school, role=Role.DESIGNATED_TEACHER, user__is_active=True)
        .select_related("user")
        .order_by("user__pk")
    )
    for membership in teachers:
        message_queue(
            recipient=membership.user.email,
            template="attendance_concerns",
            context={
                "teacher": membership.user,
                "concerns": concerns,
                "url": settings.SITE_URL + reverse("attendance:concerns"),
            },
            dedupe_key=f"attendance-concerns-{digest}-u{membership.user.pk}",
            school=school,
        )
        outcome.emails += 1
