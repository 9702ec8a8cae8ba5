"""The staff pages: who works at the school, inviting colleagues, changing roles."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, User
from accounts.roles import Role
from accounts.services import staff_roles_set
from core.models import AuditEvent
from notifications.models import OutboxMessage
from notifications.services import SET_PASSWORD_LINK
from tests.accounts.conftest import delivered_link
from tests.conftest import member, sign_in

pytestmark = pytest.mark.django_db

STAFF_PAGE_QUERIES = 9


def _roles(user, school) -> set[str]:
    return set(Membership.objects.filter(user=user, school=school).values_list("role", flat=True))


def _invite(client, **data):
    form = {"email": "new.teacher@fenbridge.sch.uk", "full_name": "Nia Evans", "roles": []}
    form.update(data)
    return client.post(reverse("accounts:staff_invite"), form)


# --- Who may see the pages --------------------------------------------------------------------
# Each role in and out of the school, and a signed-out visitor: tests/test_access_matrix.py.


def test_password_alone_does_not_open_staff_pages(client, school):
    from tests.accounts.conftest import password_step
    from tests.factories import TOTPDeviceFactory

    head = member(school, Role.HEADTEACHER)
    TOTPDeviceFactory(user=head)
    password_step(client, head.email)

    assert client.get(reverse("accounts:staff")).url == reverse("accounts:two_factor")
    assert client.get(reverse("accounts:audit")).url == reverse("accounts:two_factor")


# --- The list ---------------------------------------------------------------------------------
def test_staff_list_shows_this_schools_members_and_their_roles(
    school_admin_client, school, other_school, django_assert_max_num_queries
):
    both = member(school, Role.DESIGNATED_TEACHER, Role.DSL, full_name="Priya Shah")
    Membership.objects.create(user=both, school=other_school, role=Role.GOVERNOR)
    member(other_school, Role.HEADTEACHER, full_name="Elsewhere Head")

    # Session, user, their authenticator (OTP), their memberships (school middleware), the
    # staff, the staff's memberships here; saving the session (an UPDATE in a savepoint).
    with django_assert_max_num_queries(STAFF_PAGE_QUERIES):
        response = school_admin_client.get(reverse("accounts:staff"))

    page = response.content.decode()
    assert "Priya Shah" in page
    assert "Designated teacher" in page and "Designated safeguarding lead" in page
    assert "Governor" not in page  # her role at the other school
    assert "Elsewhere Head" not in page


def test_staff_list_query_count_does_not_grow_with_staff(
    head_client, school, django_assert_max_num_queries
):
    for _ in range(15):
        member(school, Role.STAFF)

    with django_assert_max_num_queries(STAFF_PAGE_QUERIES):
        assert head_client.get(reverse("accounts:staff")).status_code == 200


# --- Inviting ---------------------------------------------------------------------------------
def test_invite_form_explains_each_role(head_client):
    response = head_client.get(reverse("accounts:staff_invite"))

    assert b"Can raise a concern." in response.content  # member of staff
    assert b"Can download the governors&#x27; report." in response.content  # governor


def test_invite_creates_the_user_memberships_and_an_email(head_client, school):
    response = _invite(
        head_client,
        email="New.Teacher@Fenbridge.sch.uk",
        roles=[Role.DESIGNATED_TEACHER, Role.DSL],
    )

    assert response.url == reverse("accounts:staff")
    user = User.objects.get(email="new.teacher@fenbridge.sch.uk")
    assert user.full_name == "Nia Evans"
    assert not user.has_usable_password()
    assert _roles(user, school) == {Role.DESIGNATED_TEACHER, Role.DSL}
    message = OutboxMessage.objects.get(recipient=user.email)
    assert message.recipient == user.email
    assert message.school == school
    assert message.dedupe_key.startswith("staff-invitation-")
    assert f"for {school.name}" in message.subject
    assert SET_PASSWORD_LINK in message.body_text
    assert "/accounts/password-reset/" not in message.body_text
    event = AuditEvent.objects.get(action="staff.invited")
    assert event.school == school
    assert event.changes == {"roles": [[], ["designated_teacher", "dsl"]]}


def test_invitation_link_lets_the_new_colleague_choose_a_password(client, head_client):
    _invite(head_client, roles=[Role.STAFF])
    link = delivered_link(OutboxMessage.objects.get())
    form_url = client.get(link).url
    password = "harbour wall seagull 92"

    response = client.post(form_url, {"new_password1": password, "new_password2": password})

    assert response.url == reverse("accounts:password_reset_complete")
    assert User.objects.get(email="new.teacher@fenbridge.sch.uk").check_password(password)


def test_inviting_someone_already_on_the_staff_is_refused(head_client, school):
    existing = member(school, Role.STAFF, email="new.teacher@fenbridge.sch.uk")

    response = _invite(head_client, roles=[Role.DSL])

    assert response.status_code == 200
    assert b"is already a member of staff" in response.content
    assert _roles(existing, school) == {Role.STAFF}
    assert not OutboxMessage.objects.exists()


def test_inviting_someone_from_another_school_adds_them_and_keeps_their_password(
    head_client, school, other_school
):
    colleague = member(other_school, Role.DSL, email="new.teacher@fenbridge.sch.uk")

    _invite(head_client, roles=[Role.GOVERNOR])

    colleague.refresh_from_db()
    assert colleague.has_usable_password()
    assert _roles(colleague, school) == {Role.GOVERNOR}
    assert _roles(colleague, other_school) == {Role.DSL}
    assert "sign in as usual" in OutboxMessage.objects.get().body_text


@pytest.mark.parametrize(
    "data, error",
    [
        ({"roles": []}, b"Select at least one role"),
        ({"email": "", "roles": [Role.STAFF]}, b"Enter their email address"),
        ({"email": "not an email", "roles": [Role.STAFF]}, b"Enter a valid email address"),
        ({"full_name": "", "roles": [Role.STAFF]}, b"Enter their full name"),
        ({"roles": ["wizard"]}, b"Select a valid choice"),
    ],
)
def test_bad_invitation_shows_the_error_and_saves_nothing(head_client, data, error):
    response = _invite(head_client, **data)

    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert error in response.content
    assert not User.objects.filter(email="new.teacher@fenbridge.sch.uk").exists()
    assert not OutboxMessage.objects.exists()


# --- Changing roles ---------------------------------------------------------------------------
def test_changing_roles_replaces_them_and_is_audited(head_client, school):
    teacher = member(school, Role.STAFF, Role.DESIGNATED_TEACHER)

    response = head_client.post(
        reverse("accounts:staff_roles", args=[teacher.pk]),
        {"roles": [Role.DESIGNATED_TEACHER, Role.DEPUTY_DSL]},
    )

    assert response.url == reverse("accounts:staff")
    assert _roles(teacher, school) == {Role.DESIGNATED_TEACHER, Role.DEPUTY_DSL}
    event = AuditEvent.objects.get(action="staff.roles_changed")
    assert event.school == school
    assert event.object_id == str(teacher.pk)
    assert event.changes == {
        "roles": [["designated_teacher", "staff"], ["deputy_dsl", "designated_teacher"]]
    }


def test_roles_form_starts_with_the_current_roles_ticked(head_client, school):
    teacher = member(school, Role.DSL)

    response = head_client.get(reverse("accounts:staff_roles", args=[teacher.pk]))

    page = response.content.decode()
    ticked = re.findall(r'value="(\w+)"\s+checked', page)
    assert ticked == ["dsl"]


def test_unticking_every_role_removes_them_from_this_school_only(
    school_admin_client, school, other_school
):
    teacher = member(school, Role.STAFF)
    Membership.objects.create(user=teacher, school=other_school, role=Role.DSL)

    response = school_admin_client.post(reverse("accounts:staff_roles", args=[teacher.pk]), {})

    assert response.url == reverse("accounts:staff")
    assert _roles(teacher, school) == set()
    assert _roles(teacher, other_school) == {Role.DSL}


def test_last_person_who_can_manage_staff_cannot_be_removed(school):
    head = member(school, Role.HEADTEACHER, Role.DESIGNATED_TEACHER)
    client = sign_in(Client(), head)

    response = client.post(
        reverse("accounts:staff_roles", args=[head.pk]), {"roles": [Role.DESIGNATED_TEACHER]}
    )

    assert response.status_code == 200
    assert b"is the only headteacher" in response.content
    assert _roles(head, school) == {Role.HEADTEACHER, Role.DESIGNATED_TEACHER}
    assert not AuditEvent.objects.filter(action="staff.roles_changed").exists()


def test_service_refuses_to_remove_the_last_manager_from_the_school(school):
    admin = member(school, Role.ADMINISTRATOR)
    member(school, Role.DESIGNATED_TEACHER, Role.DSL)

    with pytest.raises(ValidationError, match="only person who can manage staff"):
        staff_roles_set(school=school, user=admin, roles=[], changed_by=admin)

    assert _roles(admin, school) == {Role.ADMINISTRATOR}


def test_a_manager_may_step_down_while_another_remains(school):
    head = member(school, Role.HEADTEACHER, Role.DESIGNATED_TEACHER)
    member(school, Role.HEADTEACHER)
    client = sign_in(Client(), head)

    response = client.post(
        reverse("accounts:staff_roles", args=[head.pk]), {"roles": [Role.DESIGNATED_TEACHER]}
    )

    # They can no longer see the staff list, so they go home rather than to a 403.
    assert response.url == reverse("home")
    assert _roles(head, school) == {Role.DESIGNATED_TEACHER}


def test_someone_outside_this_school_is_not_found(head_client, other_school):
    outsider = member(other_school, Role.DESIGNATED_TEACHER)

    url = reverse("accounts:staff_roles", args=[outsider.pk])

    assert head_client.get(url).status_code == 404
    assert head_client.post(url, {"roles": [Role.STAFF]}).status_code == 404
    assert _roles(outsider, other_school) == {Role.DESIGNATED_TEACHER}
