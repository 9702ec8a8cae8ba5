"""Writes of the suspension and exclusion pathway. Each service is atomic, guards the state it
starts from, refuses with a ``ValidationError`` a teacher can act on, writes the audit event
and queues its emails in the outbox inside the same transaction.

Who may call what is the views' ``@requires``: deciding or cancelling needs
``DECIDE_EXCLUSION`` (DOMAIN.md 2.2: only the headteacher may suspend or exclude); the risk,
the consultation, the alternatives, provision, reintegration, the board's meeting, notices
delivered and reduced timetables need ``EDIT_ATTENDANCE_EXCLUSIONS``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from accounts.roles import Role
from core.audit import audit_record
from exclusions import rules
from exclusions.audit import ExclusionAction
from exclusions.models import (
    AlternativeKind,
    AlternativeTried,
    Exclusion,
    ExclusionSettings,
    Recipient,
    ReducedTimetable,
    StatutoryNotice,
    SuspensionRisk,
    WholeSchoolSuspensions,
)
from notifications.services import message_queue
from pupils.cohort import IN_CARE, PREVIOUSLY_IN_CARE
from pupils.models import ContactKind, Pupil
from schools.schooldays import SchoolCalendar
from schools.selectors import virtual_school_address

Kind = Exclusion.Kind
Purpose = StatutoryNotice.Purpose


def _audit(action, *, pupil: Pupil, obj, by, request, fields=(), values=None) -> None:
    """The event of a write to ``obj``, one of ``pupil``'s records, by ``by``."""
    audit_record(
        action=action,
        request=request,
        actor=by,
        school=pupil.school,
        obj=obj,
        pupil_id=pupil.pk,
        fields=fields,
        values=values,
    )


def settings_for(school) -> ExclusionSettings:
    """The school's settings, or the defaults (unsaved) before anyone has changed them."""
    return ExclusionSettings.objects.filter(school=school).first() or ExclusionSettings(
        school=school
    )


def in_care_on(pupil: Pupil, day: dt.date) -> bool:
    return pupil.care_episodes.filter(kind=IN_CARE).in_force_on(day).exists()


def previously_in_care_on(pupil: Pupil, day: dt.date) -> bool:
    return pupil.care_episodes.filter(kind=PREVIOUSLY_IN_CARE).in_force_on(day).exists()


# --- Risk, consultation, alternatives --------------------------------------------------------


@transaction.atomic
def risk_open(
    *, pupil: Pupil, by, today: dt.date, behaviour: str, risk: str, request=None
) -> SuspensionRisk:
    """Open a risk of suspension (The Leys, Bushey Heath: the DT acts as soon as a child is
    at risk)."""
    if not behaviour.strip() or not risk.strip():
        raise ValidationError("Describe the behaviour and the risk.")
    record = SuspensionRisk.objects.create(
        pupil=pupil, opened_on=today, opened_by=by, behaviour=behaviour, risk=risk
    )
    _audit(
        ExclusionAction.RISK_OPENED,
        pupil=pupil,
        obj=record,
        by=by,
        request=request,
        fields=["behaviour", "risk"],
        values={"opened_on": today},
    )
    return record


@transaction.atomic
def risk_consultation_record(
    *,
    risk: SuspensionRisk,
    by,
    today: dt.date,
    consulted_on: dt.date | None,
    adviser: str = "",
    advice: str = "",
    parents_consent_on: dt.date | None = None,
    request=None,
) -> SuspensionRisk:
    """Record the Virtual School consultation and, for a child previously in care, the parents'
    consent that came before it (The Leys: the DT talks to the parents before seeking the
    Virtual School's advice; Bassingbourn 3.4: "with consent from the carers / parents")."""
    pupil = risk.pupil
    for name, day in (("consulted_on", consulted_on), ("parents_consent_on", parents_consent_on)):
        if day is not None and day > today:
            raise ValidationError({name: "The date cannot be in the future"})
    no_consent = parents_consent_on is None or (
        consulted_on is not None and parents_consent_on > consulted_on
    )
    if consulted_on is not None and no_consent and previously_in_care_on(pupil, consulted_on):
        raise ValidationError(
            {
                "parents_consent_on": f"{pupil.display_name} was previously in care: record "
                "the parents' consent, given on or before the consultation, before any "
                "contact with the Virtual School."
            }
        )
    changed = [
        name
        for name, value in (
            ("consulted_on", consulted_on),
            ("adviser", adviser),
            ("advice", advice),
            ("parents_consent_on", parents_consent_on),
        )
        if getattr(risk, name) != value
    ]
    risk.consulted_on, risk.adviser, risk.advice = consulted_on, adviser, advice
    risk.parents_consent_on = parents_consent_on
    risk.save()
    _audit(
        ExclusionAction.RISK_CONSULTATION_RECORDED,
        pupil=pupil,
        obj=risk,
        by=by,
        request=request,
        fields=changed,
        values={"consulted_on": consulted_on, "parents_consent_on": parents_consent_on},
    )
    return risk


@transaction.atomic
def risk_virtual_school_tell(
    *, risk: SuspensionRisk, by, today: dt.date, request=None
) -> StatutoryNotice:
    """Tell the Virtual School now that a child in care is likely to be suspended (DOMAIN.md
    2.3: the DT contacts the VSH as soon as possible)."""
    pupil = risk.pupil
    if not in_care_on(pupil, today):
        raise ValidationError(
            f"{pupil.display_name} is not in care today: the Virtual School is contacted for a "
            "child previously in care only with the parents' consent, by the designated teacher."
        )
    calendar = SchoolCalendar.for_school(pupil.school)
    email, held = _virtual_school_email(pupil, today)
    notice = StatutoryNotice.objects.create(
        risk=risk,
        pupil=pupil,
        purpose=Purpose.AT_RISK,
        recipient=Recipient.VIRTUAL_SCHOOL,
        email=email,
        held_because=held,
        due_by=rules.notice_due_by(calendar, today),
    )
    _queue_notice(notice, by=by)
    _audit(
        ExclusionAction.RISK_VIRTUAL_SCHOOL_TOLD,
        pupil=pupil,
        obj=risk,
        by=by,
        request=request,
    )
    return notice


@transaction.atomic
def alternative_add(
    *,
    risk: SuspensionRisk,
    by,
    kind: str,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    other: str = "",
    outcome: str = "",
    request=None,
) -> AlternativeTried:
    """Record an alternative tried before any suspension (the seeds: "we will explore
    alternative positive options")."""
    if kind == AlternativeKind.OTHER and not other.strip():
        raise ValidationError({"other": "Say what was tried"})
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": "The end date must be on or after the start date"})
    row = AlternativeTried.objects.create(
        risk=risk, kind=kind, other=other, started_on=started_on, ended_on=ended_on, outcome=outcome
    )
    _audit(
        ExclusionAction.ALTERNATIVE_ADDED,
        pupil=risk.pupil,
        obj=row,
        by=by,
        request=request,
        fields=["other", "outcome"] if other else ["outcome"],
        values={"kind": kind, "started_on": started_on, "ended_on": ended_on},
    )
    return row


@transaction.atomic
def risk_close(*, risk: SuspensionRisk, by, today: dt.date, request=None) -> SuspensionRisk:
    if not risk.is_open:
        raise ValidationError("This risk is already closed.")
    risk.closed_on = today
    risk.save(update_fields=["closed_on"])
    _audit(
        ExclusionAction.RISK_CLOSED,
        pupil=risk.pupil,
        obj=risk,
        by=by,
        request=request,
        values={"closed_on": today},
    )
    return risk


# --- The decision ----------------------------------------------------------------------------


def served_spans(pupil: Pupil, *, exclude_pk: int | None = None) -> list[rules.Served]:
    """Every suspension of ``pupil`` as the days it counts (cancelled ones: the days served)."""
    spans = []
    qs = pupil.exclusions.filter(kind=Kind.SUSPENSION)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    for s in qs:
        if s.last_day is None:
            raise ValueError(f"Suspension {s.pk} has no last day: it cannot be counted")
        span = rules.served(
            start=s.start_date,
            last_day=s.last_day,
            lunchtimes=s.unit == Exclusion.Unit.LUNCHTIMES,
            cancelled_on=s.cancelled_on,
        )
        if span is not None:
            spans.append(span)
    return spans


def _consultation(pupil: Pupil, on: dt.date) -> SuspensionRisk | None:
    return (
        pupil.suspension_risks.filter(consulted_on__isnull=False, consulted_on__lte=on)
        .order_by("-consulted_on")
        .first()
    )


@transaction.atomic
def exclusion_decide(
    *,
    pupil: Pupil,
    by,
    today: dt.date,
    kind: str,
    start_date: dt.date,
    reason: str,
    account: str,
    unit: str = Exclusion.Unit.DAYS,
    length: int | None = None,
    public_exam_missed: bool = False,
    no_consultation_reason: str = "",
    request=None,
) -> Exclusion:
    """Record the head's decision to suspend or permanently exclude ``pupil`` and queue the
    statutory notices (DOMAIN.md 2.3).

    Refuses:
    - a first day that is not a school day, or in the past (an exclusion is decided before it
      starts: "informal" exclusions are unlawful, DOMAIN.md 2.2);
    - for a child in care, a decision with no Virtual School consultation recorded on or
      before today, unless the head records why it could not happen first (the seeds: "before
      acting, we will discuss the rationale for exclusion with the Virtual School");
    - a suspension taking the child past 45 school days in the school year (DOMAIN.md 2.2).
    """
    Pupil.objects.select_for_update().filter(pk=pupil.pk).first()  # one decision at a time
    calendar = SchoolCalendar.for_school(pupil.school)
    errors: dict[str, str] = {}
    if not account.strip():
        errors["account"] = "Give the head's account of what happened"
    if start_date < today:
        errors["start_date"] = (
            "The first day cannot be in the past: an exclusion is decided and recorded before "
            "it starts"
        )
    elif not calendar.is_school_day(start_date):
        errors["start_date"] = "The first day must be a school day"
    if kind == Kind.SUSPENSION and not length:
        errors["length"] = "Enter how many school days or lunchtimes"
    if errors:
        raise ValidationError(errors)
    in_care = in_care_on(pupil, start_date) or in_care_on(pupil, today)
    risk = _consultation(pupil, today)
    if in_care and risk is None and not no_consultation_reason.strip():
        raise ValidationError(
            {
                "no_consultation_reason": ValidationError(
                    f"{pupil.display_name} is in care: record the Virtual School consultation on "
                    "the risk of suspension first. If it truly could not happen first, say why "
                    "here: the decision is then flagged on every report.",
                    code="no_consultation",
                )
            }
        )
    last_day = return_date = None
    if kind == Kind.SUSPENSION:
        assert length is not None  # refused above when missing
        lunchtimes = unit == Exclusion.Unit.LUNCHTIMES
        period = rules.suspension_period(
            calendar, start=start_date, length=length, lunchtimes=lunchtimes
        )
        last_day, return_date = period.last_day, period.return_date
        spans = served_spans(pupil)
        already = rules.days_in_year(calendar, spans, start_date)
        new_span = rules.Served(start_date, last_day, Decimal("0.5") if lunchtimes else Decimal(1))
        after = rules.days_in_year(calendar, [*spans, new_span], start_date)
        if after > rules.YEAR_LIMIT_DAYS:
            raise ValidationError(
                {
                    "length": ValidationError(
                        f"This would take {pupil.display_name} to {after:g} school days of "
                        f"suspension this school year; the law allows no more than "
                        f"{rules.YEAR_LIMIT_DAYS:g}. "
                        f"{already:g} already used, so at most "
                        f"{rules.YEAR_LIMIT_DAYS - already:g} more.",
                        code="over_45_days",
                    )
                }
            )
    else:
        length = None
        unit = Exclusion.Unit.DAYS
    exclusion = Exclusion.objects.create(
        pupil=pupil,
        risk=risk or pupil.suspension_risks.filter(closed_on__isnull=True).first(),
        kind=kind,
        start_date=start_date,
        unit=unit,
        length=length,
        last_day=last_day,
        return_date=return_date,
        reason=reason,
        account=account,
        public_exam_missed=public_exam_missed,
        no_consultation_reason=no_consultation_reason if in_care and risk is None else "",
        decided_on=today,
        decided_by=by,
        in_care=in_care,
    )
    _audit(
        ExclusionAction.DECIDED,
        pupil=pupil,
        obj=exclusion,
        by=by,
        request=request,
        fields=["account"] + (["no_consultation_reason"] if exclusion.emergency else []),
        values={
            "kind": kind,
            "start_date": start_date,
            "unit": unit,
            "length": length,
            "last_day": last_day,
            "return_date": return_date,
            "reason": reason,
            "in_care": in_care,
            "emergency": exclusion.emergency,
        },
    )
    _notices_queue(exclusion, purpose=Purpose.DECISION, by=by, today=today, calendar=calendar)
    if kind == Kind.SUSPENSION:
        _repeated_alert(exclusion, calendar=calendar, request=request, by=by)
    return exclusion


@transaction.atomic
def exclusion_cancel(
    *, exclusion: Exclusion, by, today: dt.date, reason: str, request=None
) -> Exclusion:
    """Cancel (rescind) an exclusion and tell the same recipients (DOMAIN.md 2.3: since 2023
    a head may cancel; parents, the board, the local authority, the social worker and the VSH
    are told)."""
    exclusion = Exclusion.objects.select_for_update().get(pk=exclusion.pk)
    if exclusion.is_cancelled:
        raise ValidationError("This exclusion is already cancelled.")
    if exclusion.return_date is not None and exclusion.return_date <= today:
        raise ValidationError("This suspension has ended: there is nothing left to cancel.")
    if not reason.strip():
        raise ValidationError({"cancel_reason": "Say why it is cancelled"})
    exclusion.cancelled_on, exclusion.cancelled_by = today, by
    exclusion.cancel_reason = reason
    exclusion.save(update_fields=["cancelled_on", "cancelled_by", "cancel_reason"])
    _audit(
        ExclusionAction.CANCELLED,
        pupil=exclusion.pupil,
        obj=exclusion,
        by=by,
        request=request,
        fields=["cancel_reason"],
        values={"cancelled_on": today},
    )
    calendar = SchoolCalendar.for_school(exclusion.pupil.school)
    _notices_queue(exclusion, purpose=Purpose.CANCELLATION, by=by, today=today, calendar=calendar)
    return exclusion


def _update(exclusion: Exclusion, *, action, by, request, fields: dict, values: tuple = ()):
    changed = [name for name, value in fields.items() if getattr(exclusion, name) != value]
    for name, value in fields.items():
        setattr(exclusion, name, value)
    exclusion.save(update_fields=list(fields))
    _audit(
        action,
        pupil=exclusion.pupil,
        obj=exclusion,
        by=by,
        request=request,
        fields=changed,
        values={name: fields[name] for name in values},
    )
    return exclusion


@transaction.atomic
def provision_record(
    *, exclusion: Exclusion, by, provision: str, provision_from: dt.date | None, request=None
) -> Exclusion:
    """The education arranged during the exclusion (DOMAIN.md 2.5)."""
    if not provision.strip() or provision_from is None:
        raise ValidationError("Describe the education arranged and the day it starts.")
    return _update(
        exclusion,
        action=ExclusionAction.PROVISION_RECORDED,
        by=by,
        request=request,
        fields={"provision": provision, "provision_from": provision_from},
        values=("provision_from",),
    )


@transaction.atomic
def reintegration_record(
    *,
    exclusion: Exclusion,
    by,
    today: dt.date,
    reintegration_on: dt.date,
    attendees: str,
    plan: str,
    request=None,
) -> Exclusion:
    """The reintegration meeting (DOMAIN.md 2.5: agree a return date and tell carers, the
    social worker and the VSH; never extend a suspension to hold the meeting)."""
    if reintegration_on > today:
        raise ValidationError({"reintegration_on": "Record the meeting once it has been held"})
    if not attendees.strip() or not plan.strip():
        raise ValidationError("Say who attended and what was agreed.")
    return _update(
        exclusion,
        action=ExclusionAction.REINTEGRATION_RECORDED,
        by=by,
        request=request,
        fields={
            "reintegration_on": reintegration_on,
            "reintegration_attendees": attendees,
            "reintegration_plan": plan,
        },
        values=("reintegration_on",),
    )


@transaction.atomic
def board_record(
    *,
    exclusion: Exclusion,
    by,
    today: dt.date,
    parents_asked_for_meeting: bool,
    board_met_on: dt.date | None,
    board_decision: str,
    independent_review_requested: bool,
    independent_review_outcome: str = "",
    request=None,
) -> Exclusion:
    """The governing board's meeting and decision (DOMAIN.md 2.4)."""
    if board_met_on is not None and board_met_on > today:
        raise ValidationError({"board_met_on": "Record the meeting once it has been held"})
    if board_decision and board_met_on is None:
        raise ValidationError({"board_met_on": "Enter the date the board met"})
    return _update(
        exclusion,
        action=ExclusionAction.BOARD_RECORDED,
        by=by,
        request=request,
        fields={
            "parents_asked_for_meeting": parents_asked_for_meeting,
            "board_met_on": board_met_on,
            "board_decision": board_decision,
            "independent_review_requested": independent_review_requested,
            "independent_review_outcome": independent_review_outcome,
        },
        values=(
            "parents_asked_for_meeting",
            "board_met_on",
            "board_decision",
            "independent_review_requested",
        ),
    )


# --- Notices ---------------------------------------------------------------------------------


def _in_force_contacts(pupil: Pupil, kinds, day: dt.date):
    return pupil.contacts.filter(kind__in=kinds).in_force_on(day).order_by("pk")


def _virtual_school_email(pupil: Pupil, day: dt.date) -> tuple[str, str]:
    """The address the school confirmed for the child's Virtual School (the same rule as the
    PEP's: Harbour sends a child's record only to an address someone in the school confirmed)."""
    episode = (
        pupil.care_episodes.filter(kind=IN_CARE)
        .in_force_on(day)
        .select_related("responsible_authority")
        .first()
    )
    if episode is None or episode.responsible_authority is None:
        return "", "no responsible authority recorded"
    address = virtual_school_address(pupil.school, episode.responsible_authority)
    if not address.confirmed:
        return "", "the Virtual School's address is not confirmed"
    return address.email, ""


def recipients(
    pupil: Pupil, *, on: dt.date, settings: ExclusionSettings
) -> list[tuple[str, str, str]]:
    """``(recipient, email, held_because)`` for everyone who must be told (DOMAIN.md 2.3): the
    parents (each parent or carer in force), the local authority, the social worker if the
    child has one, the Virtual School if the child is in care, and the governing board."""
    out: list[tuple[str, str, str]] = []
    parents = list(_in_force_contacts(pupil, [ContactKind.PARENT, ContactKind.CARER], on))
    if not parents:
        out.append((Recipient.PARENTS, "", "no parent or carer recorded"))
    for contact in parents:
        out.append((Recipient.PARENTS, contact.email, "" if contact.email else "no email address"))
    out.append((Recipient.LOCAL_AUTHORITY, *settings.confirmed_address("local_authority")))
    for contact in _in_force_contacts(pupil, [ContactKind.SOCIAL_WORKER], on):
        out.append(
            (Recipient.SOCIAL_WORKER, contact.email, "" if contact.email else "no email address")
        )
    if in_care_on(pupil, on):
        out.append((Recipient.VIRTUAL_SCHOOL, *_virtual_school_email(pupil, on)))
    out.append((Recipient.GOVERNING_BOARD, *settings.confirmed_address("governing_board")))
    return out


def _notices_queue(exclusion: Exclusion, *, purpose: str, by, today: dt.date, calendar) -> None:
    pupil = exclusion.pupil
    settings = settings_for(pupil.school)
    due_by = rules.notice_due_by(calendar, today)
    for recipient, email, held in recipients(pupil, on=today, settings=settings):
        notice = StatutoryNotice.objects.create(
            exclusion=exclusion,
            pupil=pupil,
            purpose=purpose,
            recipient=recipient,
            email=email,
            held_because=held,
            due_by=due_by,
        )
        _queue_notice(notice, by=by)


def _queue_notice(notice: StatutoryNotice, *, by) -> None:
    if not notice.email:
        return
    from exclusions.selectors import notice_context

    context = notice_context(notice)
    notice.message = message_queue(
        recipient=notice.email,
        template="exclusion_notice",
        context=context,
        dedupe_key=f"exclusion-notice-{notice.pk}",
        school=notice.pupil.school,
        about=notice,
        about_label=f"{notice.get_purpose_display()} notice to {notice.get_recipient_display()}",
        pupil=notice.pupil,
    )
    notice.save(update_fields=["message"])


@transaction.atomic
def notice_delivered(*, notice: StatutoryNotice, by, now: dt.datetime, request=None):
    """Staff record that the letter was posted or handed over."""
    notice = StatutoryNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.sent_at is not None:
        raise ValidationError("This notice is already recorded as sent.")
    notice.delivered_at, notice.delivered_by = now, by
    notice.save(update_fields=["delivered_at", "delivered_by"])
    _audit(
        ExclusionAction.NOTICE_DELIVERED,
        pupil=notice.pupil,
        obj=notice,
        by=by,
        request=request,
        values={"recipient": notice.recipient, "purpose": notice.purpose, "delivered_at": now},
    )
    return notice


def school_leaders(school, roles) -> list[str]:
    return list(
        Membership.objects.filter(school=school, role__in=roles, user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
        .distinct()
    )


def _repeated_alert(exclusion: Exclusion, *, calendar, request, by) -> None:
    """Bushey Heath appendix 3: a second suspension in a term or a third in a school year
    means the support is not working: tell the designated teacher and the head."""
    pupil = exclusion.pupil
    live = pupil.exclusions.filter(kind=Kind.SUSPENSION, cancelled_on__isnull=True)
    term = calendar.term_for(exclusion.start_date)
    first, last = rules.year_bounds(exclusion.start_date)
    in_year = live.filter(start_date__range=(first, last)).count()
    in_term = live.filter(start_date__range=(term.first_day, term.last_day)).count() if term else 0
    if not rules.repeated(in_term, in_year):
        return
    for email in school_leaders(pupil.school, [Role.DESIGNATED_TEACHER, Role.HEADTEACHER]):
        message_queue(
            recipient=email,
            template="exclusion_repeated",
            context={
                "pupil": pupil,
                "in_term": in_term,
                "in_year": in_year,
                "url": reverse("exclusions:pupil", args=[pupil.pk]),
            },
            dedupe_key=f"exclusion-repeated-{exclusion.pk}-{email}",
            school=pupil.school,
            pupil=pupil,
        )
    _audit(
        ExclusionAction.REPEATED_ALERT,
        pupil=pupil,
        obj=exclusion,
        by=by,
        request=request,
    )


# --- Reduced timetables ----------------------------------------------------------------------


@transaction.atomic
def reduced_timetable_add(
    *,
    pupil: Pupil,
    by,
    today: dt.date,
    starts_on: dt.date,
    hours_per_week: Decimal,
    reason: str,
    parent_agreed_on: dt.date | None,
    review_on: dt.date,
    virtual_school_agreed_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    request=None,
) -> ReducedTimetable:
    """A part-time timetable (DOMAIN.md 2.7): exceptional, temporary, agreed with the parent,
    reviewed within the school's limit (six weeks by default); for a child in care, with the
    Virtual School's agreement where the school's setting asks for it (local policy)."""
    settings = settings_for(pupil.school)
    errors: dict[str, str] = {}
    if parent_agreed_on is None:
        errors["parent_agreed_on"] = "A reduced timetable must be agreed with the parent first"
    if not reason.strip():
        errors["reason"] = "Say why: a reduced timetable is for exceptional circumstances only"
    limit = starts_on + dt.timedelta(weeks=settings.reduced_timetable_review_weeks)
    if review_on > limit:
        errors["review_on"] = (
            f"Review it no more than {settings.reduced_timetable_review_weeks} weeks after it "
            f"starts: by {limit:%-d %B %Y}"
        )
    if review_on < starts_on:
        errors["review_on"] = "The review date must be after the start"
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = "The end date must be after the start"
    if (
        settings.reduced_timetable_needs_virtual_school
        and in_care_on(pupil, starts_on)
        and virtual_school_agreed_on is None
    ):
        errors["virtual_school_agreed_on"] = (
            f"{pupil.display_name} is in care: record the Virtual School's agreement first"
        )
    if errors:
        raise ValidationError(errors)
    assert parent_agreed_on is not None  # refused above when missing
    timetable = ReducedTimetable.objects.create(
        pupil=pupil,
        starts_on=starts_on,
        ends_on=ends_on,
        hours_per_week=hours_per_week,
        reason=reason,
        parent_agreed_on=parent_agreed_on,
        virtual_school_agreed_on=virtual_school_agreed_on,
        review_on=review_on,
        created_by=by,
    )
    _audit(
        ExclusionAction.REDUCED_TIMETABLE_ADDED,
        pupil=pupil,
        obj=timetable,
        by=by,
        request=request,
        fields=["reason"],
        values={"starts_on": starts_on, "review_on": review_on, "hours_per_week": hours_per_week},
    )
    return timetable


@transaction.atomic
def reduced_timetable_review(
    *,
    timetable: ReducedTimetable,
    by,
    today: dt.date,
    next_review_on: dt.date | None,
    ends_on: dt.date | None,
    request=None,
) -> ReducedTimetable:
    """Record a review: either a next review date (within the limit from today) or an end."""
    settings = settings_for(timetable.pupil.school)
    if next_review_on is None and ends_on is None:
        raise ValidationError("Give the next review date, or the day it ends")
    limit = today + dt.timedelta(weeks=settings.reduced_timetable_review_weeks)
    if next_review_on is not None and not today < next_review_on <= limit:
        raise ValidationError(
            {"next_review_on": f"The next review must be after today and by {limit:%-d %B %Y}"}
        )
    timetable.reviewed_on = today
    if next_review_on is not None:
        timetable.review_on = next_review_on
        timetable.reminder_sent_on = None
    timetable.ends_on = ends_on
    timetable.save()
    _audit(
        ExclusionAction.REDUCED_TIMETABLE_REVIEWED,
        pupil=timetable.pupil,
        obj=timetable,
        by=by,
        request=request,
        values={"reviewed_on": today, "review_on": timetable.review_on, "ends_on": ends_on},
    )
    return timetable


# --- Settings: the local authority's and the clerk's addresses ------------------------------

SETTINGS_FIELDS = (
    "local_authority_email",
    "governing_board_email",
    "in_care_provision_from_day_one",
    "reduced_timetable_needs_virtual_school",
    "reduced_timetable_review_weeks",
)


@transaction.atomic
def settings_save(*, school, by, request=None, **values) -> ExclusionSettings:
    """Change the school's exclusions settings (the head or the administrator). A changed
    address loses its confirmation: no child's notice goes to it until someone confirms it."""
    row, _ = ExclusionSettings.objects.select_for_update().get_or_create(school=school)
    values = {name: values[name] for name in SETTINGS_FIELDS if name in values}
    for name in ("local_authority_email", "governing_board_email"):
        values[name] = (values.get(name) or "").strip()
    changed = {
        name: [getattr(row, name), v] for name, v in values.items() if getattr(row, name) != v
    }
    if not changed:
        return row
    for name, value in values.items():
        setattr(row, name, value)
    row.full_clean(exclude=["school"])
    row.save()
    audit_record(
        action=ExclusionAction.SETTINGS_CHANGED,
        request=request,
        actor=by,
        school=school,
        obj=row,
        fields=list(changed),
        values=changed,
    )
    return row


@transaction.atomic
def settings_address_confirm(
    *, school, prefix: str, email: str, by, today: dt.date, request=None
) -> list[StatutoryNotice]:
    """Record that someone in the school checked ``email`` is the right address for the local
    authority's exclusions team or the governing board's clerk (``prefix``), and send the
    notices held for want of it (not sent, not delivered by hand): they are still owed.
    ``email`` is the address the person was shown: if it has changed since, nothing is
    confirmed. Returns the notices now in the outbox."""
    if prefix not in ExclusionSettings.ADDRESSES:
        raise ValidationError("Unknown address")
    row = ExclusionSettings.objects.select_for_update().filter(school=school).first()
    if row is None or not row.address(prefix):
        raise ValidationError("Enter the address in the settings first.")
    if row.address(prefix).lower() != email.strip().lower():
        raise ValidationError(
            f"The address is now {row.address(prefix)}, not {email}. Check the new address "
            "before confirming it.",
            code="address_changed",
        )
    if not row.is_confirmed(prefix):
        setattr(row, f"{prefix}_confirmed_email", row.address(prefix))
        setattr(row, f"{prefix}_confirmed_by", by)
        setattr(row, f"{prefix}_confirmed_at", timezone.now())
        row.save()
        audit_record(
            action=ExclusionAction.SETTINGS_ADDRESS_CONFIRMED,
            request=request,
            actor=by,
            school=school,
            obj=row,
            values={"recipient": prefix, "address": row.address(prefix)},
        )
    return _held_notices_send(
        school, recipient=prefix, email=row.address(prefix), by=by, request=request
    )


def _held_notices_send(school, *, recipient: str, email: str, by, request) -> list[StatutoryNotice]:
    held = list(
        StatutoryNotice.objects.select_for_update()
        .filter(
            pupil__school=school,
            recipient=recipient,
            message__isnull=True,
            delivered_at__isnull=True,
        )
        .exclude(exclusion=None)
        .select_related("pupil__school", "exclusion")
        .order_by("pk")
    )
    for notice in held:
        notice.email, notice.held_because = email, ""
        notice.save(update_fields=["email", "held_because"])
        _queue_notice(notice, by=by)
        audit_record(
            action=ExclusionAction.NOTICE_RELEASED,
            request=request,
            actor=by,
            school=school,
            obj=notice,
            pupil_id=notice.pupil_id,
            values={"recipient": notice.recipient, "purpose": notice.purpose},
        )
    return held


WHOLE_SCHOOL_FIELDS = (
    "pupils_on_roll",
    "suspensions",
    "pupils_suspended",
    "suspension_days",
    "permanent_exclusions",
)


@transaction.atomic
def whole_school_save(*, school, academic_year: int, by, request=None, **values):
    """The whole school's suspension figures for a school year (the peers the children in
    each group are set against on the dashboard and in the governors' report)."""
    values = {name: values[name] for name in WHOLE_SCHOOL_FIELDS}
    if values["pupils_suspended"] > values["pupils_on_roll"]:
        raise ValidationError({"pupils_suspended": "More pupils suspended than on roll"})
    if values["pupils_suspended"] > values["suspensions"]:
        raise ValidationError({"pupils_suspended": "More pupils suspended than suspensions"})
    row, created = WholeSchoolSuspensions.objects.select_for_update().get_or_create(
        school=school, academic_year=academic_year, defaults={**values, "entered_by": by}
    )
    if not created:
        for name, value in values.items():
            setattr(row, name, value)
        row.entered_by = by
        row.save()
    audit_record(
        action=ExclusionAction.WHOLE_SCHOOL_ENTERED,
        request=request,
        actor=by,
        school=school,
        obj=row,
        values={"academic_year": academic_year, **values},
    )
    return row


def now() -> dt.datetime:
    return timezone.now()
