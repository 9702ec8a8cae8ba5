"""Writes for the views gathered before a PEP meeting.

The designated teacher asks (``contribution_request``), may revoke (``contribution_revoke``)
and decides each answer (``answer_accept``, ``answer_set_aside``). The contributor, who is not a
user, opens the link (``link_open``), asks for a code (``code_send``), confirms it
(``code_check``) and answers once (``contribution_submit``). Every step is audited; the
contributor's steps have no actor.

Harbour's rules (issue 15, product decisions): a link works for ``LINK_SCHOOL_DAYS`` school
days from the day it is asked for, and never once its PEP is completed; the code works for
``CODE_VALID_FOR`` and once; ``MAX_CODE_FAILURES`` wrong codes or more than ``MAX_CODES``
codes lock the link, and a new code waits ``CODE_RESEND_AFTER``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from accounts.roles import Role
from core.audit import audit_record
from core.sensitivity import Sensitivity
from notifications.models import OutboxMessage
from notifications.services import message_queue
from peps.contributions import secrets
from peps.contributions.audit import ContributionAction
from peps.contributions.models import ContributionAnswer, ContributionRequest
from peps.contributions.questions import BY_KEY, SAFETY, Audience, questions_for
from peps.models import PersonalEducationPlan
from pupils.safety_hooks import SafetyWorry, safety_worry_given
from schools.schooldays import SchoolCalendar, TermDatesMissing

LINK_SCHOOL_DAYS = 15
CODE_VALID_FOR = dt.timedelta(minutes=30)
CODE_RESEND_AFTER = dt.timedelta(seconds=60)
MAX_CODE_FAILURES = 5
MAX_CODES = 5

LINK_TEMPLATE = "pep_contribution_link"
CODE_TEMPLATE = "pep_contribution_code"

Answer = ContributionAnswer.Status


class LinkState(StrEnum):
    OPEN = "open"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"
    LOCKED = "locked"
    PEP_CLOSED = "pep_closed"  # the PEP was completed (or discarded) meanwhile


LINK_STATE_LABELS = {
    LinkState.OPEN: "Waiting for an answer",
    LinkState.EXPIRED: "Expired without an answer",
    LinkState.USED: "Answered",
    LinkState.REVOKED: "Link withdrawn",
    LinkState.LOCKED: "Locked after wrong codes",
    LinkState.PEP_CLOSED: "Closed: the PEP is completed",
}


def link_state(link: ContributionRequest, *, today: dt.date) -> LinkState:
    """Whether ``link`` still works, and if not, why. The order matters: an answered link
    says so even once its PEP is completed."""
    if link.submitted_at is not None:
        return LinkState.USED
    if link.revoked_at is not None:
        return LinkState.REVOKED
    if link.pep.status != PersonalEducationPlan.Status.DRAFT:
        return LinkState.PEP_CLOSED
    if link.locked_at is not None:
        return LinkState.LOCKED
    if today > link.expires_on:
        return LinkState.EXPIRED
    return LinkState.OPEN


class LinkClosed(Exception):
    """The link no longer works; the contributor sees one page that says so, whatever the
    reason, and nothing of the record."""


def _audit(action, link: ContributionRequest, *, by=None, request=None, fields=(), **values):
    audit_record(
        action=action,
        actor=by,
        school=link.pep.pupil.school,
        obj=link,
        pupil_id=link.pep.pupil_id,
        fields=fields,
        values=values,
        request=request,
    )


def _lock_open(link: ContributionRequest, *, today: dt.date) -> ContributionRequest:
    """The link re-read under a row lock, refused unless it still works."""
    fresh = (
        ContributionRequest.objects.select_for_update()
        .select_related("pep__pupil__school")
        .get(pk=link.pk)
    )
    # The PEP's status read under its own lock, so a PEP completed meanwhile refuses.
    fresh.pep.status = (
        PersonalEducationPlan.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=fresh.pep_id)
    )
    if link_state(fresh, today=today) != LinkState.OPEN:
        raise LinkClosed
    return fresh


# --- The designated teacher -------------------------------------------------------------------


def link_expiry(pep: PersonalEducationPlan, *, today: dt.date) -> dt.date:
    calendar = SchoolCalendar.for_school(pep.pupil.school)
    return calendar.add_school_days(today, LINK_SCHOOL_DAYS)


@transaction.atomic
def contribution_request(
    *,
    pep: PersonalEducationPlan,
    audience: str,
    name: str,
    email: str,
    questions: list[str],
    by,
    today: dt.date,
    easy_read: bool = False,
    contact=None,
    request=None,
) -> ContributionRequest:
    """Ask one person for their views on the draft ``pep``: their link is emailed through the
    outbox, made by the worker as it sends (never stored readable)."""
    status = (
        PersonalEducationPlan.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=pep.pk)
    )
    if status != PersonalEducationPlan.Status.DRAFT:
        raise ValidationError(
            "Views can be asked for only while the PEP is a draft.", code="locked"
        )
    if audience not in Audience.values:
        raise ValidationError({"audience": "Choose who you are asking"}, code="required")
    allowed = {q.key for q in questions_for(audience)}
    questions = [key for key in dict.fromkeys(questions) if key in allowed]
    if not questions:
        raise ValidationError({"questions": "Choose at least one question"}, code="required")
    if not name.strip() or not email.strip():
        raise ValidationError("Choose the person to ask: they need a name and an email address")
    if easy_read and audience != Audience.CHILD:
        easy_read = False
    if contact is not None and contact.pupil_id != pep.pupil_id:
        raise ValidationError("Choose one of the child's contacts", code="wrong_contact")
    try:
        expires_on = link_expiry(pep, today=today)
    except TermDatesMissing as error:
        raise ValidationError(
            "Enter the school's term dates first: a link expires after "
            f"{LINK_SCHOOL_DAYS} school days. ({error.messages[0]})",
            code="term_dates_missing",
        ) from error
    link = ContributionRequest.objects.create(
        pep=pep,
        audience=audience,
        contact=contact,
        name=name.strip(),
        email=email.strip(),
        questions=questions,
        easy_read=easy_read,
        sent_on=today,
        expires_on=expires_on,
        created_by=by,
    )
    pupil = pep.pupil
    message_queue(
        recipient=link.email,
        template=LINK_TEMPLATE,
        context={
            "greeting_name": link.name,
            "first_name": pupil.forename,
            "school_name": pupil.school.name,
            "audience": audience,
            "expires_on": expires_on,
            "asked_by": by.full_name if by else pupil.school.name,
        },
        dedupe_key=f"pep-contribution-{link.pk}-link",
        school=pupil.school,
        about=link,
        about_label="A request for views before a PEP meeting",
        pupil=pupil,
    )
    _audit(
        ContributionAction.REQUESTED,
        link,
        by=by,
        request=request,
        fields=["name", "email"],
        audience=audience,
        questions=questions,
        easy_read=easy_read,
    )
    return link


@transaction.atomic
def contribution_revoke(*, link: ContributionRequest, by, request=None) -> ContributionRequest:
    updated = ContributionRequest.objects.filter(
        pk=link.pk, revoked_at__isnull=True, submitted_at__isnull=True
    ).update(revoked_at=timezone.now(), revoked_by=by)
    if not updated:
        raise ValidationError("This link was already answered or withdrawn.", code="closed")
    link.refresh_from_db()
    _audit(ContributionAction.REVOKED, link, by=by, request=request)
    return link


def _lock_proposal(answer: ContributionAnswer) -> ContributionAnswer:
    fresh = (
        ContributionAnswer.objects.select_for_update()
        .select_related("request__pep__pupil__school")
        .get(pk=answer.pk)
    )
    if fresh.status != Answer.PROPOSED:
        raise ValidationError("This answer has already been decided.", code="decided")
    return fresh


def how_gathered(link: ContributionRequest) -> str:
    """How an answer was gathered, in the PEP's words (its PDF shows it)."""
    day = timezone.localtime(link.submitted_at).date() if link.submitted_at else link.sent_on
    how = f"Through Harbour's secure link, answered on {day:%-d %B %Y}"
    if link.audience == Audience.CHILD:
        how += ", in school with an adult's help" if link.with_adult_help else ", on their own"
        if link.easy_read:
            how += " (easy-read questions)"
    return how


@transaction.atomic
def answer_accept(*, answer: ContributionAnswer, by, request=None) -> ContributionAnswer:
    """Copy the answer into its part of the draft PEP (after what is there already) and mark
    it accepted; the PEP and its PDF then say whose words they are."""
    from peps.services import pep_update  # the PEP's own service writes its own audit

    answer = _lock_proposal(answer)
    question = BY_KEY.get(answer.question)
    if question is None or not question.pep_field:
        raise ValidationError("This answer is not copied into the PEP.", code="not_copyable")
    link = answer.request
    pep = link.pep
    current = getattr(pep, question.pep_field).strip()
    fields = {question.pep_field: f"{current}\n\n{answer.text}" if current else answer.text}
    if link.audience == Audience.CHILD and not pep.voice_how_gathered.strip():
        fields["voice_how_gathered"] = how_gathered(link)
    pep_update(pep=pep, by=by, request=request, **fields)
    answer.status = Answer.ACCEPTED
    answer.decided_by = by
    answer.decided_at = timezone.now()
    answer.save(update_fields=["status", "decided_by", "decided_at"])
    _audit(
        ContributionAction.ANSWER_ACCEPTED,
        link,
        by=by,
        request=request,
        fields=[question.pep_field],
        question=answer.question,
    )
    return answer


@transaction.atomic
def answer_set_aside(
    *, answer: ContributionAnswer, reason: str, by, request=None
) -> ContributionAnswer:
    answer = _lock_proposal(answer)
    if not reason.strip():
        raise ValidationError({"reason": "Say why you are setting it aside"}, code="required")
    answer.status = Answer.SET_ASIDE
    answer.set_aside_reason = reason.strip()
    answer.decided_by = by
    answer.decided_at = timezone.now()
    answer.save(update_fields=["status", "set_aside_reason", "decided_by", "decided_at"])
    _audit(
        ContributionAction.ANSWER_SET_ASIDE,
        answer.request,
        by=by,
        request=request,
        fields=["set_aside_reason"],
        question=answer.question,
    )
    return answer


# --- The contributor ---------------------------------------------------------------------------


def link_for_token(token: str) -> ContributionRequest | None:
    """The request whose link carries ``token`` (looked up by its hash), or None."""
    if not token or len(token) > 100:
        return None
    return (
        ContributionRequest.objects.select_related("pep__pupil__school")
        .filter(token_hash=secrets.token_hash(token))
        .first()
    )


@transaction.atomic
def link_open(*, link: ContributionRequest, today: dt.date, request=None) -> ContributionRequest:
    link = _lock_open(link, today=today)
    if link.first_opened_at is None:
        link.first_opened_at = timezone.now()
        link.save(update_fields=["first_opened_at"])
    _audit(ContributionAction.LINK_OPENED, link, request=request)
    return link


@transaction.atomic
def code_send(
    *, link: ContributionRequest, today: dt.date, now: dt.datetime | None = None, request=None
) -> OutboxMessage | None:
    """Email a new six-digit code to the address the link went to (made by the worker as it
    sends: only its hash is kept). None when this request was one too many: the link is then
    locked (returned, not raised, so the lock is committed)."""
    now = now or timezone.now()
    link = _lock_open(link, today=today)
    if link.code_sent_at and now - link.code_sent_at < CODE_RESEND_AFTER:
        raise ValidationError(
            "We have just sent you a code. Wait a minute before asking for another.",
            code="too_soon",
        )
    if link.codes_sent >= MAX_CODES:
        link.locked_at = now
        link.save(update_fields=["locked_at"])
        _audit(ContributionAction.LOCKED, link, request=request, code_failures=link.code_failures)
        return None
    link.codes_sent += 1
    link.code_sent_at = now
    link.code_hash = ""  # an earlier code stops working
    link.save(update_fields=["codes_sent", "code_sent_at", "code_hash"])
    message = message_queue(
        recipient=link.email,
        template=CODE_TEMPLATE,
        context={"greeting_name": link.name, "minutes": int(CODE_VALID_FOR.total_seconds() // 60)},
        dedupe_key=f"pep-contribution-{link.pk}-code-{link.codes_sent}",
        school=link.pep.pupil.school,
        about=link,
        about_label="A code to open a request for views",
        pupil=link.pep.pupil,
    )
    _audit(ContributionAction.CODE_SENT, link, request=request)
    return message


@transaction.atomic
def code_check(
    *,
    link: ContributionRequest,
    code: str,
    today: dt.date,
    now: dt.datetime | None = None,
    request=None,
) -> bool:
    """Whether ``code`` is the link's current code, unexpired. A wrong one counts; the fifth
    locks the link. A right one is used up. Returns (never raises) on a wrong code, so the
    count is committed."""
    now = now or timezone.now()
    link = _lock_open(link, today=today)
    fresh = link.code_sent_at is not None and now - link.code_sent_at <= CODE_VALID_FOR
    if fresh and secrets.code_matches(code.strip(), salt=link.token_hash, stored=link.code_hash):
        link.code_hash = ""
        link.save(update_fields=["code_hash"])
        _audit(ContributionAction.CODE_CONFIRMED, link, request=request)
        return True
    link.code_failures += 1
    update = ["code_failures"]
    if link.code_failures >= MAX_CODE_FAILURES:
        link.locked_at = now
        update.append("locked_at")
    link.save(update_fields=update)
    _audit(ContributionAction.CODE_FAILED, link, request=request, code_failures=link.code_failures)
    if link.locked_at:
        _audit(ContributionAction.LOCKED, link, request=request, code_failures=link.code_failures)
    return False


@transaction.atomic
def contribution_submit(
    *,
    link: ContributionRequest,
    answers: dict[str, str],
    today: dt.date,
    with_adult_help: bool = False,
    request=None,
) -> ContributionRequest:
    """Keep the answers as proposals on the draft PEP and close the link (one submission).
    Any answer to the safety question goes to the DSL team at once, by email with a link
    only; in Harbour only those who act on concerns read it."""
    link = _lock_open(link, today=today)
    asked = set(link.questions)
    given = {k: v.strip() for k, v in answers.items() if k in asked and v and v.strip()}
    if not given:
        raise ValidationError("Answer at least one question before you send.", code="empty")
    ContributionAnswer.objects.bulk_create(
        ContributionAnswer(
            request=link,
            question=key,
            text=text,
            status=Answer.PASSED_TO_DSL if key == SAFETY else Answer.PROPOSED,
        )
        for key, text in given.items()
    )
    link.submitted_at = timezone.now()
    link.with_adult_help = with_adult_help and link.audience == Audience.CHILD
    link.save(update_fields=["submitted_at", "with_adult_help"])
    _audit(
        ContributionAction.SUBMITTED,
        link,
        request=request,
        fields=sorted(given),
        with_adult_help=link.with_adult_help,
    )
    if SAFETY in given:
        _pass_safety_answer(link, given[SAFETY])
    return link


def _given_by(link: ContributionRequest) -> str:
    """Who gave a safety answer, in the words a DSL reads on the concern."""
    pupil = link.pep.pupil
    if link.audience == Audience.CHILD:
        helped = (
            f", in school with {link.name}'s help"
            if link.with_adult_help
            else f", on a link opened in school by {link.name}"
        )
        return f"{pupil.forename} {pupil.surname}, in their own words{helped}"
    return f"{link.name} ({link.audience_in_a_sentence})"


def _pass_safety_answer(link: ContributionRequest, words: str) -> None:
    """The safety answer goes to the DSL team: as a concern when the safeguarding app listens
    (``pupils.safety_hooks``; peps does not import it), else by email with a link only."""
    if link.submitted_at is None:
        raise ValueError("A safety answer is passed on only from a submitted link")
    taken = safety_worry_given(
        SafetyWorry(
            pupil=link.pep.pupil,
            source="pep_contribution",
            given_by=_given_by(link),
            words=words,
            given_at=link.submitted_at,
            source_model="peps.contributionrequest",
            source_id=link.pk,
        )
    )
    if taken:
        _audit(ContributionAction.SAFETY_PASSED_TO_DSL, link, passed_as="concern")
    else:
        _tell_dsl_team(link)


def _tell_dsl_team(link: ContributionRequest) -> None:
    school = link.pep.pupil.school
    recipients = sorted(
        set(
            Membership.objects.filter(
                school=school, role__in=[Role.DSL, Role.DEPUTY_DSL], user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )
    url = settings.SITE_URL + reverse("contributions:list", args=[link.pep_id])
    for email in recipients:
        message_queue(
            recipient=email,
            template="pep_contribution_safety",
            context={"url": url},
            dedupe_key=f"pep-contribution-{link.pk}-safety-{email}",
            school=school,
            about=link,
            about_label="A safety answer in a request for views",
            pupil=link.pep.pupil,
            sensitivity=Sensitivity.SAFEGUARDING,
        )
    _audit(ContributionAction.SAFETY_PASSED_TO_DSL, link, passed_as="email")


# --- Send-time secrets (registered in PepsConfig.ready) ---------------------------------------

WITHDRAWN = "[this link was withdrawn before it was sent: ask the school for a new one]"


def _link_of(message: OutboxMessage) -> ContributionRequest:
    return ContributionRequest.objects.select_related("pep").get(pk=int(message.about_id))


def make_link_secret(message: OutboxMessage) -> str:
    """The link, made as the outbox sends its email: a fresh token whose hash replaces any
    earlier one, so only the link in the email that left works."""
    link = _link_of(message)
    if link_state(link, today=timezone.localdate()) != LinkState.OPEN:
        return WITHDRAWN
    token = secrets.new_token()
    ContributionRequest.objects.filter(pk=link.pk).update(token_hash=secrets.token_hash(token))
    return settings.SITE_URL + reverse("contribute:start", args=[token])


def make_code_secret(message: OutboxMessage) -> str:
    link = _link_of(message)
    code = secrets.new_code()
    ContributionRequest.objects.filter(pk=link.pk).update(
        code_hash=secrets.code_hash(code, salt=link.token_hash), code_sent_at=timezone.now()
    )
    return code
