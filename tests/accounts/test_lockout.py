"""django-axes locks an account after AXES_FAILURE_LIMIT wrong passwords, for
AXES_COOLOFF_TIME."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.accounts.conftest import password_step
from tests.conftest import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(school):
    return member(school, Role.DESIGNATED_TEACHER, email="sam.jones@fenbridge.sch.uk")


def _guess_wrong(client, email, times):
    return [password_step(client, email, "wrong password guess").status_code for _ in range(times)]


def test_account_locks_after_the_failure_limit_and_refuses_the_right_password(
    client, teacher, settings, clock
):
    limit = settings.AXES_FAILURE_LIMIT
    statuses = _guess_wrong(client, teacher.email, limit)

    assert statuses[:-1] == [200] * (limit - 1)
    assert statuses[-1] == 429
    response = password_step(client, teacher.email)

    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"locked it for {minutes} minutes" in " ".join(response.content.decode().split())
    assert "_auth_user_id" not in client.session


def test_lock_out_counts_the_account_whatever_the_case_of_the_email(
    client, teacher, settings, clock
):
    _guess_wrong(client, teacher.email.upper(), settings.AXES_FAILURE_LIMIT)

    assert password_step(client, teacher.email).status_code == 429


def test_lock_out_of_one_account_leaves_colleagues_on_the_same_network_alone(
    client, teacher, school, settings, clock
):
    colleague = member(school, Role.STAFF)
    _guess_wrong(client, teacher.email, settings.AXES_FAILURE_LIMIT)

    response = password_step(client, colleague.email)

    assert response.status_code == 302


def test_lock_out_lifts_after_the_cool_off(client, teacher, settings, clock):
    _guess_wrong(client, teacher.email, settings.AXES_FAILURE_LIMIT)
    clock.shift(settings.AXES_COOLOFF_TIME - dt.timedelta(minutes=1))
    assert password_step(client, teacher.email).status_code == 429

    # A try while locked starts the cool-off again, so wait it out from that try.
    clock.shift(settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1))
    response = password_step(client, teacher.email)

    assert response.status_code == 302
    assert response.url == reverse("accounts:two_factor")
