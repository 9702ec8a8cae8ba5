"""Signing in with email and password, then a code from the authenticator app."""

import datetime as dt

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from accounts.roles import Role
from core.models import AuditEvent
from tests.accounts.conftest import code_step, current_code, is_verified, password_step
from tests.conftest import member
from tests.factories import TOTPDeviceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(school):
    user = member(school, Role.DESIGNATED_TEACHER, email="jo.bloggs@fenbridge.sch.uk")
    TOTPDeviceFactory(user=user)
    return user


def test_sign_in_page_asks_for_email_address_and_password(client):
    response = client.get(reverse("accounts:login"))

    assert response.status_code == 200
    assert b"Email address" in response.content
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_correct_password_then_sends_user_to_their_second_factor(client, teacher):
    response = password_step(client, teacher.email)

    assert response.status_code == 302
    assert response.url == reverse("accounts:two_factor")
    assert client.get(response.url).url == reverse("accounts:two_factor_verify")
    # Only a password: every other page still sends them back to the second factor.
    assert client.get(reverse("home")).url == reverse("accounts:two_factor")


def test_email_address_is_not_case_sensitive(client, teacher):
    response = password_step(client, "  Jo.Bloggs@Fenbridge.SCH.uk ")

    assert response.status_code == 302


def test_wrong_password_is_refused_with_an_error_summary(client, teacher):
    response = password_step(client, teacher.email, "not my password at all")

    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Enter the email address and password of your Harbour account" in response.content
    assert "_auth_user_id" not in client.session


def test_empty_form_says_what_is_missing(client):
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""})

    assert b"Enter your email address" in response.content
    assert b"Enter your password" in response.content


def test_code_from_authenticator_app_completes_sign_in(client, teacher, clock):
    device = teacher.totpdevice_set.get()
    password_step(client, teacher.email)

    response = code_step(client, current_code(device))

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert is_verified(client)
    event = AuditEvent.objects.get(action="user.signed_in")
    assert event.actor == teacher
    assert event.changes == {"second_factor": "totp"}


def test_next_page_is_kept_through_both_steps(client, teacher, clock):
    device = teacher.totpdevice_set.get()
    response = password_step(client, teacher.email, next="/accounts/staff/")
    assert response.url == reverse("accounts:two_factor") + "?next=%2Faccounts%2Fstaff%2F"
    response = client.get(response.url)
    assert response.url == reverse("accounts:two_factor_verify") + "?next=%2Faccounts%2Fstaff%2F"

    response = client.post(response.url, {"code": current_code(device)})

    assert response.url == "/accounts/staff/"


def test_next_page_on_another_site_is_ignored(client, teacher, clock):
    device = teacher.totpdevice_set.get()
    password_step(client, teacher.email)
    url = reverse("accounts:two_factor_verify") + "?next=https://evil.example/"

    response = client.post(url, {"code": current_code(device)})

    assert response.url == reverse("home")


def test_wrong_code_is_refused_and_user_stays_unverified(client, teacher, clock):
    device = teacher.totpdevice_set.get()
    password_step(client, teacher.email)
    wrong = f"{(int(current_code(device)) + 500000) % 1000000:06d}"

    response = code_step(client, wrong)

    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"The code is wrong or has expired" in response.content
    assert not is_verified(client)
    assert not AuditEvent.objects.filter(action="user.signed_in").exists()


def test_repeated_wrong_codes_are_throttled_with_a_clear_wait(client, teacher, clock):
    device = teacher.totpdevice_set.get()
    password_step(client, teacher.email)
    code_step(client, "000000")
    code_step(client, "000000")  # within a second of the first: throttled, not counted

    # Even the right code must wait out the throttle after wrong guesses.
    response = code_step(client, current_code(device))

    assert b"Too many wrong codes. Wait 1 second, then try again." in response.content
    assert not is_verified(client)
    clock.shift(dt.timedelta(seconds=2))
    assert code_step(client, current_code(device)).status_code == 302
    assert is_verified(client)


def test_a_code_already_used_cannot_be_used_again(client, teacher, clock):
    device = teacher.totpdevice_set.get()
    code = current_code(device)
    password_step(client, teacher.email)
    code_step(client, code)
    client.post(reverse("accounts:logout"))
    clock.shift(dt.timedelta(seconds=5))  # same 30-second window, so the app shows the same

    password_step(client, teacher.email)
    response = code_step(client, code)

    assert b"The code is wrong or has expired" in response.content


def _backup_codes_for(user, *codes):
    device = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return device


def test_backup_code_works_once_then_fails(client, teacher, clock):
    _backup_codes_for(teacher, "abcd2345", "efgh6723")
    password_step(client, teacher.email)

    response = code_step(client, "ABCD 2345")  # as copied from paper, in capitals

    assert response.status_code == 302
    assert is_verified(client)
    assert AuditEvent.objects.get(action="user.signed_in").changes == {
        "second_factor": "backup code"
    }
    client.post(reverse("accounts:logout"))
    clock.shift(dt.timedelta(minutes=1))

    password_step(client, teacher.email)
    response = code_step(client, "abcd2345")

    assert response.status_code == 200
    assert b"The code is wrong or has expired" in response.content
    assert not is_verified(client)
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["efgh6723"]


def test_sign_out_is_post_only_and_audited(client, teacher, clock):
    device = teacher.totpdevice_set.get()
    password_step(client, teacher.email)
    code_step(client, current_code(device))

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.url == reverse("accounts:login")
    assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action="user.signed_out", actor=teacher).exists()


def test_without_two_factor_required_password_alone_signs_in(client, teacher, settings):
    settings.TWO_FACTOR_REQUIRED = False

    response = password_step(client, teacher.email)

    assert response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.get(action="user.signed_in").changes == {"second_factor": "off"}


def test_idle_session_ends_after_the_idle_timeout(client, teacher, clock, settings):
    device = teacher.totpdevice_set.get()
    password_step(client, teacher.email)
    code_step(client, current_code(device))
    idle = dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES)

    # Each request renews the session, so steady work never times out.
    clock.shift(idle - dt.timedelta(minutes=1))
    assert client.get(reverse("home")).status_code == 200
    clock.shift(idle - dt.timedelta(minutes=1))
    assert client.get(reverse("home")).status_code == 200

    clock.shift(idle + dt.timedelta(minutes=1))
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
