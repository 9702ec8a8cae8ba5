"""Attacks on set-password links: nobody but the recipient ever holds a working one.

An invitation or a password reset used to keep its link in the outbox, where a head or an
administrator could read it; and a school inviting someone with an invitation still pending at
another school read that person's link in its own outbox, chose their password, enrolled its
own authenticator and opened the other school's children's records.
"""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from core.models import AuditEvent
from notifications.models import OutboxMessage
from notifications.services import SET_PASSWORD_LINK
from tests.accounts.conftest import delivered_link, links_in, password_step
from tests.conftest import member, sign_in
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

PENDING_EMAIL = "sam.okafor@example.sch.uk"
PASSWORD = "harbour wall seagull 92"


def _invite(client, email=PENDING_EMAIL, full_name="Sam Okafor", roles=(Role.STAFF,)):
    return client.post(
        reverse("accounts:staff_invite"),
        {"email": email, "full_name": full_name, "roles": list(roles)},
    )


def _outbox_pages(client) -> str:
    """The outbox list and every message page the client can open, as one text."""
    pages = [client.get(reverse("notifications:outbox")).content.decode()]
    for message in OutboxMessage.objects.all():
        response = client.get(reverse("notifications:outbox_message", args=[message.pk]))
        if response.status_code == 200:
            pages.append(response.content.decode())
    return "\n".join(pages)


def _link_fails(link: str) -> bool:
    """Whether a set-password link found somewhere fails to let its finder choose a password."""
    client = Client()
    response = client.get(link)
    if response.status_code != 302:
        return True
    response = client.post(response.url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    return response.status_code != 302


@pytest.mark.parametrize("role", [Role.HEADTEACHER, Role.ADMINISTRATOR])
def test_outbox_shows_that_an_invitation_link_was_sent_not_the_link(make_client, school, role):
    head = sign_in(Client(), member(school, Role.HEADTEACHER))
    _invite(head)
    reader = make_client(school, role) if role != Role.HEADTEACHER else head

    pages = _outbox_pages(reader)

    assert links_in(pages) == []
    assert "/password-reset/" not in pages
    if role == Role.HEADTEACHER:  # only those who see children's records read the body
        assert SET_PASSWORD_LINK in pages
    assert not User.objects.get(email=PENDING_EMAIL).has_usable_password()


def test_school_b_cannot_take_over_an_invitation_pending_at_school_a(school):
    school_b = SchoolFactory(name="Bramble Hill School")
    head_a = sign_in(Client(), member(school, Role.HEADTEACHER))
    head_b = sign_in(Client(), member(school_b, Role.HEADTEACHER))
    _invite(head_a, roles=[Role.DESIGNATED_TEACHER])

    # School B invites the same address, then reads everything its outbox shows.
    _invite(head_b, full_name="Anyone", roles=[Role.STAFF])
    pages = _outbox_pages(head_b)

    assert all(_link_fails(link) for link in links_in(pages))
    pending = User.objects.get(email=PENDING_EMAIL)
    assert not pending.has_usable_password()
    # Nothing queued at school B carries a password link, now or when the worker sends it.
    assert not OutboxMessage.objects.filter(school=school_b, set_password_for__isnull=False)
    # So school B cannot sign in as them: no password, no authenticator, no cohort.
    assert password_step(Client(), PENDING_EMAIL, PASSWORD).status_code == 200  # refused
    # The person themselves still accepts school A's invitation with the email they receive.
    invitation_a = OutboxMessage.objects.get(school=school, recipient=PENDING_EMAIL)
    assert not _link_fails(delivered_link(invitation_a))
    pending.refresh_from_db()
    assert pending.check_password(PASSWORD)


def test_school_b_learns_nothing_of_school_a_or_the_name_the_person_uses(school):
    school_b = SchoolFactory(name="Bramble Hill School")
    person = member(school, Role.DSL, email=PENDING_EMAIL, full_name="Samuel Okafor-Reyes")
    head_b = sign_in(Client(), member(school_b, Role.HEADTEACHER))

    response = _invite(head_b, full_name="S Okafor", roles=[Role.GOVERNOR])

    flashes = " ".join(str(m) for m in get_messages(response.wsgi_request))
    shown = flashes + _outbox_pages(head_b)
    assert "S Okafor" in shown
    for secret in ("Samuel", "Okafor-Reyes", school.name, "Designated safeguarding lead"):
        assert secret not in shown
    message = OutboxMessage.objects.get(school=school_b)
    assert message.set_password_for is None
    assert "sign in as usual" in message.body_text
    assert message.about_label == "S Okafor"
    event = AuditEvent.objects.get(action="staff.invited", school=school_b)
    assert event.changes == {"roles": [[], ["governor"]]}
    person.refresh_from_db()
    assert person.full_name == "Samuel Okafor-Reyes"


def test_an_existing_account_is_emailed_a_sign_in_link_and_no_password_link(school, mailoutbox):
    from notifications.services import message_send

    member(school, Role.STAFF, email=PENDING_EMAIL)
    school_b = SchoolFactory()
    head_b = sign_in(Client(), member(school_b, Role.HEADTEACHER))
    _invite(head_b, roles=[Role.GOVERNOR])

    message_send(message_pk=OutboxMessage.objects.get(school=school_b).pk)

    [email] = mailoutbox
    assert links_in(email.body) == []
    assert reverse("accounts:login") in email.body


def test_password_reset_link_is_nowhere_but_the_email(client, school, caplog):
    teacher = member(school, Role.DESIGNATED_TEACHER, email=PENDING_EMAIL)
    superuser = sign_in(Client(), UserFactory(is_staff=True, is_superuser=True))

    client.post(reverse("accounts:password_reset"), {"email": PENDING_EMAIL})
    message = OutboxMessage.objects.get()
    link = delivered_link(message)
    token = link.rstrip("/").rsplit("/", 1)[1]
    # Opening the link and choosing a password writes logs and an audit row.
    assert not _link_fails(link)

    message.refresh_from_db()
    stored = " ".join(
        str(v) for v in OutboxMessage.objects.filter(pk=message.pk).values().get().values()
    )
    admin_pages = (
        superuser.get(reverse("admin:notifications_outboxmessage_changelist")).content.decode()
        + superuser.get(
            reverse("admin:notifications_outboxmessage_change", args=[message.pk])
        ).content.decode()
    )
    audit = " ".join(f"{e.object_repr} {e.changes}" for e in AuditEvent.objects.all())
    for place in (stored, admin_pages, audit, caplog.text):
        assert token not in place
    assert links_in(stored + admin_pages) == []
    teacher.refresh_from_db()
    assert teacher.check_password(PASSWORD)
