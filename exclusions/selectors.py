"""Reads of the pathway: a child's exclusions page, the school's register, the notices log, the
content of each notice, and what the PEP's exclusions section is filled with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from exclusions import rules
from exclusions.models import (
    AlternativeTried,
    Exclusion,
    Recipient,
    ReducedTimetable,
    StatutoryNotice,
    SuspensionRisk,
)
from schools.schooldays import SchoolCalendar, TermDatesMissing

Kind = Exclusion.Kind


@dataclass
class ExclusionView:
    """One exclusion with what the law asks of it, as of ``today``."""

    exclusion: Exclusion
    board: rules.BoardReview | None
    provision_due: dt.date | None
    provision_missing: bool
    notices_late: int
    notices: list[StatutoryNotice] = field(default_factory=list)


def spans_of(exclusions) -> list[rules.Served]:
    spans = []
    for s in exclusions:
        if s.kind != Kind.SUSPENSION:
            continue
        span = rules.served(
            start=s.start_date,
            last_day=s.last_day,
            lunchtimes=s.unit == Exclusion.Unit.LUNCHTIMES,
            cancelled_on=s.cancelled_on,
        )
        if span:
            spans.append(span)
    return spans


def exclusion_view(
    exclusion: Exclusion, *, calendar: SchoolCalendar, spans, today: dt.date, day_one: bool
) -> ExclusionView:
    board = None
    provision_due = None
    try:
        if not exclusion.is_cancelled:
            term = calendar.term_for(exclusion.start_date)
            term_days = rules.days_in_term(calendar, spans, term) if term else Decimal(0)
            board = rules.board_review(
                calendar,
                decided_on=exclusion.decided_on,
                term_days=term_days,
                permanent=exclusion.is_permanent,
                public_exam_missed=exclusion.public_exam_missed,
            )
            provision_due = rules.needs_provision(
                calendar,
                start=exclusion.start_date,
                last_day=exclusion.last_day,
                in_care=exclusion.in_care,
                day_one_in_care=day_one,
            )
    except TermDatesMissing:
        pass
    notices = list(exclusion.notices.all())
    return ExclusionView(
        exclusion=exclusion,
        board=board,
        provision_due=provision_due,
        provision_missing=provision_due is not None
        and not exclusion.provision
        and not exclusion.is_cancelled,
        notices_late=sum(1 for n in notices if n.sent_at is None and n.due_by < today),
        notices=notices,
    )


@dataclass
class PupilExclusions:
    risks: list[SuspensionRisk]
    exclusions: list[ExclusionView]
    timetables: list[ReducedTimetable]
    year_days: Decimal
    year_days_left: Decimal
    repeated: bool


def pupil_exclusions(pupil, *, today: dt.date, day_one: bool) -> PupilExclusions:
    """Everything on a child's exclusions tab. Five queries and the calendar's two."""
    calendar = SchoolCalendar.for_school(pupil.school)
    risks = list(
        pupil.suspension_risks.select_related("opened_by").prefetch_related(
            Prefetch("alternatives", queryset=AlternativeTried.objects.order_by("started_on"))
        )
    )
    exclusions = list(
        pupil.exclusions.select_related("decided_by").prefetch_related(
            Prefetch("notices", queryset=StatutoryNotice.objects.select_related("message"))
        )
    )
    spans = spans_of(exclusions)
    try:
        year_days = rules.days_in_year(calendar, spans, today)
    except TermDatesMissing:
        year_days = Decimal(0)
    first, last = rules.year_bounds(today)
    live = [e for e in exclusions if e.kind == Kind.SUSPENSION and not e.is_cancelled]
    in_year = sum(1 for e in live if first <= e.start_date <= last)
    try:
        term = calendar.term_for(today) or None
    except TermDatesMissing:
        term = None
    in_term = sum(1 for e in live if term.first_day <= e.start_date <= term.last_day) if term else 0
    return PupilExclusions(
        risks=risks,
        exclusions=[
            exclusion_view(e, calendar=calendar, spans=spans, today=today, day_one=day_one)
            for e in exclusions
        ],
        timetables=list(pupil.reduced_timetables.all()),
        year_days=year_days,
        year_days_left=rules.YEAR_LIMIT_DAYS - year_days,
        repeated=rules.repeated(in_term, in_year),
    )


def register_rows(school, *, year: int) -> QuerySet[Exclusion]:
    """The school's suspensions and exclusions in the academic year starting ``year``: one
    query with the child and the decider."""
    return (
        Exclusion.objects.filter(
            pupil__school=school,
            start_date__gte=dt.date(year, 9, 1),
            start_date__lte=dt.date(year + 1, 8, 31),
        )
        .select_related("pupil", "decided_by")
        .order_by("-start_date", "-pk")
    )


def open_risks(school) -> QuerySet[SuspensionRisk]:
    """Children at risk of suspension, the risk still open: one query with the child."""
    return (
        SuspensionRisk.objects.filter(pupil__school=school, closed_on__isnull=True)
        .select_related("pupil")
        .order_by("opened_on", "pk")
    )


def timetables_in_force(school, *, today: dt.date) -> QuerySet[ReducedTimetable]:
    """Reduced timetables not ended, the review soonest first: one query with the child."""
    return (
        ReducedTimetable.objects.filter(pupil__school=school, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .select_related("pupil")
        .order_by("review_on", "pk")
    )


def notices_log(school) -> QuerySet[StatutoryNotice]:
    """Every statutory notice of the school, newest first: one query."""
    return (
        StatutoryNotice.objects.filter(pupil__school=school)
        .select_related("pupil", "message", "exclusion")
        .order_by("-created_at", "-pk")
    )


def notices_late(school, *, today: dt.date) -> QuerySet[StatutoryNotice]:
    """Notices not sent by the end of the school day after the decision."""
    return (
        notices_log(school)
        .filter(due_by__lt=today, delivered_at__isnull=True)
        .exclude(message__sent_at__isnull=False)
    )


def notice_context(notice: StatutoryNotice) -> dict:
    """What a notice says (DOMAIN.md 2.3): to the parents the reasons, the length (or that it is
    permanent), the right to make representations to the governing board and the education
    arranged; the same to the local authority; to the social worker, plus the board's meeting
    dates; to the Virtual School, plus an invitation to any board meeting."""
    exclusion = notice.exclusion
    pupil = notice.pupil
    context: dict = {
        "notice": notice,
        "pupil": pupil,
        "school_name": pupil.school.name,
        "purpose": notice.purpose,
        "recipient_group": notice.recipient,
        "invite_to_board": notice.recipient == Recipient.VIRTUAL_SCHOOL,
        "board_dates": notice.recipient in (Recipient.SOCIAL_WORKER, Recipient.VIRTUAL_SCHOOL),
    }
    if exclusion is None:
        return context
    calendar = SchoolCalendar.for_school(pupil.school)
    spans = spans_of(pupil.exclusions.all())
    view = exclusion_view(
        exclusion,
        calendar=calendar,
        spans=spans,
        today=exclusion.decided_on,
        day_one=_day_one(pupil.school),
    )
    context.update(
        {
            "exclusion": exclusion,
            "board": view.board,
            "provision_due": view.provision_due,
            "days": exclusion.days,
        }
    )
    return context


def _day_one(school) -> bool:
    from exclusions.services import settings_for

    return settings_for(school).in_care_provision_from_day_one


@dataclass(frozen=True)
class PepExclusions:
    suspensions: int
    suspension_days: Decimal


def pep_exclusions(pupil, *, on: dt.date) -> PepExclusions:
    """The PEP's "attendance and exclusions" numbers for the school year of ``on``: suspensions
    not cancelled, and the school days they count."""
    calendar = SchoolCalendar.for_school(pupil.school)
    exclusions = list(pupil.exclusions.filter(kind=Kind.SUSPENSION))
    first, last = rules.year_bounds(on)
    count = sum(1 for e in exclusions if not e.is_cancelled and first <= e.start_date <= last)
    return PepExclusions(count, rules.days_in_year(calendar, spans_of(exclusions), on))
