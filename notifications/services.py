"""The outbox: every message Harbour sends is a row here first, and a worker sends it later.

A message is queued inside the transaction of the change that caused it (``message_queue``), so
it exists exactly when that change was committed. A worker claims the row with one conditional
UPDATE before it sends (``message_send``), so a task delivered twice, or two workers racing for
it, send it once. A send that fails is retried with exponential backoff; one that may have
reached the recipient is never sent again without a person deciding to.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape

from accounts.links import set_password_link
from accounts.models import User
from core.audit import audit_record
from core.sensitivity import Sensitivity
from notifications.audit import OutboxAction
from notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

State = OutboxMessage.State

# A worker that has not finished sending within this time has stopped (a crash, a deploy, an
# out-of-memory kill). EMAIL_TIMEOUT bounds a live send to well under a minute.
STUCK_AFTER = timedelta(minutes=15)
STUCK_ERROR = "The worker stopped while sending; check with the recipient before retrying"
# What a stored message says in place of a set-password link. The outbox page, the Django admin
# and the database show this; the worker swaps in a fresh link as it sends (``_deliver``), so
# the link exists only in the email that reaches the recipient.
SET_PASSWORD_LINK = "[a set-password link, sent only to the recipient]"  # noqa: S105 (not one)
# The same for any other secret made as the message is sent (``register_send_time_secret``): a
# template puts ``{{ private_secret }}`` where the secret goes, and the row keeps this.
PRIVATE_SECRET = "[sent only to the recipient]"  # noqa: S105 (not one)
# template name -> what makes that template's secret as the message is sent.
_SEND_TIME_SECRETS: dict[str, Callable[[OutboxMessage], str]] = {}
# The periodic flush enqueues at most this many rows a run; it runs every minute.
FLUSH_BATCH = 500


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    content: bytes


class SendOutcome(StrEnum):
    SENT = "sent"
    RETRY_SCHEDULED = "retry_scheduled"
    FAILED = "failed"
    # Another worker has the row, it was sent already, or its next attempt is not due yet.
    NOT_CLAIMED = "not_claimed"


@dataclass(frozen=True)
class FlushOutcome:
    enqueued: int
    abandoned: int


def register_send_time_secret(template: str, maker: Callable[[OutboxMessage], str]) -> None:
    """Have the worker fill ``{{ private_secret }}`` in every message of ``template`` with
    ``maker(message)`` as it sends it, so the secret (a contributor's link, a one-time code)
    exists only in the email that leaves, never in the stored row. ``maker`` finds its record
    through the message's ``about``; it may store a hash of what it returns. An app registers
    its makers in its ``AppConfig.ready``; each send (a retry too) makes a fresh one."""
    _SEND_TIME_SECRETS[template] = maker


@transaction.atomic
def message_queue(
    *,
    recipient: str,
    template: str,
    context: dict,
    dedupe_key: str,
    school=None,
    about: models.Model | None = None,
    about_label: str | None = None,
    pupil: models.Model | None = None,
    attachment: Attachment | None = None,
    set_password_for: User | None = None,
    sensitivity: str = Sensitivity.ORDINARY,
) -> OutboxMessage:
    """Add a message to the outbox, rendered from ``templates/emails/<template>_subject.txt``,
    ``<template>.txt`` and ``<template>.html``, and have a worker send it once the caller's
    transaction commits.

    Pass ``pupil`` when the message is about a child: the outbox shows them by name only to
    staff who may see children, and as initials and a record number to anyone else. Pass
    ``sensitivity=Sensitivity.SAFEGUARDING`` when it tells of a safeguarding record: only those
    who may act on concerns then read its subject and body (``core.sensitivity``).

    ``dedupe_key`` names what the message is for ("pep-41-v2-virtual-school"); queueing the
    same key again returns the existing row and sends nothing more.

    A message that carries a set-password link names whose (``set_password_for``) and puts
    ``{{ set_password_url }}`` in its templates: the row keeps ``SET_PASSWORD_LINK`` there,
    and the link is made only when the message is sent. Never put a token in ``context`` or
    ``dedupe_key``: both end up on pages and in the admin.
    """
    existing = OutboxMessage.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    context = {
        "school": school,
        "recipient": recipient,
        **context,
        "set_password_url": SET_PASSWORD_LINK,
        "private_secret": PRIVATE_SECRET,
    }
    subject = " ".join(_render_plain_text(f"emails/{template}_subject.txt", context).split())
    message = OutboxMessage(
        school=school,
        recipient=recipient,
        subject=subject[:200],
        body_text=_render_plain_text(f"emails/{template}.txt", context),
        body_html=render_to_string(f"emails/{template}.html", context),
        dedupe_key=dedupe_key,
        set_password_for=set_password_for,
        template=template,
        about_pupil_id=pupil.pk if pupil is not None else None,
        sensitivity=sensitivity,
    )
    if set_password_for is not None and SET_PASSWORD_LINK not in message.body_text:
        raise ValueError(f"emails/{template}.txt has no {{{{ set_password_url }}}}")
    if template in _SEND_TIME_SECRETS and (
        PRIVATE_SECRET not in message.body_text or about is None
    ):
        raise ValueError(f"emails/{template}.txt needs {{{{ private_secret }}}} and an about=")
    if about is not None:
        message.about_type = ContentType.objects.get_for_model(about)
        message.about_id = str(about.pk)
        message.about_label = (about_label or str(about))[:200]
    if attachment is not None:
        message.attachment_name = attachment.name
        message.attachment_type = attachment.content_type
        message.attachment = attachment.content
    try:
        # A savepoint, so a racing duplicate leaves the caller's transaction usable.
        with transaction.atomic():
            message.save()
    except IntegrityError:
        return OutboxMessage.objects.get(dedupe_key=dedupe_key)
    _enqueue_on_commit(message.pk)
    return message


def _render_plain_text(name: str, context: dict) -> str:
    """A subject or a plain-text body: text, not HTML, so never HTML-escaped. "O'Brien" and
    "St Mary & St John" must reach the reader as typed, not as ``O&#x27;Brien``. Decided
    here for every email, so no template has to remember ``{% autoescape off %}``."""
    return Engine.get_default().get_template(name).render(Context(context, autoescape=False))


def message_send(*, message_pk: int, now: datetime | None = None) -> SendOutcome:
    """Send one queued message if it is due and nobody else is sending it.

    Runs in autocommit (never inside ``transaction.atomic``): the claim must be committed
    before the email leaves, so that a worker that dies mid-send leaves the row in SENDING for
    ``outbox_flush`` to report, rather than rolling back to QUEUED and sending twice.
    """
    now = now or timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_pk, state=State.QUEUED, next_attempt_at__lte=now
    ).update(state=State.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    if not claimed:
        logger.info(
            "outbox: message not claimed (sent, being sent, or not due)",
            extra={"outbox_message": message_pk, "outcome": SendOutcome.NOT_CLAIMED.value},
        )
        return SendOutcome.NOT_CLAIMED

    message = OutboxMessage.objects.get(pk=message_pk)
    try:
        _deliver(message)
    except Exception as error:  # any backend failure: SMTPException, OSError, a bad setting
        return _record_failure(message, error, now)

    # Unconditional: if the stuck-row sweep marked it FAILED meanwhile, it was still sent.
    OutboxMessage.objects.filter(pk=message_pk).update(state=State.SENT, sent_at=timezone.now())
    logger.info(
        "outbox: message sent",
        extra={
            "outbox_message": message_pk,
            "attempt": message.attempts,
            "outcome": SendOutcome.SENT.value,
        },
    )
    return SendOutcome.SENT


@transaction.atomic
def message_retry(*, message: OutboxMessage, user: User) -> OutboxMessage:
    """Give a failed message another attempt, now. Its attempts so far are kept: one that had
    used them all gets this one attempt, not a fresh round of automatic retries."""
    requeued = OutboxMessage.objects.filter(pk=message.pk, state=State.FAILED).update(
        state=State.QUEUED, next_attempt_at=timezone.now()
    )
    if not requeued:
        message.refresh_from_db(fields=["state"])
        raise ValidationError(
            "Only a message that failed can be sent again. "
            f"This one is {message.get_state_display().lower()}."
        )
    audit_record(
        action=OutboxAction.RETRIED,
        actor=user,
        school=message.school,
        obj=message,
        fields=["state"],
        values={"state": [State.FAILED.value, State.QUEUED.value]},
    )
    _enqueue_on_commit(message.pk)
    logger.info(
        "outbox: message queued again by hand",
        extra={"outbox_message": message.pk, "user": user.pk},
    )
    message.refresh_from_db()
    return message


def outbox_flush(*, now: datetime | None = None) -> FlushOutcome:
    """The periodic safety net behind the tasks queued on commit.

    Enqueues every queued message that is due: its task may have been lost (the broker was
    down when the row was committed, or a retry was scheduled on a broker that was then
    flushed). A duplicate task is harmless: the claim in ``message_send`` lets one through.

    Marks as failed every message stuck in SENDING for longer than ``STUCK_AFTER``. These are
    never sent again automatically: the worker stopped after claiming them, perhaps after the
    email had left, and a person must check with the recipient before retrying.
    """
    now = now or timezone.now()

    stuck = list(
        OutboxMessage.objects.filter(
            state=State.SENDING, claimed_at__lt=now - STUCK_AFTER
        ).values_list("pk", flat=True)
    )
    abandoned = 0
    if stuck:
        abandoned = OutboxMessage.objects.filter(pk__in=stuck, state=State.SENDING).update(
            state=State.FAILED, last_error=STUCK_ERROR
        )
        logger.error(
            "outbox: messages stuck in sending marked failed",
            extra={"outbox_messages": stuck, "count": abandoned},
        )

    due = list(
        OutboxMessage.objects.filter(state=State.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:FLUSH_BATCH]
    )
    for message_pk in due:
        _enqueue(message_pk)
    if due:
        logger.info("outbox: due messages enqueued", extra={"count": len(due)})
    return FlushOutcome(enqueued=len(due), abandoned=abandoned)


def _deliver(message: OutboxMessage) -> None:
    body_text, body_html = message.body_text, message.body_html
    if message.set_password_for_id is not None:
        # Made now, from the user's state now: it is valid for PASSWORD_RESET_TIMEOUT from
        # this send, and stops working once they choose a password.
        link = set_password_link(User.objects.get(pk=message.set_password_for_id))
        body_text = body_text.replace(SET_PASSWORD_LINK, link)
        body_html = body_html.replace(SET_PASSWORD_LINK, escape(link))
    maker = _SEND_TIME_SECRETS.get(message.template)
    if maker is not None:
        secret = maker(message)
        body_text = body_text.replace(PRIVATE_SECRET, secret)
        body_html = body_html.replace(PRIVATE_SECRET, escape(secret))
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
    )
    if body_html:
        email.attach_alternative(body_html, "text/html")
    if message.attachment is not None and message.attachment_name:
        # PostgreSQL hands a BinaryField back as a memoryview.
        email.attach(
            message.attachment_name,
            bytes(message.attachment),
            message.attachment_type or "application/octet-stream",
        )
    email.send(fail_silently=False)


def _record_failure(message: OutboxMessage, error: Exception, now: datetime) -> SendOutcome:
    error_text = f"{type(error).__name__}: {error}"[:2000]
    attempts = message.attempts  # already counts this attempt: the claim added one
    if attempts < settings.OUTBOX_MAX_ATTEMPTS:
        delay = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
        OutboxMessage.objects.filter(pk=message.pk, state=State.SENDING).update(
            state=State.QUEUED,
            next_attempt_at=now + timedelta(seconds=delay),
            last_error=error_text,
        )
        _enqueue_on_commit(message.pk, countdown=delay)
        outcome = SendOutcome.RETRY_SCHEDULED
        level = logging.WARNING
    else:
        OutboxMessage.objects.filter(pk=message.pk, state=State.SENDING).update(
            state=State.FAILED, last_error=error_text
        )
        outcome = SendOutcome.FAILED
        level = logging.ERROR
    logger.log(
        level,
        "outbox: sending failed",
        extra={
            "outbox_message": message.pk,
            "attempt": attempts,
            "outcome": outcome.value,
            "error": error_text,
        },
    )
    return outcome


def _enqueue_on_commit(message_pk: int, countdown: int | None = None) -> None:
    # robust: the row is committed whatever the broker does; if the broker is down, the
    # caller's change still stands and outbox_flush enqueues the message later.
    transaction.on_commit(lambda: _enqueue(message_pk, countdown=countdown), robust=True)


def _enqueue(message_pk: int, countdown: int | None = None) -> None:
    from notifications.tasks import outbox_send

    outbox_send.apply_async((message_pk,), countdown=countdown)
