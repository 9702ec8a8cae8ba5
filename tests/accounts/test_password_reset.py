"""Resetting a forgotten password by email, through the outbox."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from notifications.models import OutboxMessage
from notifications.services import SET_PASSWORD_LINK
from tests.accounts.conftest import delivered_link, password_step
from tests.conftest import member

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lighthouse quay anchor 47"


@pytest.fixture
def teacher(school):
    return member(school, Role.DESIGNATED_TEACHER, email="ali.khan@fenbridge.sch.uk")


def _request_reset(client, email):
    return client.post(reverse("accounts:password_reset"), {"email": email})


def _link_in(message: OutboxMessage) -> str:
    return delivered_link(message)


def _choose_password(client, link, password=NEW_PASSWORD):
    form_url = client.get(link).url  # Django swaps the token for a session, then redirects
    assert client.get(form_url).status_code == 200
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_reset_queues_exactly_one_email_with_a_working_link(client, teacher):
    response = _request_reset(client, "Ali.Khan@fenbridge.sch.uk")

    assert response.url == reverse("accounts:password_reset_done")
    message = OutboxMessage.objects.get()
    assert message.recipient == teacher.email
    assert message.school is None
    assert message.subject == "Reset your Harbour password"
    assert message.dedupe_key.startswith(f"password-reset-{teacher.pk}-")
    assert SET_PASSWORD_LINK in message.body_text
    assert SET_PASSWORD_LINK in message.body_html
    link = _link_in(message)

    response = _choose_password(client, link)

    assert response.url == reverse("accounts:password_reset_complete")
    assert password_step(client, teacher.email, NEW_PASSWORD).url == reverse("accounts:two_factor")


def test_each_request_queues_its_own_email(client, teacher, clock):
    _request_reset(client, teacher.email)
    clock.shift(dt.timedelta(seconds=1))  # the token carries the time, so the key differs
    _request_reset(client, teacher.email)

    assert OutboxMessage.objects.count() == 2


def test_unknown_address_gets_the_same_page_and_no_email(client, teacher):
    response = _request_reset(client, "nobody@fenbridge.sch.uk")

    assert response.url == reverse("accounts:password_reset_done")
    assert not OutboxMessage.objects.exists()


def test_link_works_only_once(client, teacher):
    _request_reset(client, teacher.email)
    link = _link_in(OutboxMessage.objects.get())
    _choose_password(client, link)

    response = client.get(link)

    assert b"This link has expired" in response.content


def test_short_password_is_refused_and_nothing_changes(client, teacher):
    _request_reset(client, teacher.email)
    link = _link_in(OutboxMessage.objects.get())

    response = _choose_password(client, link, "short pw")

    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"at least 12 characters" in response.content
    teacher.refresh_from_db()
    assert not teacher.check_password("short pw")


def test_choosing_a_new_password_lifts_a_lock_out(client, teacher, settings, clock):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(client, teacher.email, "wrong password guess")
    assert password_step(client, teacher.email).status_code == 429

    _request_reset(client, teacher.email)
    _choose_password(client, _link_in(OutboxMessage.objects.get()))

    assert password_step(client, teacher.email, NEW_PASSWORD).status_code == 302


def test_invited_user_without_a_password_can_ask_for_a_new_link(client, school):
    invited = member(school, Role.STAFF)
    invited.set_unusable_password()
    invited.save()

    _request_reset(client, invited.email)

    assert OutboxMessage.objects.filter(recipient=invited.email).count() == 1
