"""Reading the outbox, and what of each message a viewer may see."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.text import capfirst

from accounts.models import User
from accounts.redaction import can_see_children, pupil_labels_for
from core.sensitivity import EXISTS_TEXT, Detail, visible_detail
from notifications.models import OutboxMessage
from schools.models import School

# What the outbox list shows. The bodies and the attachment (a PEP's PDF can be large) stay in
# the database until someone opens the message.
_LIST_FIELDS = (
    "school_id",
    "recipient",
    "subject",
    "about_type_id",
    "about_label",
    "about_pupil_id",
    "template",
    "sensitivity",
    "attachment_name",
    "attachment_type",
    "state",
    "attempts",
    "last_error",
    "created_at",
    "sent_at",
)

# Which email a message is, in words that name no child: what a viewer who may not see children
# reads in place of its subject, which can name one ("PEP for Jane Smith"). ``{child}`` becomes
# "J.S. · record 41". A new email template needs a line here, or such viewers see
# ``_ANY_EMAIL``.
_DESCRIPTIONS = {
    "pep_completed": "PEP for {child}, sent to the Virtual School",
    "pep_overdue_virtual_school": "PEP overdue for {child}: the Virtual School told",
    "pep_reminders": "PEPs to hold: reminder to a designated teacher",
    "staff_invitation": "Invitation to Harbour",
    "password_reset": "Reset of a Harbour password",
    "test_message": "Test message from Harbour",
}
_ANY_EMAIL = "Email from Harbour"
_A_CHILD = "a child"
# What a message can be about that is never a child: its label is shown to everyone.
_ABOUT_ADULTS_OR_SCHOOL = (User, School)


@dataclass(frozen=True)
class OutboxRow:
    """One message as the viewer may see it."""

    message: OutboxMessage
    subject: str
    about: str  # "" when it is about nothing in particular
    attachment: str  # "" when there is none
    shows_body: bool


def outbox_messages() -> QuerySet[OutboxMessage]:
    """Every message, newest first, with only the columns the list needs. Narrow it to a
    school with ``core.access.school_records``."""
    return OutboxMessage.objects.only(*_LIST_FIELDS).order_by("-created_at", "-pk")


def outbox_message_detail() -> QuerySet[OutboxMessage]:
    """Messages with everything but the attachment's bytes, for one message's page."""
    return OutboxMessage.objects.defer("attachment")


def outbox_rows_for(
    capabilities: Collection[str], *, school: School, messages: Iterable[OutboxMessage]
) -> list[OutboxRow]:
    """The messages as a viewer holding ``capabilities`` may see them.

    Staff who may see children read the subject, what the message is about and the name of
    its attachment as sent. Anyone else (the school administrator) never reads the stored
    subject, label or file name, any of which can name a child or their status: they read
    which email it is and the child as initials and a record number. One query for the
    children's labels, however many messages.

    A message marked SAFEGUARDING (it tells of a concern) is cut further, by
    ``core.sensitivity.visible_detail``: someone who may act on concerns reads it as above; one
    who sees children but not concerns reads only that a safeguarding record exists and the
    child; anyone else reads "Email from Harbour", with no child and no hint of what it was.
    Its recipient, state and attempts stay, so the outbox can still be overseen.
    """
    messages = list(messages)
    labels = pupil_labels_for(
        capabilities, school=school, pupil_ids=(m.about_pupil_id for m in messages)
    )
    sees_children = can_see_children(capabilities)
    rows = []
    for m in messages:
        child = labels.get(m.about_pupil_id, "")
        detail = visible_detail(m.sensitivity, capabilities)
        if detail is Detail.FULL and sees_children:
            rows.append(
                OutboxRow(
                    message=m,
                    subject=m.subject,
                    about=m.about_label or child,
                    attachment=m.attachment_name,
                    shows_body=True,
                )
            )
        elif detail is Detail.FULL:
            rows.append(_redacted(m, child))
        elif detail is Detail.EXISTS:
            rows.append(
                OutboxRow(
                    message=m, subject=EXISTS_TEXT, about=child, attachment="", shows_body=False
                )
            )
        else:
            rows.append(
                OutboxRow(message=m, subject=_ANY_EMAIL, about="", attachment="", shows_body=False)
            )
    return rows


def outbox_row_for(capabilities: Collection[str], *, school: School, message: OutboxMessage):
    return outbox_rows_for(capabilities, school=school, messages=[message])[0]


def _redacted(message: OutboxMessage, child: str) -> OutboxRow:
    description = _DESCRIPTIONS.get(message.template, _ANY_EMAIL)
    subject = description.format(child=child or _A_CHILD)
    if child and "{child}" not in description:
        subject = f"{subject} · {child}"
    if child:
        about = child
    elif message.about_type_id in _adult_or_school_type_ids():
        about = message.about_label
    elif message.about_type_id:
        about = capfirst(ContentType.objects.get_for_id(message.about_type_id).name)
    else:
        about = ""
    attachment = ""
    if message.attachment_name:
        attachment = "A PDF" if message.attachment_type == "application/pdf" else "A file"
    return OutboxRow(
        message=message, subject=subject, about=about, attachment=attachment, shows_body=False
    )


def _adult_or_school_type_ids() -> set[int]:
    # ContentType's cache: no query after the first.
    return {ct.pk for ct in ContentType.objects.get_for_models(*_ABOUT_ADULTS_OR_SCHOOL).values()}
