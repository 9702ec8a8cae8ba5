"""A school's own Virtual School contacts: they change where that school's PEPs go and no other
school's; an address is confirmed by the designated teacher or the head; every change to where
a school's records go is in that school's audit log."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent
from schools import selectors, services
from schools.models import VirtualSchool, VirtualSchoolContact
from tests.conftest import member

pytestmark = pytest.mark.django_db

ATTACKER = "inbox@attacker.example"


@pytest.fixture
def cambridgeshire(db):
    from tests.factories import VirtualSchoolFactory

    return VirtualSchoolFactory(la_code="873", local_authority_name="Cambridgeshire")


def contact_url(name, authority):
    return reverse(f"schools:{name}", kwargs={"la_code": authority.la_code})


def test_a_schools_own_contact_changes_nothing_for_another_school(
    school_admin_client, school, other_school, cambridgeshire
):
    services.virtual_school_address_confirm(
        school=other_school,
        virtual_school=cambridgeshire,
        email=cambridgeshire.email,
        by=member(other_school, Role.DESIGNATED_TEACHER),
    )
    response = school_admin_client.post(
        contact_url("virtual_school_contact_edit", cambridgeshire),
        {"name": "Priya Nair", "role": "Education adviser", "email": ATTACKER},
    )
    assert response.status_code == 302

    cambridgeshire.refresh_from_db()
    assert cambridgeshire.email != ATTACKER  # the directory is untouched
    theirs = selectors.virtual_school_address(other_school, cambridgeshire)
    assert (theirs.email, theirs.confirmed) == (cambridgeshire.email, True)
    ours = selectors.virtual_school_address(school, cambridgeshire)
    assert (ours.email, ours.confirmed) == (ATTACKER, False)
    event = AuditEvent.objects.get(action="virtual_school_contact.added")
    assert event.school == school
    assert event.changes["address"] == ATTACKER
    assert event.changes["email"] == ["", ATTACKER]
    assert not AuditEvent.objects.filter(
        school=other_school, action__startswith="virtual_school_contact.added"
    ).exists()


def test_another_school_does_not_see_this_schools_contact(
    school_admin_client, other_school_dt_client, cambridgeshire
):
    school_admin_client.post(
        contact_url("virtual_school_contact_edit", cambridgeshire),
        {"name": "Priya Nair", "role": "", "email": "priya.nair@cambs.example"},
    )
    page = other_school_dt_client.get(reverse("schools:virtual_schools")).content.decode()
    assert "priya.nair@cambs.example" not in page
    assert "Priya Nair" not in page


def test_changing_a_confirmed_address_withdraws_the_confirmation(school, dt_client, cambridgeshire):
    teacher = member(school, Role.DESIGNATED_TEACHER)
    services.virtual_school_address_confirm(
        school=school, virtual_school=cambridgeshire, email=cambridgeshire.email, by=teacher
    )
    services.virtual_school_contact_save(
        school=school,
        virtual_school=cambridgeshire,
        name="",
        role="",
        email=ATTACKER,
        by=member(school, Role.ADMINISTRATOR),
    )
    contact = VirtualSchoolContact.objects.get(school=school)
    assert not contact.is_confirmed
    event = AuditEvent.objects.get(action="virtual_school_contact.changed")
    assert event.school == school
    assert event.changes == {
        "email": ["", ATTACKER],
        "address": [cambridgeshire.email, ATTACKER],
        "confirmed": [True, False],
    }


def test_a_name_change_keeps_the_confirmation(school, cambridgeshire):
    teacher = member(school, Role.DESIGNATED_TEACHER)
    services.virtual_school_address_confirm(
        school=school, virtual_school=cambridgeshire, email=cambridgeshire.email, by=teacher
    )
    services.virtual_school_contact_save(
        school=school,
        virtual_school=cambridgeshire,
        name="Priya Nair",
        role="Education adviser",
        email="",
        by=teacher,
    )
    assert VirtualSchoolContact.objects.get(school=school).is_confirmed


def test_the_designated_teacher_confirms_the_address_shown(dt_client, school, cambridgeshire):
    url = contact_url("virtual_school_address_confirm", cambridgeshire)
    assert cambridgeshire.email in dt_client.get(url).content.decode()
    response = dt_client.post(url, {"email": cambridgeshire.email})
    assert response.status_code == 302
    assert selectors.virtual_school_address(school, cambridgeshire).confirmed
    event = AuditEvent.objects.get(action="virtual_school_contact.confirmed")
    assert event.school == school
    assert event.changes == {"address": cambridgeshire.email, "source": "directory"}


def test_a_stale_address_is_not_confirmed(dt_client, school, cambridgeshire):
    services.virtual_school_contact_save(
        school=school,
        virtual_school=cambridgeshire,
        name="",
        role="",
        email=ATTACKER,
        by=member(school, Role.ADMINISTRATOR),
    )
    response = dt_client.post(
        contact_url("virtual_school_address_confirm", cambridgeshire),
        {"email": cambridgeshire.email},  # what the teacher was shown before the change
    )
    assert response.status_code == 200
    assert f"is now {ATTACKER}" in response.content.decode()
    assert not selectors.virtual_school_address(school, cambridgeshire).confirmed
    assert not AuditEvent.objects.filter(action="virtual_school_contact.confirmed").exists()


@pytest.mark.parametrize("persona", ["school_admin_client", "dsl_client", "governor_client"])
def test_only_the_designated_teacher_or_head_confirms(request, persona, school, cambridgeshire):
    client = request.getfixturevalue(persona)
    url = contact_url("virtual_school_address_confirm", cambridgeshire)
    assert client.get(url).status_code == 403
    assert client.post(url, {"email": cambridgeshire.email}).status_code == 403
    assert not selectors.virtual_school_address(school, cambridgeshire).confirmed


def test_the_host_changing_the_directory_address_a_school_uses_needs_confirming_again(
    school, other_school, cambridgeshire
):
    teacher = member(school, Role.DESIGNATED_TEACHER)
    services.virtual_school_address_confirm(
        school=school, virtual_school=cambridgeshire, email=cambridgeshire.email, by=teacher
    )
    # The other school uses its own address: the directory change is not about it.
    services.virtual_school_contact_save(
        school=other_school,
        virtual_school=cambridgeshire,
        name="",
        role="",
        email="own@cambs.example",
        by=member(other_school, Role.DESIGNATED_TEACHER),
    )
    old = cambridgeshire.email
    services.virtual_school_update(
        virtual_school=VirtualSchool.objects.get(pk=cambridgeshire.pk),
        local_authority_name="Cambridgeshire",
        la_code="873",
        email="new.vs@cambridgeshire.example",
    )
    address = selectors.virtual_school_address(school, cambridgeshire)
    assert (address.email, address.confirmed) == ("new.vs@cambridgeshire.example", False)
    event = AuditEvent.objects.get(action="virtual_school.directory_address_changed")
    assert event.school == school
    assert event.changes == {
        "address": [old, "new.vs@cambridgeshire.example"],
        "confirmed": [True, False],
    }
    assert not AuditEvent.objects.filter(
        school=other_school, action="virtual_school.directory_address_changed"
    ).exists()
    # Confirming the old address, as a page shown before the change would, confirms nothing.
    with pytest.raises(Exception, match="is now new.vs@cambridgeshire.example"):
        services.virtual_school_address_confirm(
            school=school, virtual_school=cambridgeshire, email=old, by=teacher
        )
