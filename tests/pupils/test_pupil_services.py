"""pupil_create / pupil_update and contacts: rules and audit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from core.models import AuditEvent
from pupils import services
from pupils.cohort import nc_year_for
from pupils.models import Contact, ContactKind, Pupil
from tests.conftest import member
from tests.pupil_factories import PupilFactory

D = dt.date
TODAY = D(2026, 11, 23)
pytestmark = pytest.mark.django_db


def create(school, by, **overrides):
    fields = {
        "legal_forename": "Ruby",
        "legal_surname": "Achterberg",
        "date_of_birth": D(2014, 7, 2),
        "sex": "F",
        "upn": "B801200005001",
    }
    return services.pupil_create(school=school, by=by, today=TODAY, **(fields | overrides))


def test_creating_a_pupil_audits_the_fields_set_and_keeps_no_name_birthday_or_upn(school, dt_user):
    pupil = create(school, dt_user)
    event = AuditEvent.objects.get(action="pupil.created")
    assert event.pupil_id == pupil.pk
    assert {"legal_forename", "legal_surname", "date_of_birth", "upn", "sex"} <= set(event.fields)
    assert event.changes == {"sex": [None, "F"], "sen_status": [None, "none"]}
    assert event.school == school


def test_an_invalid_upn_is_refused_and_nothing_saved(school, dt_user):
    with pytest.raises(ValidationError) as refused:
        create(school, dt_user, upn="B207000016049")
    assert "check letter" in refused.value.message_dict["upn"][0]
    assert not Pupil.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_upn_is_unique_within_a_school_but_not_across_schools(school, other_school, dt_user):
    create(school, dt_user)
    with pytest.raises(ValidationError, match="already has this UPN"):
        create(school, dt_user, legal_forename="Other")
    create(other_school, dt_user)
    assert Pupil.objects.count() == 2


def test_several_pupils_may_have_no_upn_yet(school, dt_user):
    create(school, dt_user, upn="")
    create(school, dt_user, upn="")
    assert Pupil.objects.filter(upn="").count() == 2


def test_a_year_group_override_is_stored_as_an_offset(school, dt_user):
    pupil = create(school, dt_user, nc_year=7)  # age group: Year 8 in 2026 to 2027
    assert pupil.nc_year_offset == -1
    assert nc_year_for(pupil.date_of_birth, pupil.nc_year_offset, TODAY) == 7


def test_an_ehc_review_date_needs_an_ehc_plan(school, dt_user):
    with pytest.raises(ValidationError) as refused:
        create(school, dt_user, sen_status="sen_support", ehc_plan_review_date=D(2027, 3, 1))
    assert "EHC plan" in refused.value.message_dict["ehc_plan_review_date"][0]


def test_updating_audits_old_and_new_values_only_for_what_changed(school, dt_user):
    pupil = create(school, dt_user)
    services.pupil_update(
        pupil=pupil, by=dt_user, today=TODAY, legal_forename="Ruby", preferred_forename="Rubes"
    )
    event = AuditEvent.objects.get(action="pupil.updated")
    assert event.fields == ["preferred_forename"]
    assert event.changes == {}  # a name: its field's name only


def test_an_update_that_changes_nothing_writes_no_audit_event(school, dt_user):
    pupil = create(school, dt_user)
    services.pupil_update(pupil=pupil, by=dt_user, today=TODAY, legal_forename="Ruby")
    assert not AuditEvent.objects.filter(action="pupil.updated").exists()


def test_key_adult_must_be_on_the_schools_staff(school, other_school, dt_user):
    pupil = PupilFactory(school=school)
    stranger = member(other_school, Role.STAFF)
    with pytest.raises(ValidationError) as refused:
        services.contact_add(
            pupil=pupil,
            by=dt_user,
            kind=ContactKind.KEY_ADULT,
            start_date=D(2025, 9, 1),
            user=stranger,
        )
    assert "member of this school" in refused.value.message_dict["user"][0]
    colleague = member(school, Role.STAFF)
    services.contact_add(
        pupil=pupil,
        by=dt_user,
        kind=ContactKind.KEY_ADULT,
        start_date=D(2025, 9, 1),
        user=colleague,
    )
    assert Contact.objects.get().person_name == colleague.full_name


def test_a_contact_needs_a_name_and_is_audited(school, dt_user):
    pupil = PupilFactory(school=school)
    with pytest.raises(ValidationError):
        services.contact_add(
            pupil=pupil, by=dt_user, kind=ContactKind.SOCIAL_WORKER, start_date=D(2025, 9, 1)
        )
    contact = services.contact_add(
        pupil=pupil,
        by=dt_user,
        kind=ContactKind.PARENT,
        start_date=D(2025, 9, 1),
        name="Claire Penrose",
        relationship="Adoptive parent",
        parental_responsibility=True,
        consents_to_virtual_school_advice=True,
    )
    assert contact.consents_to_virtual_school_advice is True
    event = AuditEvent.objects.get(action="contact.added")
    assert event.pupil_id == pupil.pk
    assert {"kind", "name", "relationship", "parental_responsibility"} <= set(event.fields)
    assert event.changes["parental_responsibility"] == [None, True]
    assert "Penrose" not in str(event.changes)
    assert "Adoptive" not in str(event.changes)


def test_ending_a_contact_keeps_it_as_past(school, dt_user):
    pupil = PupilFactory(school=school)
    contact = services.contact_add(
        pupil=pupil,
        by=dt_user,
        kind=ContactKind.SOCIAL_WORKER,
        start_date=D(2025, 9, 1),
        name="Dan Price",
    )
    with pytest.raises(ValidationError):
        services.contact_end(contact=contact, by=dt_user, end_date=D(2025, 8, 1))
    services.contact_end(contact=contact, by=dt_user, end_date=D(2026, 1, 1))
    contact.refresh_from_db()
    assert not contact.in_force_on(D(2026, 1, 1))
    assert AuditEvent.objects.filter(action="contact.ended", pupil_id=pupil.pk).exists()
