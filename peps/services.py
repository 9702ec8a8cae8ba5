"""Writes to PEPs: start, save the draft, add attendees, attainment and targets, review last
term's targets, complete, correct; record SDQ scores; the school's PEP settings.

A draft may be saved at any point with any part missing. Completing checks what a Virtual
School checks (``completion_problems``) and locks the PEP: every service below refuses to
change a PEP that is not a draft. A correction is a new draft version copied from the
completed one; completing it marks the old version superseded, and the old one stays readable.

Audit entries name the fields that changed, never what was typed: the audit log is read by
school administrators, who may not see children's records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_diff, audit_record, changed_fields
from core.models import ReportRun
from core.report_runs import report_run_content, report_run_request
from peps.audit import PepAction
from peps.models import (
    SCALE_VALUES,
    AttainmentRecord,
    PepAttendee,
    PepSettings,
    PepTarget,
    PersonalEducationPlan,
    SdqScore,
    TargetReview,
)
from peps.sdq import Informant, SdqScales, validate_scales
from peps.selectors import PEP_PDF, age_on, pep_pdf_run, startable_terms, targets_to_review
from pupils import pep_hooks as hooks
from pupils.cohort import IN_CARE
from pupils.models import Pupil
from schools.models import same_address
from schools.schooldays import SchoolCalendar
from schools.selectors import VirtualSchoolAddress, virtual_school_address
from schools.services import virtual_school_address_confirm

Status = PersonalEducationPlan.Status

PEP_FIELDS = [
    "meeting_date",
    "meeting_place",
    "next_meeting_date",
    "voice_going_well",
    "voice_hard",
    "voice_would_like",
    "voice_how_helped",
    "voice_how_gathered",
    "carer_views",
    "social_worker_views",
    "virtual_school_views",
    "sen_status",
    "sen_notes",
    "attendance_percent",
    "suspensions",
    "suspension_days",
    "attendance_notes",
    "attainment_scale",
    "transition_plans",
]
TARGET_FIELDS = [
    "area",
    "action",
    "success_measure",
    "responsible",
    "due_by",
    "pp_plus_amount",
    "pp_plus_purpose",
]
SETTINGS_FIELDS = [
    "first_pep_school_days",
    "due_window_school_days",
    "termly_deadline_school_days_before_end",
    "attainment_scale",
]


# --- Guards ----------------------------------------------------------------------------------


def _locked(pep: PersonalEducationPlan) -> ValidationError:
    if pep.status == Status.SUPERSEDED:
        return ValidationError(
            "This version of the PEP has been replaced by a correction and cannot be changed.",
            code="locked",
        )
    return ValidationError(
        "This PEP is completed and locked, so it cannot be changed. If something in it is "
        "wrong, make a correction: Harbour keeps the completed version and starts a new one.",
        code="locked",
    )


def _lock_draft(pep: PersonalEducationPlan) -> None:
    """Refuse unless ``pep`` is still a draft, reading its status under a row lock so a PEP
    completed meanwhile (in another tab, by a colleague) is refused too."""
    status = (
        PersonalEducationPlan.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=pep.pk)
    )
    pep.status = status
    if status != Status.DRAFT:
        raise _locked(pep)


def _audit(
    action: PepAction,
    *,
    pep: PersonalEducationPlan,
    by,
    request=None,
    fields: Iterable[str] = (),
    **values,
) -> None:
    """``values`` are keys of ``PersonalEducationPlan.audit_values``; ``fields`` the names of
    fields that changed, whose text is not kept."""
    audit_record(
        action=action,
        actor=by,
        school=pep.pupil.school,
        obj=pep,
        pupil_id=pep.pupil_id,
        fields=fields,
        values=values,
        request=request,
    )


def _in_care_during(pupil: Pupil, first: dt.date, last: dt.date) -> bool:
    return pupil.care_episodes.filter(kind=IN_CARE).in_force_during(first, last).exists()


# --- Starting and saving ---------------------------------------------------------------------


@transaction.atomic
def pep_start(*, pupil: Pupil, term, by, today: dt.date, request=None) -> PersonalEducationPlan:
    """Start the draft PEP of ``pupil`` for ``term`` (a ``schools.models.Term``)."""
    if term.academic_year.school_id != pupil.school_id:
        raise ValidationError("Choose one of the school's terms.", code="wrong_school")
    existing = PersonalEducationPlan.objects.filter(pupil=pupil, term=term).exclude(
        status=Status.SUPERSEDED
    )
    if existing.filter(status=Status.COMPLETED).exists():
        raise ValidationError(
            f"{pupil.display_name}'s PEP for the {term} is already completed. "
            "To change it, open it and make a correction.",
            code="already_completed",
        )
    if existing.filter(status=Status.DRAFT).exists():
        raise ValidationError(
            f"A draft PEP for the {term} already exists. Continue that one.",
            code="draft_exists",
        )
    calendar = SchoolCalendar.for_school(pupil.school)
    if term.pk not in {t.pk for t in startable_terms(pupil, today=today, calendar=calendar)}:
        raise ValidationError(
            f"A PEP can be started for this term or, if it was missed, last term; not for "
            f"the {term}.",
            code="term_not_open",
        )
    if not _in_care_during(pupil, term.first_day, term.last_day):
        raise ValidationError(
            f"{pupil.display_name} is not recorded as in care during the {term}, so they need "
            "no PEP. If they are in care, add it to their status history first.",
            code="not_in_care",
        )
    settings = PepSettings.objects.filter(school_id=pupil.school_id).first()
    pep = PersonalEducationPlan.objects.create(
        pupil=pupil,
        term=term,
        sen_status=pupil.sen_status,
        attainment_scale=settings.attainment_scale if settings else PepSettings().attainment_scale,
        created_by=by,
        # Sections other apps fill (pupils.pep_hooks): exclusions, attendance.
        **hooks.pep_fields_from_providers(pupil, term=term, today=today),
    )
    _audit(PepAction.STARTED, pep=pep, by=by, request=request, term=str(term))
    return pep


def _check_dates(meeting_date, next_meeting_date) -> None:
    if meeting_date and next_meeting_date and next_meeting_date <= meeting_date:
        raise ValidationError(
            {"next_meeting_date": "The next meeting must be after this meeting"},
            code="next_meeting_before",
        )


@transaction.atomic
def pep_update(*, pep: PersonalEducationPlan, by, request=None, **fields) -> PersonalEducationPlan:
    """Save any of ``PEP_FIELDS`` on a draft; empty parts are fine until completion."""
    unknown = set(fields) - set(PEP_FIELDS)
    if unknown:
        raise TypeError(f"pep_update() does not change {', '.join(sorted(unknown))}")
    _lock_draft(pep)
    if (
        "attainment_scale" in fields
        and fields["attainment_scale"] != pep.attainment_scale
        and pep.attainment.exists()
    ):
        raise ValidationError(
            {
                "attainment_scale": "Remove the attainment already entered before changing "
                "the scale: it was entered on the other scale"
            },
            code="scale_in_use",
        )
    _check_dates(
        fields.get("meeting_date", pep.meeting_date),
        fields.get("next_meeting_date", pep.next_meeting_date),
    )
    changed = list(changed_fields(pep, fields, fields))  # the names: the values are about a child
    for name, value in fields.items():
        setattr(pep, name, value)
    pep.full_clean(exclude=["pupil", "term", "supersedes", "created_by", "completed_by"])
    pep.save()
    if changed:
        _audit(PepAction.UPDATED, pep=pep, by=by, request=request, fields=changed)
    return pep


def pep_figures_fresh(pep: PersonalEducationPlan, *, today: dt.date) -> dict:
    """The figures other apps provide (``pupils.pep_hooks``: the suspensions this school year)
    as they stand now for the draft ``pep``, as of its meeting date, where they differ from the
    draft's: the edit form starts from them and the PEP page says so. A read: nothing is
    written until the teacher saves (who may know of a suspension at a previous school)."""
    if pep.status != Status.DRAFT:
        return {}
    fresh = hooks.pep_fields_refreshed(pep, today=today)
    return {n: v for n, v in fresh.items() if n in PEP_FIELDS and getattr(pep, n) != v}


@transaction.atomic
def pep_discard(*, pep: PersonalEducationPlan, by, request=None) -> None:
    """Delete a draft that should not have been started (or a correction not wanted)."""
    _lock_draft(pep)
    _audit(PepAction.DRAFT_DISCARDED, pep=pep, by=by, request=request, version=pep.version)
    pep.delete()


# --- Attendees and attainment ----------------------------------------------------------------


@transaction.atomic
def attendee_add(
    *, pep: PersonalEducationPlan, role: str, name: str, attendance: str, by, request=None
) -> PepAttendee:
    _lock_draft(pep)
    if not name.strip():
        raise ValidationError({"name": "Enter the person's name"}, code="required")
    attendee = PepAttendee.objects.create(
        pep=pep, role=role, name=name.strip(), attendance=attendance
    )
    _audit(PepAction.ATTENDEE_ADDED, pep=pep, by=by, request=request, role=role)
    return attendee


@transaction.atomic
def attendee_remove(*, attendee: PepAttendee, by, request=None) -> None:
    _lock_draft(attendee.pep)
    _audit(PepAction.ATTENDEE_REMOVED, pep=attendee.pep, by=by, request=request, role=attendee.role)
    attendee.delete()


def _check_on_scale(pep: PersonalEducationPlan, current: str, expected: str) -> None:
    allowed = SCALE_VALUES[pep.attainment_scale]
    errors = {}
    for name, value in (("current", current), ("expected", expected)):
        if value not in allowed:
            errors[name] = f"Choose one of: {', '.join(allowed)}"
    if errors:
        raise ValidationError(errors, code="not_on_scale")


@transaction.atomic
def attainment_add(
    *,
    pep: PersonalEducationPlan,
    subject: str,
    current: str,
    expected: str,
    notes: str = "",
    by,
    request=None,
) -> AttainmentRecord:
    _lock_draft(pep)
    subject = subject.strip()
    if not subject:
        raise ValidationError({"subject": "Enter the subject"}, code="required")
    _check_on_scale(pep, current, expected)
    if pep.attainment.filter(subject__iexact=subject).exists():
        raise ValidationError(
            {"subject": f"{subject} is already in this PEP: remove it first to change it"},
            code="duplicate_subject",
        )
    record = AttainmentRecord.objects.create(
        pep=pep, subject=subject, current=current, expected=expected, notes=notes.strip()
    )
    _audit(
        PepAction.ATTAINMENT_ADDED,
        pep=pep,
        by=by,
        request=request,
        fields=["subject"],
        attainment=record.pk,
    )
    return record


@transaction.atomic
def attainment_remove(*, record: AttainmentRecord, by, request=None) -> None:
    _lock_draft(record.pep)
    _audit(
        PepAction.ATTAINMENT_REMOVED,
        pep=record.pep,
        by=by,
        request=request,
        fields=["subject"],
        attainment=record.pk,
    )
    record.delete()


# --- Targets ---------------------------------------------------------------------------------


def _check_target(fields: dict) -> None:
    amount = fields.get("pp_plus_amount")
    if amount is not None and amount < 0:
        raise ValidationError(
            {"pp_plus_amount": "The PP+ amount cannot be negative"}, code="negative"
        )


@transaction.atomic
def target_add(*, pep: PersonalEducationPlan, by, request=None, **fields) -> PepTarget:
    """Add a target to a draft. Parts may be missing until the PEP is completed."""
    unknown = set(fields) - set(TARGET_FIELDS)
    if unknown:
        raise TypeError(f"target_add() does not take {', '.join(sorted(unknown))}")
    _lock_draft(pep)
    _check_target(fields)
    fields.setdefault("pp_plus_amount", Decimal("0"))
    if fields["pp_plus_amount"] is None:
        fields["pp_plus_amount"] = Decimal("0")
    target = PepTarget.objects.create(pep=pep, **fields)
    _audit(
        PepAction.TARGET_ADDED,
        pep=pep,
        by=by,
        request=request,
        target=target.pk,
        area=target.area,
        pp_plus_amount=target.pp_plus_amount,
    )
    return target


@transaction.atomic
def target_update(*, target: PepTarget, by, request=None, **fields) -> PepTarget:
    unknown = set(fields) - set(TARGET_FIELDS)
    if unknown:
        raise TypeError(f"target_update() does not change {', '.join(sorted(unknown))}")
    _lock_draft(target.pep)
    _check_target(fields)
    if "pp_plus_amount" in fields and fields["pp_plus_amount"] is None:
        fields["pp_plus_amount"] = Decimal("0")
    changed = list(changed_fields(target, fields, fields))
    for name, value in fields.items():
        setattr(target, name, value)
    target.save()
    if changed:
        _audit(
            PepAction.TARGET_UPDATED,
            pep=target.pep,
            by=by,
            request=request,
            target=target.pk,
            fields=changed,
        )
    return target


@transaction.atomic
def target_remove(*, target: PepTarget, by, request=None) -> None:
    _lock_draft(target.pep)
    _audit(PepAction.TARGET_REMOVED, pep=target.pep, by=by, request=request, target=target.pk)
    target.delete()


@transaction.atomic
def target_review(
    *,
    pep: PersonalEducationPlan,
    target: PepTarget,
    outcome: str,
    evidence: str,
    by,
    request=None,
) -> TargetReview:
    """Record (or change) ``pep``'s review of a target set in the previous PEP."""
    _lock_draft(pep)
    if target.pk not in {t.pk for t in targets_to_review(pep)}:
        raise ValidationError(
            "This target was not set in the child's last completed PEP, so this PEP does not "
            "review it.",
            code="not_reviewable",
        )
    if outcome not in TargetReview.Outcome.values:
        raise ValidationError(
            {"outcome": "Choose achieved, partly achieved or not achieved"}, code="required"
        )
    if not evidence.strip():
        raise ValidationError(
            {"evidence": "Say what shows the target was or was not achieved"}, code="required"
        )
    review, created = TargetReview.objects.update_or_create(
        pep=pep, target=target, defaults={"outcome": outcome, "evidence": evidence.strip()}
    )
    _audit(
        PepAction.TARGET_REVIEWED,
        pep=pep,
        by=by,
        request=request,
        target=target.pk,
        outcome=outcome,
        first_review=created,
    )
    return review


# --- Completing and correcting ---------------------------------------------------------------


def _target_name(target: PepTarget) -> str:
    text = " ".join(target.action.split())
    if not text:
        return f"the {target.get_area_display().lower()} target with no action yet"
    if len(text) > 60:
        text = text[:60].rsplit(" ", 1)[0].rstrip(",;:") + "…"  # at a word's end
    return f"“{text}”"


class Problem(str):
    """One reason a PEP cannot be completed (the message), with ``section``: the id of the
    part of the PEP page where it is put right, so a list of problems can link to each."""

    section: str

    def __new__(cls, message: str, section: str) -> Problem:
        problem = super().__new__(cls, message)
        problem.section = section
        return problem


def completion_problems(pep: PersonalEducationPlan, *, today: dt.date) -> list[Problem]:
    """What stops ``pep`` being completed, in the order of the form: what a Virtual School
    returns a PEP for (DOMAIN.md 3.3: the child's views, SMART targets, PP+ linked to targets;
    and the review of the last PEP's targets). Empty when it can be completed."""
    problems = []
    if pep.meeting_date is None:
        problems.append(Problem("Enter the date of the PEP meeting", "meeting"))
    elif pep.meeting_date > today:
        problems.append(
            Problem(
                f"The meeting date ({pep.meeting_date:%-d %B %Y}) is in the future: complete "
                "the PEP after the meeting",
                "meeting",
            )
        )
    if not pep.attendees.exists():
        problems.append(
            Problem(
                "Add who attended the meeting, sent apologies or contributed in writing",
                "attendees",
            )
        )
    if not pep.has_child_voice:
        problems.append(
            Problem(
                "Record the child's views in their own words: what is going well, what is "
                "hard, what they would like or how they like to be helped",
                "voice",
            )
        )
    if not pep.voice_how_gathered.strip():
        problems.append(Problem("Say how the child's views were gathered", "voice"))
    reviewed = set(pep.reviews.values_list("target_id", flat=True))
    for target in targets_to_review(pep):
        if target.pk not in reviewed:
            problems.append(
                Problem(
                    f"Review last PEP's target {_target_name(target)}: achieved, partly "
                    "achieved or not achieved, with evidence",
                    f"review-{target.pk}",
                )
            )
    targets = list(pep.targets.all())
    if not targets:
        problems.append(Problem("Set at least one new target", "targets"))
    for target in targets:
        section = f"target-{target.pk}"
        missing = target.missing_parts
        if missing:
            problems.append(
                Problem(f"Target {_target_name(target)} needs {_and(missing)}", section)
            )
        elif pep.meeting_date and target.due_by and target.due_by <= pep.meeting_date:
            problems.append(
                Problem(
                    f"Target {_target_name(target)} is due on or before the meeting: set a "
                    "date after the meeting",
                    section,
                )
            )
        if target.pp_plus_amount > 0 and not target.pp_plus_purpose.strip():
            problems.append(
                Problem(
                    f"Target {_target_name(target)} asks for £{target.pp_plus_amount:,.2f} of "
                    "PP+: say what the PP+ will pay for towards this target",
                    section,
                )
            )
    if pep.next_meeting_date is None:
        problems.append(Problem("Enter the date of the next PEP meeting", "next-meeting"))
    elif pep.meeting_date and pep.next_meeting_date <= pep.meeting_date:
        problems.append(Problem("The next meeting must be after this meeting", "next-meeting"))
    return problems


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@transaction.atomic
def pep_complete(
    *, pep: PersonalEducationPlan, by, today: dt.date, request=None
) -> PersonalEducationPlan:
    """Complete and lock ``pep``; a correction supersedes the version it corrects. Once this
    commits, a worker makes the PDF (a report run) and queues it for the child's Virtual
    School through the outbox: nothing is rendered inside this locked transaction."""
    _lock_draft(pep)
    problems = completion_problems(pep, today=today)
    if problems:
        raise ValidationError(problems, code="incomplete")
    if pep.supersedes_id:
        # Before this one is marked completed: one completed PEP per child and term.
        PersonalEducationPlan.objects.filter(pk=pep.supersedes_id, status=Status.COMPLETED).update(
            status=Status.SUPERSEDED
        )
    pep.status = Status.COMPLETED
    pep.completed_at = timezone.now()
    pep.completed_by = by
    pep.save(update_fields=["status", "completed_at", "completed_by", "updated_at"])
    _audit(
        PepAction.COMPLETED,
        pep=pep,
        by=by,
        request=request,
        version=pep.version,
        targets=pep.targets.count(),
        pp_plus_requested=sum(t.pp_plus_amount for t in pep.targets.all()),
    )
    # Other apps' part in a completion (the PP+ ledger's requests and outcomes: pupils.pep_hooks).
    hooks.pep_completed(pep=pep, by=by, today=today, request=request)
    # The PDF is made by a worker once this commits, then sent (``peps.report_kinds``).
    _pep_pdf_request(pep, by=by, send=True, request=request)
    return pep


def _pep_pdf_request(pep: PersonalEducationPlan, *, by, send: bool, request=None) -> ReportRun:
    parameters: dict = {"pep": pep.pk}
    if send:
        parameters["send"] = True
    return report_run_request(
        school=pep.pupil.school,
        kind=PEP_PDF,
        parameters=parameters,
        by=by,
        pupil_id=pep.pupil_id,
        request=request,
    )


@transaction.atomic
def pep_pdf_request(*, pep: PersonalEducationPlan, by, request=None) -> ReportRun:
    """The run that makes ``pep``'s PDF for someone to download. A completed version never
    changes, so its PDF is made once and the run is reused; a draft's PDF is made afresh
    each time, showing the draft as it is now."""
    if pep.is_locked:
        run = pep_pdf_run(pep)
        if run is not None:
            return run
    return _pep_pdf_request(pep, by=by, send=False, request=request)


def pep_pdf_sending(pep: PersonalEducationPlan) -> bool:
    """Whether ``pep``'s PDF is being made to be sent to the Virtual School once made."""
    run = pep_pdf_run(pep)
    return bool(run and not run.is_finished and run.parameters.get("send"))


def virtual_school_for(pep: PersonalEducationPlan):
    """The responsible authority of the child's in-care episode in force at the meeting (or,
    failing that, of their latest in-care episode)."""
    episodes = list(
        pep.pupil.care_episodes.filter(kind=IN_CARE)
        .select_related("responsible_authority")
        .order_by("-start_date", "-pk")
    )
    day = pep.meeting_date or timezone.localdate()
    for episode in episodes:
        if episode.in_force_on(day) and episode.responsible_authority_id:
            return episode.responsible_authority
    for episode in episodes:
        if episode.responsible_authority_id:
            return episode.responsible_authority
    return None


def pep_dedupe_key(pep: PersonalEducationPlan) -> str:
    return f"pep-{pep.pk}-v{pep.version}-virtual-school"


def pep_delivery(pep: PersonalEducationPlan) -> VirtualSchoolAddress | None:
    """Where this school sends ``pep`` (its own contact's address or the directory's) and
    whether the school has confirmed that address; None when no authority is recorded."""
    virtual_school = virtual_school_for(pep)
    if virtual_school is None:
        return None
    return virtual_school_address(pep.pupil.school, virtual_school)


def pep_sent_message(pep: PersonalEducationPlan):
    from notifications.models import OutboxMessage

    return OutboxMessage.objects.filter(dedupe_key=pep_dedupe_key(pep)).first()


def _send_to_virtual_school(pep: PersonalEducationPlan, *, pdf: bytes, by=None, request=None):
    """Queue ``pdf`` (the PEP's PDF, made by its report run) for the child's Virtual School,
    but only to an address someone in the school has confirmed. Otherwise the PDF is held (the
    PEP page says what to confirm) and nothing leaves Harbour."""
    from notifications.services import Attachment, message_queue
    from peps.documents import pep_filename

    delivery = pep_delivery(pep)
    if delivery is None or not delivery.email:
        return None
    if not delivery.confirmed:
        _audit(
            PepAction.PDF_HELD,
            pep=pep,
            by=by,
            request=request,
            held_because="address_not_confirmed",
            virtual_school=delivery.virtual_school.la_code,
        )
        return None
    contact = delivery.contact
    return message_queue(
        recipient=delivery.email,
        template="pep_completed",
        context={
            "pep": pep,
            "pupil": pep.pupil,
            "virtual_school": delivery.virtual_school,
            "greeting_name": (contact.name if contact else "")
            or delivery.virtual_school.contact_name,
            "school_name": pep.pupil.school.name,
        },
        dedupe_key=pep_dedupe_key(pep),
        school=pep.pupil.school,
        about=pep,
        pupil=pep.pupil,
        attachment=Attachment(pep_filename(pep), "application/pdf", pdf),
    )


@transaction.atomic
def pep_send(*, pep: PersonalEducationPlan, email: str, by, request=None):
    """Send a completed PEP whose PDF was held, confirming the address first when it is not
    confirmed yet. ``email`` is the address the designated teacher (or head) was shown and
    checked: if it has changed since, nothing is confirmed or sent."""
    status = (
        PersonalEducationPlan.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=pep.pk)
    )
    if status != Status.COMPLETED:
        raise ValidationError(
            "Only the latest completed version of a PEP is sent to the Virtual School.",
            code="not_completed",
        )
    if pep_sent_message(pep) is not None:
        raise ValidationError(
            "This PEP has already been sent to the Virtual School.", code="already_sent"
        )
    delivery = pep_delivery(pep)
    if delivery is None or not delivery.email:
        raise ValidationError(
            "Harbour has no Virtual School address for this child: download the PDF and send "
            "it yourself.",
            code="no_address",
        )
    if not delivery.confirmed:
        virtual_school_address_confirm(
            school=pep.pupil.school,
            virtual_school=delivery.virtual_school,
            email=email,
            by=by,
            request=request,
        )
    elif not same_address(delivery.email, email):
        raise ValidationError(
            f"The address for {delivery.virtual_school} is now {delivery.email}, not {email}. "
            "Check the new address before sending.",
            code="address_changed",
        )
    message = _send_when_made(pep, by=by, request=request)
    _audit(PepAction.SENT_TO_VIRTUAL_SCHOOL, pep=pep, by=by, request=request, version=pep.version)
    return message


def _send_when_made(pep: PersonalEducationPlan, *, by, request=None):
    """Send the PEP's PDF now if its run has made it, else once it is made. The run's row is
    locked: a worker finishing it meanwhile waits, then reads ``send`` (``pep_pdf_ready``)."""
    run = pep_pdf_run(pep, lock=True)
    if run is None:
        _pep_pdf_request(pep, by=by, send=True, request=request)
        return None
    if run.state == ReportRun.State.READY:
        return _send_to_virtual_school(pep, pdf=report_run_content(run), by=by, request=request)
    if not run.parameters.get("send"):
        run.parameters = {**run.parameters, "send": True}
        run.save(update_fields=["parameters"])
    return None


@transaction.atomic
def pep_correct(
    *, pep: PersonalEducationPlan, reason: str, by, request=None
) -> PersonalEducationPlan:
    """Start a correction of a completed PEP: a new draft version with everything copied,
    which replaces the completed one when it is completed in turn."""
    status = (
        PersonalEducationPlan.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=pep.pk)
    )
    if status == Status.DRAFT:
        raise ValidationError("This PEP is still a draft: change it directly.", code="draft")
    if status == Status.SUPERSEDED:
        raise ValidationError(
            "This version has already been replaced by a correction: correct the latest "
            "version instead.",
            code="superseded",
        )
    if not reason.strip():
        raise ValidationError(
            {"reason": "Say what is wrong in the completed PEP and why it is being corrected"},
            code="required",
        )
    if PersonalEducationPlan.objects.filter(supersedes=pep).exists():
        raise ValidationError(
            "A correction of this PEP is already in progress: continue that draft.",
            code="correction_exists",
        )
    copy = PersonalEducationPlan.objects.create(
        pupil_id=pep.pupil_id,
        term_id=pep.term_id,
        version=pep.version + 1,
        supersedes=pep,
        correction_reason=reason.strip(),
        created_by=by,
        **{name: getattr(pep, name) for name in PEP_FIELDS},
    )
    PepAttendee.objects.bulk_create(
        PepAttendee(pep=copy, role=a.role, name=a.name, attendance=a.attendance)
        for a in pep.attendees.all()
    )
    AttainmentRecord.objects.bulk_create(
        AttainmentRecord(
            pep=copy, subject=r.subject, current=r.current, expected=r.expected, notes=r.notes
        )
        for r in pep.attainment.all()
    )
    for target in pep.targets.all():
        PepTarget.objects.create(
            pep=copy, copied_from=target, **{name: getattr(target, name) for name in TARGET_FIELDS}
        )
    TargetReview.objects.bulk_create(
        TargetReview(pep=copy, target_id=r.target_id, outcome=r.outcome, evidence=r.evidence)
        for r in pep.reviews.all()
    )
    _audit(
        PepAction.CORRECTION_STARTED,
        pep=copy,
        by=by,
        request=request,
        corrects_version=pep.version,
    )
    return copy


# --- SDQ -------------------------------------------------------------------------------------


@transaction.atomic
def sdq_record(
    *,
    pupil: Pupil,
    taken_on: dt.date,
    informant: str,
    emotional: int,
    conduct: int,
    hyperactivity: int,
    peer: int,
    prosocial: int,
    impact: int | None,
    by,
    today: dt.date,
    request=None,
) -> SdqScore:
    """Record the scores an informant's paper SDQ produced (never the questions: DOMAIN.md
    5.4)."""
    if informant not in Informant.values:
        raise ValidationError({"informant": "Choose who completed the SDQ"}, code="required")
    if taken_on > today:
        raise ValidationError(
            {"taken_on": "The date the SDQ was completed cannot be in the future"},
            code="future",
        )
    if taken_on < pupil.date_of_birth:
        raise ValidationError(
            {"taken_on": "The date is before the child was born"}, code="before_birth"
        )
    # DOMAIN.md 5.1: the self-report version is for ages 11 to 17.
    if informant == Informant.YOUNG_PERSON and age_on(pupil.date_of_birth, taken_on) < 11:
        raise ValidationError(
            {"informant": "The self-report SDQ is for young people aged 11 to 17"},
            code="too_young",
        )
    scales = SdqScales(
        emotional=emotional,
        conduct=conduct,
        hyperactivity=hyperactivity,
        peer=peer,
        prosocial=prosocial,
        impact=impact,
    )
    validate_scales(scales, Informant(informant))
    score = SdqScore.objects.create(
        pupil=pupil,
        taken_on=taken_on,
        informant=informant,
        emotional=emotional,
        conduct=conduct,
        hyperactivity=hyperactivity,
        peer=peer,
        prosocial=prosocial,
        impact=impact,
        recorded_by=by,
    )
    audit_record(
        action=PepAction.SDQ_RECORDED,
        actor=by,
        school=pupil.school,
        obj=score,
        pupil_id=pupil.pk,
        values={"informant": informant, "taken_on": taken_on},
        request=request,
    )
    return score


# --- Settings --------------------------------------------------------------------------------


@transaction.atomic
def pep_settings_update(*, school, by, request=None, **fields) -> PepSettings:
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"pep_settings_update() does not change {', '.join(sorted(unknown))}")
    settings, _ = PepSettings.objects.select_for_update().get_or_create(school=school)
    changes = changed_fields(settings, fields, fields)
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.full_clean(exclude=["school"])
    settings.save()
    audit_record(
        action=PepAction.SETTINGS_CHANGED,
        actor=by,
        school=school,
        obj=settings,
        **audit_diff(changes, settings),
        request=request,
    )
    return settings
