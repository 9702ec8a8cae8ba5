"""Setting up an authenticator app on first sign-in, and backup codes."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from core.models import AuditEvent
from tests.accounts.conftest import code_step, current_code, is_verified, password_step
from tests.conftest import member, sign_in
from tests.factories import TOTPDeviceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(school):
    """Has a password and no authenticator app yet."""
    return member(school, Role.DESIGNATED_TEACHER)


def _codes_on(response) -> list[str]:
    return re.findall(r"<code[^>]*>([a-z2-7]{8})</code>", response.content.decode())


def test_user_without_an_app_is_sent_to_set_one_up(client, newcomer):
    password_step(client, newcomer.email)

    response = client.get(reverse("accounts:two_factor"))

    assert response.url == reverse("accounts:two_factor_setup")


def test_setup_page_shows_a_qr_code_and_the_secret_to_type(client, newcomer):
    password_step(client, newcomer.email)

    response = client.get(reverse("accounts:two_factor_setup"))

    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    assert b"<svg" in response.content
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', response.content.decode()).group(1)
    assert secret.replace(" ", "") in device.config_url


def _secret_on(response) -> str:
    return re.search(r'id="totp-secret">([A-Z2-7 ]+)<', response.content.decode()).group(1)


def test_each_visit_shows_a_new_secret_and_an_earlier_one_no_longer_confirms(
    client, newcomer, clock
):
    # Anyone with the password can open this page: a secret they saw must be worthless once
    # the real user has been shown their own.
    password_step(client, newcomer.email)
    first = _secret_on(client.get(reverse("accounts:two_factor_setup")))
    seen_first = TOTPDevice.objects.get(user=newcomer)
    second = _secret_on(client.get(reverse("accounts:two_factor_setup")))

    assert first != second
    assert TOTPDevice.objects.filter(user=newcomer).count() == 1
    response = client.post(reverse("accounts:two_factor_setup"), {"code": current_code(seen_first)})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=newcomer, confirmed=True).exists()
    assert not is_verified(client)


def test_a_secret_from_another_session_cannot_be_confirmed(client, newcomer, clock):
    from django.test import Client

    password_step(client, newcomer.email)
    client.get(reverse("accounts:two_factor_setup"))
    other = Client()
    password_step(other, newcomer.email)
    other.get(reverse("accounts:two_factor_setup"))  # replaces this session's secret
    device = TOTPDevice.objects.get(user=newcomer)

    response = client.post(reverse("accounts:two_factor_setup"), {"code": current_code(device)})

    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=newcomer, confirmed=True).exists()


def test_an_expired_secret_is_refused_with_a_clear_message_and_a_new_one(
    client, newcomer, clock, settings
):
    password_step(client, newcomer.email)
    first = _secret_on(client.get(reverse("accounts:two_factor_setup")))
    device = TOTPDevice.objects.get(user=newcomer)
    clock.shift(dt.timedelta(minutes=settings.TOTP_SETUP_MINUTES, seconds=1))

    response = client.post(reverse("accounts:two_factor_setup"), {"code": current_code(device)})

    assert response.status_code == 200
    assert b"The QR code you scanned has expired" in response.content
    assert _secret_on(response) != first
    assert not TOTPDevice.objects.filter(user=newcomer, confirmed=True).exists()
    fresh = TOTPDevice.objects.get(user=newcomer)
    response = client.post(reverse("accounts:two_factor_setup"), {"code": current_code(fresh)})
    assert response.url == reverse("accounts:backup_codes")


def test_confirming_a_code_enrols_the_app_and_shows_backup_codes_once(client, newcomer, clock):
    password_step(client, newcomer.email)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=newcomer)

    response = client.post(reverse("accounts:two_factor_setup"), {"code": current_code(device)})

    assert response.url == reverse("accounts:backup_codes")
    device.refresh_from_db()
    assert device.confirmed
    assert is_verified(client)
    codes = _codes_on(client.get(reverse("accounts:backup_codes")))
    assert len(codes) == 10
    stored = StaticToken.objects.filter(device__user=newcomer, device__name="Backup codes")
    assert sorted(stored.values_list("token", flat=True)) == sorted(codes)
    # Shown once: the next visit offers new codes instead of showing them again.
    again = client.get(reverse("accounts:backup_codes"))
    assert _codes_on(again) == []
    assert b"You have 10 unused backup codes" in again.content
    assert AuditEvent.objects.filter(action="user.two_factor_enrolled", actor=newcomer).exists()


def test_wrong_code_does_not_enrol_the_app(client, newcomer, clock):
    password_step(client, newcomer.email)
    client.get(reverse("accounts:two_factor_setup"))

    response = client.post(reverse("accounts:two_factor_setup"), {"code": "12345"})

    assert b"The code is wrong or has expired" in response.content
    assert not TOTPDevice.objects.get(user=newcomer).confirmed
    assert not StaticDevice.objects.filter(user=newcomer).exists()
    assert not is_verified(client)


def test_someone_with_only_the_password_cannot_add_their_own_app(client, newcomer):
    TOTPDeviceFactory(user=newcomer)
    password_step(client, newcomer.email)

    response = client.get(reverse("accounts:two_factor_setup"))

    assert response.url == reverse("accounts:two_factor_verify")
    response = client.post(reverse("accounts:two_factor_setup"), {"code": "123456"})
    assert response.url == reverse("accounts:two_factor_verify")
    assert TOTPDevice.objects.filter(user=newcomer).count() == 1


def test_new_backup_codes_replace_the_old_ones(client, newcomer, clock):
    sign_in(client, newcomer)
    device = StaticDevice.objects.create(user=newcomer, name="Backup codes", confirmed=True)
    StaticToken.objects.create(device=device, token="oldcode2")

    response = client.post(reverse("accounts:backup_codes"))

    assert response.url == reverse("accounts:backup_codes")
    codes = _codes_on(client.get(reverse("accounts:backup_codes")))
    assert len(codes) == 10
    assert "oldcode2" not in StaticToken.objects.values_list("token", flat=True)
    assert AuditEvent.objects.filter(
        action="user.backup_codes_regenerated", actor=newcomer
    ).exists()

    client.post(reverse("accounts:logout"))
    password_step(client, newcomer.email)
    assert b"The code is wrong" in code_step(client, "oldcode2").content
    clock.shift(dt.timedelta(seconds=2))  # past the throttle that wrong code started
    assert code_step(client, codes[0]).status_code == 302


def test_backup_codes_page_needs_the_second_factor(client, newcomer):
    TOTPDeviceFactory(user=newcomer)
    password_step(client, newcomer.email)

    response = client.post(reverse("accounts:backup_codes"))

    assert response.url == reverse("accounts:two_factor")
    assert not StaticDevice.objects.filter(user=newcomer).exists()
