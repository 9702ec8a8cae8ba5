"""Every write to a safeguarding record. Each service inserts rows and never changes one
(``concerns.models``: the records are append-only), writes the audit event, one per child the
concern is about, and queues any email inside its transaction through the outbox.

The audit log keeps field names and Harbour's own values (the kind of an action, whether a child
is at immediate risk), never what was written about a child (DESIGN.md, core.audit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from accounts.roles import Role
from concerns.audit import ConcernAction
from concerns.models import (
    Action,
    Addendum,
    BodyMark,
    BodyRegion,
    Category,
    Concern,
    ConcernCategory,
    ConcernPupil,
    ConcernSettings,
    CpFileTransfer,
    Decision,
    Link,
)
from core.audit import audit_diff, audit_record, changed_fields
from core.sensitivity import Sensitivity
from notifications.services import message_queue
from pupils.models import Pupil
from pupils.safety_hooks import SafetyWorry

# The people told at once of a new concern, and reminded of a child protection file to send.
DSL_TEAM_ROLES = (Role.DSL, Role.DEPUTY_DSL)


@dataclass(frozen=True)
class MarkInput:
    """One body-map mark as the form parsed it."""

    side: str
    region: str
    description: str
    x: Decimal | None = None
    y: Decimal | None = None


def _children_ids(concern: Concern) -> list[int]:
    return list(
        ConcernPupil.objects.filter(concern=concern)
        .order_by("pk")
        .values_list("pupil_id", flat=True)
    )


def _about(pupil_ids) -> dict:
    """``audit_record``'s children: one event per child, or one event about no child while a
    concern named by typing is not yet linked to a child in Harbour."""
    ids = list(dict.fromkeys(pupil_ids))
    return {"pupil_ids": ids} if ids else {}


def dsl_team_addresses(school) -> list[str]:
    """The DSL and deputies of ``school``; the head too when the school has neither, so a
    concern is never raised into silence."""
    people = Membership.objects.filter(
        school=school, role__in=DSL_TEAM_ROLES, user__is_active=True
    ).values_list("user__email", flat=True)
    addresses = sorted(set(people))
    if not addresses:
        heads = Membership.objects.filter(
            school=school, role=Role.HEADTEACHER, user__is_active=True
        ).values_list("user__email", flat=True)
        addresses = sorted(set(heads))
    return addresses


@transaction.atomic
def concern_raise(
    *,
    school,
    by,
    pupils: Sequence[Pupil],
    seen_at: dt.datetime,
    location: str,
    categories: Sequence[Category],
    account: str,
    immediate_risk: bool,
    marks: Sequence[MarkInput] = (),
    child_name: str = "",
    child_class: str = "",
    child_details: str = "",
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Concern:
    """Record a concern about one or more children of ``school`` and tell the DSL team at once,
    by a link only: the email says nothing of the concern (it may be read on a phone, forwarded,
    or seen over a shoulder).

    The children are ``pupils`` chosen from Harbour's list (only someone who may see the cohort
    is offered it), or named by typing (``child_name``, ``child_class``, ``child_details``):
    the DSL team then links the concern to the child in Harbour (``concern_child_link``)."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    children = list(dict.fromkeys(pupils))
    if not children and not child_name.strip():
        errors["pupils"] = "Enter the name of the child the concern is about"
    elif any(p.school_id != school.pk for p in children):
        # A child of another school is not offered by the form: this is a forged request.
        errors["pupils"] = "Choose a child of this school"
    if seen_at > now:
        errors["seen_at"] = "When it was seen or heard cannot be in the future"
    if not location.strip():
        errors["location"] = "Enter where it was seen or heard"
    if not categories:
        errors["categories"] = "Choose at least one category"
    if not account.strip():
        errors["account"] = "Enter what you saw or heard, in your own words"
    for mark in marks:
        if mark.side not in BodyMark.Side.values or mark.region not in BodyRegion.values:
            errors["marks"] = "Choose the front or back, and where on the body"
        elif not mark.description.strip():
            errors["marks"] = "Describe each mark on the body map"
    if errors:
        raise ValidationError(errors)

    concern = Concern.objects.create(
        school=school,
        raised_by=by,
        child_name=child_name.strip(),
        child_class=child_class.strip(),
        child_details=child_details.strip(),
        seen_at=seen_at,
        location=location.strip(),
        account=account.strip(),
        immediate_risk=immediate_risk,
    )
    ConcernPupil.objects.bulk_create([ConcernPupil(concern=concern, pupil=p) for p in children])
    ConcernCategory.objects.bulk_create(
        [ConcernCategory(concern=concern, category=c) for c in dict.fromkeys(categories)]
    )
    BodyMark.objects.bulk_create(
        [
            BodyMark(
                concern=concern,
                side=m.side,
                region=m.region,
                description=m.description.strip(),
                x=m.x,
                y=m.y,
            )
            for m in marks
        ]
    )
    audit_record(
        action=ConcernAction.RAISED,
        actor=by,
        school=school,
        obj=concern,
        **_about(p.pk for p in children),
        fields=[
            *(f for f in ("child_name", "child_class", "child_details") if getattr(concern, f)),
            "seen_at",
            "location",
            "account",
            *(["body_map"] if marks else []),
        ],
        values={
            "immediate_risk": immediate_risk,
            "categories": sorted(c.key for c in categories),
            "pupils": len(children),
        },
        request=request,
    )
    url = settings.SITE_URL + reverse("concerns:concern", args=[concern.pk])
    for address in dsl_team_addresses(school):
        message_queue(
            recipient=address,
            template="concern_raised",
            context={"url": url, "urgent": immediate_risk, "reference": concern.reference},
            dedupe_key=f"concern-{concern.pk}-raised-{address}",
            school=school,
            sensitivity=Sensitivity.SAFEGUARDING,
        )
    return concern


@transaction.atomic
def concern_child_link(
    *,
    concern: Concern,
    pupil: Pupil,
    by,
    reason: str = "",
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> ConcernPupil:
    """The DSL team links a concern to the child in Harbour it is about (the child the raiser
    named by typing, or another child it turns out to concern). A new row saying who linked
    which child and when: the concern stays exactly as it was written, as with an addendum."""
    Concern.objects.select_for_update().filter(pk=concern.pk).first()
    if pupil.school_id != concern.school_id:
        raise ValidationError({"pupil": "Choose a child of this school"})
    if ConcernPupil.objects.filter(concern=concern, pupil=pupil).exists():
        raise ValidationError({"pupil": "The concern is already linked to this child"})
    row = ConcernPupil.objects.create(
        concern=concern,
        pupil=pupil,
        linked_by=by,
        linked_at=now or timezone.now(),
        link_reason=reason.strip(),
    )
    audit_record(
        action=ConcernAction.CHILD_LINKED,
        actor=by,
        school=concern.school,
        obj=concern,
        pupil_id=pupil.pk,
        fields=["pupil", *(["link_reason"] if row.link_reason else [])],
        request=request,
    )
    return row


SETTINGS_FIELDS = ("no_action_flag_school_days", "raise_window_days", "receipt_chase_school_days")


@transaction.atomic
def concern_settings_update(*, school, by, request=None, **fields) -> ConcernSettings:
    """Change the school's safeguarding settings; the audit log keeps the old and new values."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"concern_settings_update() does not change {', '.join(sorted(unknown))}")
    current, _ = ConcernSettings.objects.select_for_update().get_or_create(school=school)
    changes = changed_fields(current, fields, fields)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean(exclude=["school"])
    current.save()
    if changes:
        audit_record(
            action=ConcernAction.SETTINGS_CHANGED,
            actor=by,
            school=school,
            obj=current,
            **audit_diff(changes, current),
            request=request,
        )
    return current


# Where a concern from outside Harbour's users is said to have been seen or heard.
SOURCE_LOCATIONS: dict[str, str] = {
    Concern.Source.PEP_CONTRIBUTION: "A request for views before a PEP meeting (secure link)",
}


@transaction.atomic
def concern_from_safety_worry(worry: SafetyWorry) -> Concern:
    """Record a safety worry given about a child outside the safeguarding app (a child's answer
    to "is there anything that makes you feel unsafe?" before their PEP meeting) as a concern
    for the DSL team: nobody in Harbour raised it, so ``raised_by`` is empty and ``given_by``
    and ``source`` say who gave it and where. Registered into ``pupils.safety_hooks`` from
    ``ConcernsConfig.ready``; the DSL team is told at once by a link only."""
    if worry.source not in SOURCE_LOCATIONS:
        raise ValueError(f"Unknown source of a safety worry: {worry.source!r}")
    pupil = worry.pupil
    school = pupil.school
    concern = Concern.objects.create(
        school=school,
        raised_by=None,
        source=worry.source,
        given_by=worry.given_by[:200],
        source_model=worry.source_model,
        source_id=worry.source_id,
        seen_at=worry.given_at,
        location=SOURCE_LOCATIONS[worry.source],
        account=worry.words.strip(),
        # The DSL team judges the risk when they read it; nobody has yet.
        immediate_risk=False,
    )
    ConcernPupil.objects.create(concern=concern, pupil=pupil)
    other = Category.objects.filter(key="other", active=True).first()
    if other is not None:
        ConcernCategory.objects.create(concern=concern, category=other)
    audit_record(
        action=ConcernAction.RAISED,
        actor=None,
        school=school,
        obj=concern,
        pupil_id=pupil.pk,
        fields=["seen_at", "location", "account", "given_by"],
        values={
            "immediate_risk": False,
            "categories": [other.key] if other else [],
            "pupils": 1,
            "source": worry.source,
        },
    )
    url = settings.SITE_URL + reverse("concerns:concern", args=[concern.pk])
    for address in dsl_team_addresses(school):
        message_queue(
            recipient=address,
            template="concern_raised",
            context={"url": url, "urgent": False, "reference": concern.reference},
            dedupe_key=f"concern-{concern.pk}-raised-{address}",
            school=school,
            sensitivity=Sensitivity.SAFEGUARDING,
        )
    return concern


def _check_dsl_record(concern: Concern, day: dt.date, today: dt.date, field: str) -> None:
    if day > today:
        raise ValidationError({field: "The date cannot be in the future"})
    if day < timezone.localtime(concern.raised_at).date() - dt.timedelta(days=365):
        raise ValidationError({field: "The date is more than a year before the concern"})


@transaction.atomic
def concern_action_record(
    *,
    concern: Concern,
    by,
    kind: str,
    taken_on: dt.date,
    taken_by: str,
    details: str,
    today: dt.date,
    request: HttpRequest | None = None,
) -> Action:
    """Record what was done: who, what, when (KCSIE para 67)."""
    errors = {}
    if kind not in Action.Kind.values:
        errors["kind"] = "Choose what was done"
    if not taken_by.strip():
        errors["taken_by"] = "Enter who did it"
    if not details.strip():
        errors["details"] = "Enter what was done and said"
    if taken_on > today:
        errors["taken_on"] = "The date cannot be in the future"
    if errors:
        raise ValidationError(errors)
    action = Action.objects.create(
        concern=concern,
        kind=kind,
        taken_on=taken_on,
        taken_by=taken_by.strip(),
        details=details.strip(),
        recorded_by=by,
    )
    audit_record(
        action=ConcernAction.ACTION_RECORDED,
        actor=by,
        school=concern.school,
        obj=action,
        **_about(_children_ids(concern)),
        fields=["taken_by", "details"],
        values={"kind": kind, "taken_on": taken_on},
        request=request,
    )
    return action


def concern_status(concern: Concern) -> str:
    """``"open"`` or ``"closed"``: what the latest closing or reopening decision says."""
    last = (
        Decision.objects.filter(concern=concern)
        .exclude(kind=Decision.Kind.DECISION)
        .order_by("-recorded_at", "-pk")
        .values_list("kind", flat=True)
        .first()
    )
    return "closed" if last == Decision.Kind.CLOSED else "open"


@transaction.atomic
def concern_decision_record(
    *,
    concern: Concern,
    by,
    kind: str,
    decision: str,
    reason: str,
    request: HttpRequest | None = None,
) -> Decision:
    """Record a decision and its reason; closing (with the outcome) and reopening are decisions
    too, so the status of a concern has a history that nobody can rewrite."""
    # One at a time per concern: two DSLs closing it at once write one closing decision.
    Concern.objects.select_for_update().filter(pk=concern.pk).first()
    errors = {}
    if kind not in Decision.Kind.values:
        errors["kind"] = "Choose what kind of decision this is"
    if not decision.strip():
        errors["decision"] = "Enter the decision or the outcome"
    if not reason.strip():
        errors["reason"] = "Enter the reason for the decision"
    status = concern_status(concern)
    if kind == Decision.Kind.CLOSED and status == "closed":
        errors["kind"] = "This concern is already closed"
    if kind == Decision.Kind.REOPENED and status == "open":
        errors["kind"] = "This concern is open"
    if errors:
        raise ValidationError(errors)
    made = Decision.objects.create(
        concern=concern, kind=kind, decision=decision.strip(), reason=reason.strip(), recorded_by=by
    )
    audit_action = {
        Decision.Kind.CLOSED.value: ConcernAction.CLOSED,
        Decision.Kind.REOPENED.value: ConcernAction.REOPENED,
    }.get(kind, ConcernAction.DECISION_RECORDED)
    audit_record(
        action=audit_action,
        actor=by,
        school=concern.school,
        obj=made,
        **_about(_children_ids(concern)),
        fields=["decision", "reason"],
        values={"kind": kind},
        request=request,
    )
    return made


@transaction.atomic
def concern_addendum_add(
    *,
    concern: Concern,
    by,
    text: str,
    action: Action | None = None,
    decision: Decision | None = None,
    request: HttpRequest | None = None,
) -> Addendum:
    """Add a correction or a later note; the record it is about stays as it was written."""
    if not text.strip():
        raise ValidationError({"text": "Enter the addendum"})
    if action is not None and action.concern_id != concern.pk:
        raise ValidationError("That action belongs to another concern")
    if decision is not None and decision.concern_id != concern.pk:
        raise ValidationError("That decision belongs to another concern")
    addendum = Addendum.objects.create(
        concern=concern, action=action, decision=decision, text=text.strip(), written_by=by
    )
    audit_record(
        action=ConcernAction.ADDENDUM_ADDED,
        actor=by,
        school=concern.school,
        obj=addendum,
        **_about(_children_ids(concern)),
        fields=["text"],
        request=request,
    )
    return addendum


@transaction.atomic
def concern_link(
    *, concern: Concern, by, linked: Concern, reason: str, request: HttpRequest | None = None
) -> Link:
    """Link two concerns of the same school (the same incident, a pattern over time)."""
    errors = {}
    if linked.pk == concern.pk:
        errors["linked"] = "A concern cannot be linked to itself"
    elif linked.school_id != concern.school_id:
        errors["linked"] = "Enter the reference of a concern of this school"
    elif (
        Link.objects.filter(concern=concern, linked=linked).exists()
        or Link.objects.filter(concern=linked, linked=concern).exists()
    ):
        errors["linked"] = "These concerns are already linked"
    if not reason.strip():
        errors["reason"] = "Enter why they are linked"
    if errors:
        raise ValidationError(errors)
    link = Link.objects.create(
        concern=concern, linked=linked, reason=reason.strip(), recorded_by=by
    )
    audit_record(
        action=ConcernAction.LINKED,
        actor=by,
        school=concern.school,
        obj=link,
        **_about(_children_ids(concern) + _children_ids(linked)),
        fields=["reason"],
        request=request,
    )
    return link


# --- The child protection file ---------------------------------------------------------------


@transaction.atomic
def cp_file_sent(
    *,
    pupil: Pupil,
    by,
    recipient_school: str,
    sent_on: dt.date,
    how_sent: str,
    today: dt.date,
    request: HttpRequest | None = None,
) -> CpFileTransfer:
    """Record that the child protection file went to the child's new school (KCSIE: within 5
    days, separately from the pupil file, securely)."""
    errors = {}
    if CpFileTransfer.objects.filter(pupil=pupil).exists():
        raise ValidationError("The transfer of this child's file is already recorded")
    if not recipient_school.strip():
        errors["recipient_school"] = "Enter the school the file was sent to"
    if how_sent not in CpFileTransfer.HowSent.values:
        errors["how_sent"] = "Choose how the file was sent"
    if sent_on > today:
        errors["sent_on"] = "The date sent cannot be in the future"
    if errors:
        raise ValidationError(errors)
    transfer = CpFileTransfer.objects.create(
        pupil=pupil,
        school=pupil.school,
        recipient_school=recipient_school.strip(),
        sent_on=sent_on,
        how_sent=how_sent,
        sent_by=by,
    )
    audit_record(
        action=ConcernAction.CP_FILE_SENT,
        actor=by,
        school=pupil.school,
        obj=transfer,
        pupil_id=pupil.pk,
        fields=["recipient_school"],
        values={"sent_on": sent_on, "how_sent": how_sent},
        request=request,
    )
    return transfer


@transaction.atomic
def cp_file_receipt_confirm(
    *,
    transfer: CpFileTransfer,
    by,
    confirmed_on: dt.date,
    today: dt.date,
    request: HttpRequest | None = None,
) -> CpFileTransfer:
    """Record the new school's confirmation of receipt, and tick off the leaving checklist's
    item (``pupils``: done by the DSL team, with the date receipt was confirmed)."""
    from pupils.models import LeavingTask
    from pupils.services import leaving_task_complete

    transfer = CpFileTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.receipt_confirmed_on is not None:
        raise ValidationError("Receipt is already confirmed")
    if confirmed_on > today:
        raise ValidationError({"confirmed_on": "The date cannot be in the future"})
    if confirmed_on < transfer.sent_on:
        raise ValidationError({"confirmed_on": "Receipt cannot be confirmed before it was sent"})
    CpFileTransfer.objects.filter(pk=transfer.pk, receipt_confirmed_on__isnull=True).update(
        receipt_confirmed_on=confirmed_on, receipt_confirmed_by=by
    )
    transfer.refresh_from_db()
    audit_record(
        action=ConcernAction.CP_FILE_RECEIPT_CONFIRMED,
        actor=by,
        school=transfer.school,
        obj=transfer,
        pupil_id=transfer.pupil_id,
        values={"receipt_confirmed_on": [None, confirmed_on]},
        request=request,
    )
    task = LeavingTask.objects.filter(
        pupil_id=transfer.pupil_id,
        item=LeavingTask.Item.CP_FILE_TRANSFERRED,
        completed_on__isnull=True,
    ).first()
    if task is not None:
        leaving_task_complete(
            task=task, by=by, completed_on=confirmed_on, today=today, request=request
        )
    return transfer
