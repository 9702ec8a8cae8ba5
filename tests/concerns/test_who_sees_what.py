"""Who sees what of a safeguarding record: the DSL team everything; the designated teacher, on
the child's chronology, only that a record exists and to speak to the DSL; the administrator
nothing at all, not even an audit event saying a concern about the child was opened."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from concerns.models import Action
from concerns.services import concern_action_record
from tests.concerns.factories import raise_concern
from tests.conftest import member
from tests.matrix import on_matrix_day
from tests.pupil_factories import PupilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(school):
    return PupilFactory(school=school)


@pytest.fixture
def concern(school, child):
    made = raise_concern(school, by=member(school, Role.STAFF), pupils=[child])
    concern_action_record(
        concern=made,
        by=member(school, Role.DSL),
        kind=Action.Kind.REFERRAL_SOCIAL_CARE,
        taken_on=dt.date(2026, 10, 14),
        taken_by="Tom Okafor (DSL)",
        details="Referred to the MASH by phone",
        today=dt.date(2026, 10, 14),
    )
    return made


def test_the_designated_teacher_sees_only_that_a_record_exists(dt_client, school, child, concern):
    member(school, Role.DSL, full_name="Tom Okafor")
    with on_matrix_day():
        page = dt_client.get(reverse("pupils:pupil", args=[child.pk])).content.decode()
    assert "A safeguarding record exists – speak to the DSL" in page
    assert "Tom Okafor" in page
    assert concern.reference not in page
    assert "Referral to children" not in page
    assert reverse("concerns:concern", args=[concern.pk]) not in page


def test_the_dsl_sees_the_concern_and_its_actions_on_the_chronology(dsl_client, child, concern):
    with on_matrix_day():
        page = dsl_client.get(reverse("concerns:chronology", args=[child.pk])).content.decode()
    assert f"Concern {concern.reference} raised" in page
    assert "Referral to children&#x27;s social care" in page


def test_the_chronology_filters_by_kind(dsl_client, child, concern):
    with on_matrix_day():
        page = dsl_client.get(
            reverse("concerns:chronology", args=[child.pk]), {"kind": "pep"}
        ).content.decode()
    assert concern.reference not in page


def test_the_administrator_finds_no_safeguarding_event_by_the_childs_record_number(
    school_admin_client, dsl_client, child, concern
):
    # The DSL opens the concern: a "concern.viewed" event about the child.
    dsl_client.get(reverse("concerns:concern", args=[concern.pk]))
    response = school_admin_client.get(reverse("accounts:audit"), {"pupil_id": child.pk})
    actions = [event.action for event in response.context["page"]]
    assert not [a for a in actions if a.startswith(("concern.", "cp_file."))]
    assert b"concern." not in response.content


def test_the_head_still_sees_every_safeguarding_event(head_client, dsl_client, child, concern):
    dsl_client.get(reverse("concerns:concern", args=[concern.pk]))
    response = head_client.get(reverse("accounts:audit"), {"pupil_id": child.pk})
    actions = {event.action for event in response.context["page"]}
    assert {"concern.raised", "concern.action_recorded", "concern.viewed"} <= actions


def test_the_administrator_does_not_see_the_chronology_pdf_download(
    school_admin_client, school, child
):
    from concerns.audit import ConcernAction
    from core.audit import audit_record
    from core.models import ReportRun

    run = ReportRun.objects.create(
        school=school, kind="concern_chronology_pdf", parameters={"pupil": child.pk}
    )
    audit_record(
        action=ConcernAction.CHRONOLOGY_PDF_DOWNLOADED, school=school, obj=run, pupil_id=child.pk
    )
    response = school_admin_client.get(reverse("accounts:audit"), {"pupil_id": child.pk})
    assert b"chronology_pdf" not in response.content


def test_the_administrator_does_not_see_that_a_chronology_pdf_was_asked_for(
    school_admin_client, dsl_client, child
):
    with on_matrix_day():
        dsl_client.post(reverse("concerns:chronology", args=[child.pk]))
        response = school_admin_client.get(reverse("accounts:audit"), {"pupil_id": child.pk})
    assert [event.action for event in response.context["page"]] == []
