"""The Django admin is for superusers only, and the audit log there is read-only."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from core.models import AuditEvent
from tests.conftest import member, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client():
    return sign_in(Client(), UserFactory(is_superuser=True, is_staff=True))


def test_staff_flag_alone_does_not_open_the_admin(school):
    head = member(school, Role.HEADTEACHER, is_staff=True)
    client = sign_in(Client(), head)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_superuser_sees_users_and_memberships(superuser_client, school):
    member(school, Role.DSL, email="dsl@fenbridge.sch.uk")

    assert superuser_client.get(reverse("admin:index")).status_code == 200
    users = superuser_client.get(reverse("admin:accounts_user_changelist"))
    assert b"dsl@fenbridge.sch.uk" in users.content
    assert superuser_client.get(reverse("admin:accounts_membership_changelist")).status_code == 200


def test_superuser_can_add_a_user_by_email(superuser_client):
    password = "quayside lantern 2026"

    response = superuser_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Person@School.test",
            "full_name": "New Person",
            "usable_password": "true",
            "password1": password,
            "password2": password,
            # The memberships inline's management form, as the browser sends it.
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    assert User.objects.get(email="new.person@school.test").check_password(password)


def test_audit_events_cannot_be_added_changed_or_deleted_in_the_admin(superuser_client, school):
    event = AuditEvent.objects.create(school=school, action="pupil.viewed")

    assert superuser_client.get(reverse("admin:core_auditevent_add")).status_code == 403
    view = superuser_client.get(reverse("admin:core_auditevent_change", args=[event.pk]))
    assert view.status_code == 200
    assert b'name="_save"' not in view.content
    delete = reverse("admin:core_auditevent_delete", args=[event.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
