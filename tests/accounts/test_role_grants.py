"""Attacks on roles: nobody gives themselves a role, only a headteacher gives or takes a role
that opens children's records, a school always keeps a headteacher, and the heads hear of
every such grant.

An administrator once gave itself the designated teacher role and opened children's records,
removed the head's roles and invited new heads.
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, User
from accounts.roles import ROLES_THAT_SEE_CHILDREN, Role
from accounts.services import staff_invite, staff_roles_set
from core.models import AuditEvent
from notifications.models import OutboxMessage
from tests.conftest import member, sign_in

pytestmark = pytest.mark.django_db


def _roles(user, school) -> set[str]:
    return set(Membership.objects.filter(user=user, school=school).values_list("role", flat=True))


def _offered(response) -> set[str]:
    return set(re.findall(r'name="roles"[^>]*value="(\w+)"', response.content.decode())) | set(
        re.findall(r'value="(\w+)"[^>]*name="roles"', response.content.decode())
    )


def test_roles_that_see_children_come_from_the_role_table():
    assert {
        Role.DESIGNATED_TEACHER,
        Role.DSL,
        Role.DEPUTY_DSL,
        Role.HEADTEACHER,
    } == ROLES_THAT_SEE_CHILDREN


def test_administrator_cannot_give_itself_the_designated_teacher_role(school):
    admin = member(school, Role.ADMINISTRATOR)
    member(school, Role.HEADTEACHER)
    client = sign_in(Client(), admin)
    url = reverse("accounts:staff_roles", args=[admin.pk])

    assert _offered(client.get(url)) == {Role.ADMINISTRATOR}
    response = client.post(url, {"roles": [Role.ADMINISTRATOR, Role.DESIGNATED_TEACHER]})

    assert response.status_code == 200
    assert _roles(admin, school) == {Role.ADMINISTRATOR}
    assert client.get(reverse("pupils:cohort")).status_code == 403
    with pytest.raises(ValidationError, match="cannot give yourself a role"):
        staff_roles_set(
            school=school, user=admin, roles=[Role.ADMINISTRATOR, Role.STAFF], changed_by=admin
        )
    assert not AuditEvent.objects.filter(action="staff.roles_changed").exists()


@pytest.mark.parametrize("role", [Role.HEADTEACHER, Role.DESIGNATED_TEACHER, Role.DSL])
def test_administrator_cannot_invite_someone_who_would_see_children(school, role):
    admin = member(school, Role.ADMINISTRATOR)
    client = sign_in(Client(), admin)

    assert role not in _offered(client.get(reverse("accounts:staff_invite")))
    response = client.post(
        reverse("accounts:staff_invite"),
        {"email": "crony@example.test", "full_name": "A Crony", "roles": [role]},
    )

    assert response.status_code == 200
    assert not User.objects.filter(email="crony@example.test").exists()
    with pytest.raises(ValidationError, match="Only a headteacher"):
        staff_invite(
            school=school,
            email="crony@example.test",
            full_name="A Crony",
            roles=[role],
            invited_by=admin,
        )
    assert not OutboxMessage.objects.exists()


def test_administrator_may_invite_and_change_roles_that_see_no_children(school):
    admin = member(school, Role.ADMINISTRATOR)
    teacher = member(school, Role.STAFF)

    staff_invite(
        school=school,
        email="gov@example.test",
        full_name="A Governor",
        roles=[Role.GOVERNOR],
        invited_by=admin,
    )
    staff_roles_set(school=school, user=teacher, roles=[Role.GOVERNOR], changed_by=admin)

    assert _roles(teacher, school) == {Role.GOVERNOR}


def test_administrator_cannot_remove_the_heads_role(school):
    admin = member(school, Role.ADMINISTRATOR)
    head = member(school, Role.HEADTEACHER, Role.DSL)
    client = sign_in(Client(), admin)
    url = reverse("accounts:staff_roles", args=[head.pk])

    response = client.post(url, {"roles": []})  # the browser sends only what it offered

    assert _roles(head, school) == {Role.HEADTEACHER, Role.DSL}
    assert response.status_code == 302  # nothing it could change was changed
    with pytest.raises(ValidationError, match="Only a headteacher"):
        staff_roles_set(school=school, user=head, roles=[Role.DSL], changed_by=admin)
    with pytest.raises(ValidationError, match="Only a headteacher"):
        staff_roles_set(school=school, user=head, roles=[], changed_by=admin)
    assert _roles(head, school) == {Role.HEADTEACHER, Role.DSL}


def test_last_headteacher_cannot_be_removed_even_by_a_headteacher(school):
    head = member(school, Role.HEADTEACHER, Role.DSL)
    member(school, Role.ADMINISTRATOR)

    for roles in ([Role.DSL], []):
        with pytest.raises(ValidationError, match="only headteacher"):
            staff_roles_set(school=school, user=head, roles=roles, changed_by=head)

    assert _roles(head, school) == {Role.HEADTEACHER, Role.DSL}


def test_headteacher_cannot_give_itself_a_role_either(school):
    head = member(school, Role.HEADTEACHER)

    with pytest.raises(ValidationError, match="cannot give yourself a role"):
        staff_roles_set(
            school=school, user=head, roles=[Role.HEADTEACHER, Role.DSL], changed_by=head
        )


def test_headteacher_giving_a_designated_teacher_role_tells_the_heads_and_the_person(school):
    head = member(school, Role.HEADTEACHER, full_name="Hana Head")
    other_head = member(school, Role.HEADTEACHER)
    teacher = member(school, Role.STAFF, full_name="Tom Teacher")
    client = sign_in(Client(), head)

    response = client.post(
        reverse("accounts:staff_roles", args=[teacher.pk]),
        {"roles": [Role.STAFF, Role.DESIGNATED_TEACHER]},
    )

    assert response.url == reverse("accounts:staff")
    assert _roles(teacher, school) == {Role.STAFF, Role.DESIGNATED_TEACHER}
    sent = {m.recipient: m for m in OutboxMessage.objects.filter(school=school)}
    assert set(sent) == {head.email, other_head.email, teacher.email}
    for message in sent.values():
        assert "Designated teacher" in message.body_text
        assert "Hana Head" in message.body_text
        assert message.set_password_for is None
        assert "/password-reset/" not in message.body_text
    assert "Tom Teacher" in sent[other_head.email].subject
    event = AuditEvent.objects.get(action="staff.roles_changed")
    assert event.actor == head
    assert event.changes == {"roles": [["staff"], ["designated_teacher", "staff"]]}


def test_headteacher_inviting_a_dsl_tells_every_head(school):
    head = member(school, Role.HEADTEACHER)
    other_head = member(school, Role.HEADTEACHER)

    staff_invite(
        school=school,
        email="new.dsl@example.test",
        full_name="Nia DSL",
        roles=[Role.DSL],
        invited_by=head,
    )

    notices = OutboxMessage.objects.filter(dedupe_key__startswith="staff-role-granted-")
    assert {m.recipient for m in notices} == {head.email, other_head.email}
    assert AuditEvent.objects.filter(action="staff.invited", actor=head).exists()


def test_a_person_may_give_up_a_role_of_their_own(school):
    head = member(school, Role.HEADTEACHER, Role.DSL)

    staff_roles_set(school=school, user=head, roles=[Role.HEADTEACHER], changed_by=head)

    assert _roles(head, school) == {Role.HEADTEACHER}
