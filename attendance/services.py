"""Every change to attendance records (STYLE.md "Services"): placement moves, the school's
peer figures and thresholds, and the designated teacher's decision on each proposed notice."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from attendance.audit import AttendanceAction
from attendance.models import (
    AttendanceConcern,
    AttendanceNotice,
    AttendanceSettings,
    PeerFigures,
    PlacementMove,
)
from core.audit import audit_record
from notifications.services import message_queue
from pupils.models import Contact, ContactKind
from pupils.periods import in_force_on_q
from schools.selectors import virtual_school_address

Recipient = AttendanceNotice.Recipient


def settings_for(school) -> AttendanceSettings:
    found = AttendanceSettings.objects.filter(school=school).first()
    return found or AttendanceSettings(school=school)


# Harbour's bounds on what a school may set, not statute (the defaults are in AttendanceSettings).
THRESHOLD_RANGE = (Decimal(50), Decimal(100))
UNEXPLAINED_RANGE = (1, 20)


@transaction.atomic
def attendance_settings_update(
    *, school, threshold_percent: Decimal, unexplained_sessions: int, by
) -> AttendanceSettings:
    """Set the school's thresholds for the daily sweep (issue 10: default 90% and 4 sessions).
    The audit keeps which fields changed and their new values (numbers, never text)."""
    low, high = THRESHOLD_RANGE
    if not low <= threshold_percent <= high:
        raise ValidationError({"threshold_percent": f"Enter a percentage from {low} to {high}."})
    first, last = UNEXPLAINED_RANGE
    if not first <= unexplained_sessions <= last:
        raise ValidationError(
            {"unexplained_sessions": f"Enter a number of sessions from {first} to {last}."}
        )
    found = AttendanceSettings.objects.select_for_update().filter(school=school).first()
    found = found or AttendanceSettings(school=school)
    new = {"threshold_percent": threshold_percent, "unexplained_sessions": unexplained_sessions}
    changed = {n: v for n, v in new.items() if getattr(found, n) != v or found.pk is None}
    if not changed:
        return found
    for name, value in new.items():
        setattr(found, name, value)
    found.save()
    audit_record(
        action=AttendanceAction.SETTINGS_CHANGED,
        actor=by,
        school=school,
        obj=found,
        values={n: str(v) for n, v in changed.items()},
    )
    return found


@transaction.atomic
def placement_move_record(
    *, pupil, first_day: dt.date, last_day: dt.date, by, today: dt.date
) -> PlacementMove:
    if last_day < first_day:
        raise ValidationError({"last_day": "The last day must be on or after the first day."})
    if first_day > today:
        raise ValidationError({"first_day": "A placement move is recorded once it has begun."})
    if PlacementMove.objects.filter(
        pupil=pupil, first_day__lte=last_day, last_day__gte=first_day
    ).exists():
        raise ValidationError("These dates overlap a placement move already recorded.")
    move = PlacementMove.objects.create(
        school=pupil.school, pupil=pupil, first_day=first_day, last_day=last_day, recorded_by=by
    )
    audit_record(
        action=AttendanceAction.PLACEMENT_MOVE_RECORDED,
        actor=by,
        school=pupil.school,
        obj=move,
        pupil_id=pupil.pk,
        values={"first_day": first_day.isoformat(), "last_day": last_day.isoformat()},
    )
    return move


@transaction.atomic
def peer_figures_save(
    *,
    school,
    term,
    possible_sessions: int,
    attended_sessions: int,
    persistently_absent: int,
    on_roll: int,
    by,
) -> PeerFigures:
    if attended_sessions > possible_sessions:
        raise ValidationError(
            {"attended_sessions": "Sessions attended cannot be more than the possible sessions."}
        )
    if persistently_absent > on_roll:
        raise ValidationError(
            {"persistently_absent": "Cannot be more than the number of pupils on roll."}
        )
    values = {
        "possible_sessions": possible_sessions,
        "attended_sessions": attended_sessions,
        "persistently_absent": persistently_absent,
        "on_roll": on_roll,
    }
    figures, _ = PeerFigures.objects.update_or_create(
        school=school, term=term, defaults={**values, "entered_by": by}
    )
    audit_record(
        action=AttendanceAction.PEER_FIGURES_SAVED,
        actor=by,
        school=school,
        obj=figures,
        values=values,
    )
    return figures


def _address(notice: AttendanceNotice, *, today: dt.date) -> str:
    concern = notice.concern
    if notice.recipient == Recipient.SOCIAL_WORKER:
        contact = (
            Contact.objects.filter(
                in_force_on_q(today), pupil=concern.pupil, kind=ContactKind.SOCIAL_WORKER
            )
            .exclude(email="")
            .order_by("-start_date")
            .first()
        )
        if contact is None:
            raise ValidationError(
                "Harbour holds no email address for the child's social worker: add it on the "
                "child's record, or record that the notice was not sent and why."
            )
        return contact.email
    if notice.recipient == Recipient.VIRTUAL_SCHOOL:
        from pupils.models import Pupil
        from pupils.selectors import with_cohort

        pupil = with_cohort(Pupil.objects.filter(pk=concern.pupil_id), today=today).get()
        vs_id = pupil.authority_id  # type: ignore[attr-defined]
        if vs_id is None:
            raise ValidationError(
                "Harbour does not know which Virtual School looks after the child."
            )
        from schools.models import VirtualSchool

        address = virtual_school_address(concern.school, VirtualSchool.objects.get(pk=vs_id))
        if not address.confirmed or not address.email:
            raise ValidationError(
                "The Virtual School's address is not confirmed: confirm it on the Virtual "
                "Schools page first."
            )
        return address.email
    raise ValidationError(
        "Harbour does not send the illness return: make it on the local authority's own form, "
        "then record it here as sent another way."
    )


@transaction.atomic
def notice_send(*, notice: AttendanceNotice, by, today: dt.date) -> AttendanceNotice:
    """Send one proposed notice through the outbox, once."""
    notice = (
        AttendanceNotice.objects.select_for_update()
        .select_related("concern__pupil", "concern__school")
        .get(pk=notice.pk)
    )
    if notice.state != AttendanceNotice.State.PROPOSED:
        raise ValidationError("This notice has already been decided.")
    recipient = _address(notice, today=today)
    concern = notice.concern
    message_queue(
        recipient=recipient,
        template="attendance_notice",
        context={
            "pupil": concern.pupil,
            "concern": concern,
            "recipient_kind": notice.recipient,
            "url": settings.SITE_URL + reverse("attendance:pupil", args=[concern.pupil_id]),
        },
        dedupe_key=f"attendance-notice-{notice.pk}",
        school=concern.school,
        pupil=concern.pupil,
    )
    notice.state = AttendanceNotice.State.SENT
    notice.decided_by = by
    notice.decided_at = timezone.now()
    notice.save(update_fields=["state", "decided_by", "decided_at"])
    audit_record(
        action=AttendanceAction.NOTICE_SENT,
        actor=by,
        school=concern.school,
        obj=notice,
        pupil_id=concern.pupil_id,
        values={"recipient": notice.recipient, "state": notice.state},
    )
    return notice


@transaction.atomic
def notice_not_sent(*, notice: AttendanceNotice, reason: str, by) -> AttendanceNotice:
    notice = (
        AttendanceNotice.objects.select_for_update().select_related("concern").get(pk=notice.pk)
    )
    if notice.state != AttendanceNotice.State.PROPOSED:
        raise ValidationError("This notice has already been decided.")
    if reason not in AttendanceNotice.NotSentReason.values:
        raise ValidationError({"reason": "Choose why the notice is not sent."})
    notice.state = AttendanceNotice.State.NOT_SENT
    notice.reason = reason
    notice.decided_by = by
    notice.decided_at = timezone.now()
    notice.save(update_fields=["state", "reason", "decided_by", "decided_at"])
    audit_record(
        action=AttendanceAction.NOTICE_NOT_SENT,
        actor=by,
        school=notice.concern.school,
        obj=notice,
        pupil_id=notice.concern.pupil_id,
        values={"recipient": notice.recipient, "state": notice.state, "reason": reason},
    )
    return notice


def open_concerns(school):
    return (
        AttendanceConcern.objects.filter(school=school, recovered_on__isnull=True)
        .select_related("pupil")
        .prefetch_related("notices")
    )
