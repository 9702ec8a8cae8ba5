"""Demo PEPs and SDQ scores for the demo school's children in care (``demo.pupils``), read
from ``demo/data/peps.toml``, so that on the day the demo is loaded a designated teacher sees a
term's work in every state:

* last term's PEP completed, with targets to review in this term's PEP (Tyler, Mason), one of
  them with this term's PEP already started as a draft and half written up (Amelia);
* this term's PEP completed, reviewing last term's targets (Jade, Ruby, Leila); Ruby's last PEP
  was corrected, so it has a version 2 that supersedes version 1;
* first PEPs after coming into care: Kai's and Sofia's (held late, unless their deadline is
  still to come, when they show as due);
* one overdue: Ethan, whose last term's PEP was never held;
* one new to care whose first PEP is due within 20 school days: Daisy, added here because the
  pupils demo dates care in whole months (she came into care 6 school days before the demo's
  day, after a Child in Need plan, so her first PEP is due in 14 school days);
* carer and teacher SDQ scores (and two self-reports), with Ethan's carer SDQ more than 12
  months old so the "no carer SDQ" flag shows (Daisy, new to care, has none yet either).

Which term is "this term" and "last term" follows the day it is loaded (any day of a year whose
term dates are entered; in a holiday, this term is the next one, so nothing is done for it
yet). Everything is written through ``peps.services`` and ``pupils.services`` as the designated
teacher, so the demo leaves the audit trail and outbox messages a school's own PEPs leave. The
one thing written directly is each completed PEP's ``completed_at``: a service stamps "now",
and a PEP held last term should not read as completed on the day the demo was loaded.

Running it again changes nothing: a child who already has a PEP or an SDQ is left alone. Every
name and word in it is invented.

Each completed PEP's PDF is queued as a report run that the worker makes and then sends to the
child's Virtual School; the demo's children point at the Virtual School directory, whose
addresses are real. ``make run`` writes mail to files, so
nothing leaves the machine; ``manage.py load_demo`` refuses to run where email is delivered.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from demo.datafile import check_keys, read_datafile
from demo.pupils import (
    birth_date,
    confirm_demo_address,
    demo_authorities,
    demo_upn,
    demo_virtual_school,
)
from peps import services
from peps.due import PepState, PepStatus, previous_term, term_pep_status
from peps.models import (
    AttainmentScale,
    PepAttendee,
    PersonalEducationPlan,
    TargetArea,
    TargetReview,
)
from peps.selectors import child_facts, pep_rule, targets_to_review
from pupils import services as pupil_services
from pupils.models import ContactKind, EpisodeKind, Pupil, SenStatus
from schools.models import Term
from schools.schooldays import SchoolCalendar, TermDates, TermDatesMissing, academic_year_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attendee:
    role: str
    name: str
    attendance: str

    def __post_init__(self):
        PepAttendee.Role(self.role)
        PepAttendee.Attendance(self.attendance)


@dataclass(frozen=True)
class Attainment:
    subject: str
    current: str
    expected: str
    notes: str = ""


@dataclass(frozen=True)
class Review:
    """The outcome of one of the last PEP's targets, in that PEP's order."""

    outcome: str
    evidence: str

    def __post_init__(self):
        TargetReview.Outcome(self.outcome)


@dataclass(frozen=True)
class Target:
    area: str
    action: str
    success_measure: str = ""
    responsible: str = ""
    due_in_weeks: int | None = None  # due this many weeks after the meeting
    pp_plus_amount: int = 0
    pp_plus_purpose: str = ""

    def __post_init__(self):
        TargetArea(self.area)


@dataclass(frozen=True)
class Meeting:
    """What was said and agreed at one PEP meeting: the PEP's own fields, by their names."""

    meeting_place: str
    voice_going_well: str
    voice_hard: str = ""
    voice_would_like: str = ""
    voice_how_helped: str = ""
    voice_how_gathered: str = ""
    carer_views: str = ""
    social_worker_views: str = ""
    attendees: tuple[Attendee, ...] = ()
    attainment_scale: str = AttainmentScale.SECONDARY
    attainment: tuple[Attainment, ...] = ()
    reviews: tuple[Review, ...] = ()
    targets: tuple[Target, ...] = ()
    attendance_percent: float | None = None
    suspensions: int | None = 0
    suspension_days: float | None = None
    attendance_notes: str = ""
    sen_notes: str = ""
    transition_plans: str = ""
    next_meeting: bool = True  # a next meeting booked 12 weeks on

    @classmethod
    def from_data(cls, entry: dict[str, Any], where: str) -> Meeting:
        check_keys(cls, entry, where)
        AttainmentScale(entry.get("attainment_scale", AttainmentScale.SECONDARY))
        parts = {
            "attendees": Attendee,
            "attainment": Attainment,
            "reviews": Review,
            "targets": Target,
        }
        for key, part in parts.items():
            for item in entry.get(key, ()):
                check_keys(part, item, f"{where}, {key}")
        return cls(
            **entry
            | {
                key: tuple(part(**item) for item in entry.get(key, ()))
                for key, part in parts.items()
            }
        )


@dataclass(frozen=True)
class Sdq:
    informant: str
    days_ago: int
    emotional: int
    conduct: int
    hyperactivity: int
    peer: int
    prosocial: int
    impact: int | None = None


@dataclass(frozen=True)
class Correction:
    """Last term's PEP corrected: one subject's current attainment put right."""

    reason: str
    subject: str
    current: str


KINDS = ("ahead", "draft", "review", "overdue")


@dataclass(frozen=True)
class Plan:
    """One child's PEPs. ``kind``: "ahead" (last term's and this term's PEPs completed),
    "draft" (last term's completed, this term's a draft), "review" (last term's completed,
    this term's not started), "overdue" (last term's never held)."""

    forename: str
    surname: str
    kind: str
    last: Meeting | None = None
    this: Meeting | None = None
    sdqs: tuple[Sdq, ...] = ()
    correction: Correction | None = None
    late: bool = False  # a first PEP held two school days after its deadline
    offset: int = 5  # school days before the deadline the meeting was held

    @classmethod
    def from_data(cls, entry: dict[str, Any]) -> Plan:
        where = f"peps.toml, {entry.get('forename')} {entry.get('surname')}"
        check_keys(cls, entry, where)
        if entry.get("kind") not in KINDS:
            raise ValueError(f"{where}: kind is one of {', '.join(KINDS)}")
        for sdq in entry.get("sdqs", ()):
            check_keys(Sdq, sdq, f"{where}, sdqs")
        if "correction" in entry:
            check_keys(Correction, entry["correction"], f"{where}, correction")
        last, this = entry.get("last"), entry.get("this")
        return cls(
            **entry
            | {
                "last": Meeting.from_data(last, f"{where}, last") if last else None,
                "this": Meeting.from_data(this, f"{where}, this") if this else None,
                "sdqs": tuple(Sdq(**sdq) for sdq in entry.get("sdqs", ())),
                "correction": Correction(**entry["correction"]) if "correction" in entry else None,
            }
        )


@dataclass(frozen=True)
class NewToCare:
    """A child who came into care days before the demo's day (the pupils data dates care in
    whole months), so that her first PEP is due within 20 school days."""

    forename: str
    surname: str
    sex: str
    year: int
    birthday: str  # "MM-DD": the year follows from ``year``
    admitted: str  # "MM-DD" in the school year she started Reception
    upn_serial: int
    first_pep_due_in_school_days: int
    child_in_need_weeks: int  # how long her Child in Need plan ran before she came into care
    basis: str
    la: str
    free_school_meals: bool
    contacts: tuple[dict[str, Any], ...]


def demo_plans() -> list[Plan]:
    return [Plan.from_data(entry) for entry in read_datafile("peps")["plans"]]


def demo_new_to_care() -> NewToCare:
    entry = read_datafile("peps")["new_to_care"]
    check_keys(NewToCare, entry, "peps.toml, new_to_care")
    for contact in entry["contacts"]:
        ContactKind(contact["kind"])
    return NewToCare(**entry | {"contacts": tuple(entry["contacts"])})


@transaction.atomic
def load_demo_peps(
    school, *, today: dt.date, by: User | None = None
) -> list[PersonalEducationPlan]:
    """Write the demo PEPs and SDQ scores of ``school``'s demo children as of ``today``.
    Idempotent. Returns the PEPs written (none on a second run)."""
    by = by or (
        User.objects.filter(
            memberships__school=school, memberships__role=Role.DESIGNATED_TEACHER
        ).first()
    )
    if by is None:
        logger.warning("peps demo: %s has no designated teacher to write PEPs as", school)
        return []
    calendar = SchoolCalendar.for_school(school)
    terms = _this_and_last_term(calendar, today)
    if terms is None:
        logger.warning("peps demo: no term dates for %s at %s", school, today)
        return []
    this_term, last_term = terms
    written: list[PersonalEducationPlan] = []
    for plan in demo_plans():
        pupil = Pupil.objects.filter(
            school=school, legal_forename=plan.forename, legal_surname=plan.surname
        ).first()
        if pupil is None or pupil.peps.exists() or pupil.sdq_scores.exists():
            continue
        try:
            written += _load_plan(plan, pupil, calendar, this_term, last_term, today, by)
        except TermDatesMissing:
            continue  # a child whose dates reach beyond the entered term dates
    _new_to_care(school, calendar, today, by)
    return written


def _this_and_last_term(calendar, today) -> tuple[TermDates, TermDates | None] | None:
    """This term (in a holiday, the next) and the one before; None when the school's term
    dates do not reach them (Harbour cannot start a PEP then either)."""
    try:
        this_term = calendar.current_or_next_term(today)
    except TermDatesMissing:
        return None
    return this_term, previous_term(calendar, this_term)


def _status(calendar, term, pupil, today, rule) -> PepStatus | None:
    if term is None:
        return None
    try:
        return term_pep_status(
            calendar=calendar, term=term, child=child_facts(pupil), today=today, rule=rule
        )
    except TermDatesMissing:
        return None


def _load_plan(plan, pupil, calendar, this_term, last_term, today, by):
    rule = pep_rule(pupil.school)
    written = []
    last = _status(calendar, last_term, pupil, today, rule)
    if plan.kind != "overdue" and plan.last and last and last.required:
        meeting = _meeting_on_or_before_deadline(calendar, last_term, last, today, plan)
        if meeting:
            pep = _complete(pupil, last_term, plan.last, meeting, today, by)
            written.append(pep)
            if plan.correction:
                written.append(_correct(pep, plan.correction, meeting, today, by))
    this = _status(calendar, this_term, pupil, today, rule)
    if this and this.required:
        if plan.kind == "ahead" and plan.this:
            meeting = _recent_meeting(calendar, this_term, this, today, plan.offset % 5 + 1)
            if meeting:
                written.append(_complete(pupil, this_term, plan.this, meeting, today, by))
        elif plan.kind == "draft" and plan.this:
            meeting = _recent_meeting(calendar, this_term, this, today, 1)
            written.append(_draft(pupil, this_term, plan.this, meeting, today, by))
        elif this.state == PepState.OVERDUE and plan.kind != "overdue":
            # A first PEP whose deadline has passed this term: held (late, for Sofia).
            content = plan.this or plan.last
            meeting = _meeting_on_or_before_deadline(calendar, this_term, this, today, plan)
            if content and meeting:
                written.append(_complete(pupil, this_term, content, meeting, today, by))
    for sdq in plan.sdqs:
        services.sdq_record(
            pupil=pupil,
            taken_on=today - dt.timedelta(days=sdq.days_ago),
            informant=sdq.informant,
            emotional=sdq.emotional,
            conduct=sdq.conduct,
            hyperactivity=sdq.hyperactivity,
            peer=sdq.peer,
            prosocial=sdq.prosocial,
            impact=sdq.impact,
            by=by,
            today=today,
        )
    return written


# --- When the meetings were held ---------------------------------------------------------------


def _first_possible(calendar, term: TermDates, status: PepStatus) -> dt.date:
    """The first school day of ``term`` on which the child was in care and on roll."""
    start = term.first_day
    if status.care_started and status.care_started >= start:
        start = status.care_started + dt.timedelta(days=1)
    return calendar.school_day_on_or_after(start)


def _meeting_on_or_before_deadline(calendar, term, status, today, plan) -> dt.date | None:
    """``plan.offset`` school days before the deadline, or two after it for a late first PEP."""
    first = _first_possible(calendar, term, status)
    last_school_day = calendar.school_day_on_or_before(term.last_day)
    if plan.late and status.first_pep:
        late = calendar.add_school_days(status.deadline, 2)
        if late <= min(today, last_school_day):
            return late
    meeting = max(calendar.add_school_days(status.deadline, -plan.offset), first)
    meeting = min(meeting, calendar.school_day_on_or_before(today))
    return meeting if first <= meeting <= status.deadline else None


def _recent_meeting(calendar, term, status, today, back: int) -> dt.date | None:
    """``back`` school days before today (no earlier than the child could have had it), for a
    PEP held this term; None before the term has started."""
    first = _first_possible(calendar, term, status)
    latest = calendar.school_day_on_or_before(today)
    if latest < first:
        return None
    return max(calendar.add_school_days(latest, -back), first)


def _next_meeting(meeting: dt.date) -> dt.date:
    return meeting + dt.timedelta(weeks=12)


# --- Writing them ------------------------------------------------------------------------------


def _term(term: TermDates) -> Term:
    assert term.pk is not None  # a term from the school's calendar is saved
    return Term.objects.select_related("academic_year").get(pk=term.pk)


def _fill(pep, content: Meeting, meeting: dt.date | None, by) -> None:
    services.pep_update(
        pep=pep,
        by=by,
        meeting_date=meeting,
        meeting_place=content.meeting_place,
        next_meeting_date=_next_meeting(meeting) if meeting and content.next_meeting else None,
        voice_going_well=content.voice_going_well,
        voice_hard=content.voice_hard,
        voice_would_like=content.voice_would_like,
        voice_how_helped=content.voice_how_helped,
        voice_how_gathered=content.voice_how_gathered,
        carer_views=content.carer_views,
        social_worker_views=content.social_worker_views,
        sen_notes=content.sen_notes,
        attendance_percent=_decimal(content.attendance_percent),
        suspensions=content.suspensions,
        suspension_days=_decimal(content.suspension_days),
        attendance_notes=content.attendance_notes,
        attainment_scale=content.attainment_scale,
        transition_plans=content.transition_plans,
    )
    for person in content.attendees:
        services.attendee_add(
            pep=pep, role=person.role, name=person.name, attendance=person.attendance, by=by
        )
    for record in content.attainment:
        services.attainment_add(
            pep=pep,
            subject=record.subject,
            current=record.current,
            expected=record.expected,
            notes=record.notes,
            by=by,
        )
    for last_target, review in zip(targets_to_review(pep), content.reviews, strict=False):
        services.target_review(
            pep=pep, target=last_target, outcome=review.outcome, evidence=review.evidence, by=by
        )
    for target in content.targets:
        due_by = None
        if meeting and target.due_in_weeks:
            due_by = meeting + dt.timedelta(weeks=target.due_in_weeks)
        services.target_add(
            pep=pep,
            by=by,
            area=target.area,
            action=target.action,
            success_measure=target.success_measure,
            responsible=target.responsible,
            due_by=due_by,
            pp_plus_amount=Decimal(target.pp_plus_amount),
            pp_plus_purpose=target.pp_plus_purpose,
        )


def _complete(pupil, term: TermDates, content: Meeting, meeting: dt.date, today, by):
    pep = services.pep_start(pupil=pupil, term=_term(term), by=by, today=today)
    _fill(pep, content, meeting, by)
    services.pep_complete(pep=pep, by=by, today=today)
    _backdate(pep, meeting + dt.timedelta(days=1))
    return pep


def _draft(pupil, term: TermDates, content: Meeting, meeting, today, by):
    pep = services.pep_start(pupil=pupil, term=_term(term), by=by, today=today)
    _fill(pep, content, meeting, by)
    return pep


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _correct(pep, correction: Correction, meeting: dt.date, today, by):
    reason, subject, current = correction.reason, correction.subject, correction.current
    fixed = services.pep_correct(pep=pep, reason=reason, by=by)
    record = fixed.attainment.get(subject=subject)
    services.attainment_remove(record=record, by=by)
    services.attainment_add(
        pep=fixed,
        subject=subject,
        current=current,
        expected=record.expected,
        notes=record.notes,
        by=by,
    )
    services.pep_complete(pep=fixed, by=by, today=today)
    _backdate(fixed, meeting + dt.timedelta(days=8))
    return fixed


def _backdate(pep, day: dt.date) -> None:
    """Completed at four in the afternoon of ``day`` (never later than now): see the module's
    docstring."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(16, 0)))
    moment = min(moment, timezone.now())
    PersonalEducationPlan.objects.filter(pk=pep.pk).update(completed_at=moment)
    pep.completed_at = moment


# --- Daisy, new to care ------------------------------------------------------------------------


def _new_to_care(school, calendar, today, by) -> Pupil | None:
    """A child on a Child in Need plan who came into care a few school days ago, so that her
    first PEP is due in ``first_pep_due_in_school_days`` (sooner at the end of a term). Created
    once."""
    child = demo_new_to_care()
    upn = demo_upn(school, child.upn_serial)
    if Pupil.objects.filter(school=school, upn=upn).exists():
        return None
    try:
        # Due in 14 school days, or by the end of this term if it ends sooner: a child who
        # came into care any later would have her first PEP next term, out of sight.
        term = calendar.term_for(calendar.school_day_on_or_after(today))
        left = calendar.school_days_between(today, calendar.school_day_on_or_before(term.last_day))
        deadline = calendar.add_school_days(today, min(left, child.first_pep_due_in_school_days))
        came_into_care = calendar.add_school_days(deadline, -pep_rule(school).first_pep_school_days)
    except TermDatesMissing:
        return None
    birth_month, birth_day = (int(part) for part in child.birthday.split("-"))
    born = birth_date(child.year, birth_month, today, day=birth_day)
    # She started in Reception, ``year`` school years ago.
    admitted_month, admitted_day = (int(part) for part in child.admitted.split("-"))
    reception_year = academic_year_of(today) - child.year + (admitted_month < 9)
    admitted = dt.date(reception_year, admitted_month, admitted_day)
    authority = demo_virtual_school(demo_authorities()[child.la])
    confirm_demo_address(school, authority, by=by)
    pupil = pupil_services.pupil_create(
        school=school,
        by=None,
        today=today,
        legal_forename=child.forename,
        legal_surname=child.surname,
        date_of_birth=born,
        sex=child.sex,
        upn=upn,
        admission_date=admitted,
        sen_status=SenStatus.NONE,
        free_school_meals=child.free_school_meals,
    )
    pupil_services.care_episode_add(
        pupil=pupil,
        by=None,
        kind=EpisodeKind.CHILD_IN_NEED_PLAN,
        start_date=came_into_care - dt.timedelta(weeks=child.child_in_need_weeks),
        end_date=came_into_care,
        responsible_authority=authority,
    )
    pupil_services.care_episode_add(
        pupil=pupil,
        by=None,
        kind=EpisodeKind.IN_CARE,
        start_date=came_into_care,
        legal_basis=child.basis,
        responsible_authority=authority,
    )
    for contact in child.contacts:
        details = dict(contact)
        kind = details.pop("kind")
        if kind == ContactKind.VIRTUAL_SCHOOL_ADVISER:
            details["virtual_school"] = authority
        elif kind == ContactKind.KEY_ADULT:
            details["user"] = by  # the designated teacher writing the demo
        pupil_services.contact_add(
            pupil=pupil, by=None, kind=kind, start_date=came_into_care, **details
        )
    return pupil
