"""Helpers for the accounts tests: the two steps of signing in, as a browser does them."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp

from notifications.services import SendOutcome, message_send
from tests.factories import PASSWORD

# A Monday morning in term, so nothing depends on the real clock.
MONDAY_9AM = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def current_code(device) -> str:
    """The code the user's authenticator app shows now."""
    number = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{number:0{device.digits}d}"


def password_step(client, email, password=PASSWORD, **query):
    url = reverse("accounts:login")
    if query:
        from urllib.parse import urlencode

        url = f"{url}?{urlencode(query)}"
    return client.post(url, {"username": email, "password": password})


def code_step(client, code):
    return client.post(reverse("accounts:two_factor_verify"), {"code": code})


def is_verified(client) -> bool:
    """Whether the next page behind sign-in opens, rather than sending the user to
    two-factor."""
    response = client.get(reverse("home"))
    return response.status_code == 200


@pytest.fixture
def clock():
    """Frozen time that a test moves on with ``clock.shift(timedelta)``."""
    with time_machine.travel(MONDAY_9AM, tick=False) as traveller:
        yield traveller


SET_PASSWORD_LINK = re.compile(r"https?://\S+/accounts/password-reset/[^/\s]+/[^/\s]+/")


def links_in(text: str) -> list[str]:
    """Every set-password link in ``text``, as paths on this site."""
    return [url.removeprefix(settings.SITE_URL) for url in SET_PASSWORD_LINK.findall(text)]


def delivered_link(message) -> str:
    """Send ``message`` as the outbox worker does and return the set-password link in the email
    the recipient receives (a path on this site)."""
    assert message_send(message_pk=message.pk) == SendOutcome.SENT
    email = mail.outbox[-1]
    assert email.to == [message.recipient]
    [link] = links_in(email.body)
    assert link in links_in(email.alternatives[0][0])
    return link
