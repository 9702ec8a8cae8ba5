"""Queueing email. Every message Harbour sends is a row in the outbox first."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string

from notifications.models import OutboxMessage


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    content: bytes


@transaction.atomic
def message_queue(
    *,
    recipient: str,
    template: str,
    context: dict,
    dedupe_key: str,
    school=None,
    about: models.Model | None = None,
    attachment: Attachment | None = None,
) -> OutboxMessage:
    """Add a message to the outbox, rendered from ``templates/emails/<template>_subject.txt``,
    ``<template>.txt`` and ``<template>.html``, and have a worker send it once the caller's
    transaction commits.

    ``dedupe_key`` names what the message is for ("pep-41-v2-virtual-school"); queueing the
    same key again returns the existing row and sends nothing more.
    """
    existing = OutboxMessage.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    context = {"school": school, **context}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    message = OutboxMessage(
        school=school,
        recipient=recipient,
        subject=subject[:200],
        body_text=render_to_string(f"emails/{template}.txt", context),
        body_html=render_to_string(f"emails/{template}.html", context),
        dedupe_key=dedupe_key,
    )
    if about is not None:
        message.about_type = ContentType.objects.get_for_model(about)
        message.about_id = str(about.pk)
        message.about_label = str(about)[:200]
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
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_pk: int) -> None:
    from notifications.tasks import outbox_send

    outbox_send.delay(message_pk)
