"""The audit contract (core.audit): an app's enum of actions, field names, allow-listed values.

The log is kept forever and can never be corrected, so it must never hold text typed about a
child: a contact's or an episode's notes are named, not kept.
"""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.audit import AuditAction, audit_record
from core.models import AuditEvent
from pupils import services
from pupils.audit import PupilAction
from pupils.models import ContactKind, EpisodeKind
from tests.conftest import member
from tests.pupil_factories import PupilFactory

pytestmark = pytest.mark.django_db

D = dt.date
NOTE = "Mum disclosed the stepfather hit him on Friday"


@pytest.fixture
def dt_user(school):
    return member(school, Role.DESIGNATED_TEACHER)


class ExampleAction(AuditAction):
    RAISED = "example.raised"


def _every_column(event: AuditEvent) -> str:
    return str(AuditEvent.objects.filter(pk=event.pk).values().get())


def test_an_action_that_is_not_a_member_of_an_apps_enum_is_refused(school):
    with pytest.raises(ValueError, match="AuditAction"):
        audit_record(action="pupil.created", school=school)  # type: ignore[arg-type]
    assert not AuditEvent.objects.exists()


def test_a_value_outside_the_models_allow_list_is_refused_never_stored(school, dt_user):
    pupil = PupilFactory(school=school)
    contact = services.contact_add(
        pupil=pupil,
        by=dt_user,
        kind=ContactKind.SOCIAL_WORKER,
        start_date=D(2025, 9, 1),
        name="Ann Social",
    )
    written = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="notes may not be kept"):
        audit_record(
            action=PupilAction.CONTACT_UPDATED,
            school=school,
            obj=contact,
            pupil_id=pupil.pk,
            fields=["notes"],
            values={"notes": [None, NOTE]},
        )
    with pytest.raises(ValueError, match="may not be kept"):
        audit_record(action=ExampleAction.RAISED, school=school, values={"surname": "Smith"})
    assert AuditEvent.objects.count() == written


def test_a_value_that_is_not_json_plain_is_refused(school):
    with pytest.raises(ValueError, match="not JSON-plain"):
        audit_record(action=ExampleAction.RAISED, school=school, values={"pupils": object()})


def test_a_contacts_notes_are_named_in_the_log_never_kept(school, dt_user):
    pupil = PupilFactory(school=school)
    contact = services.contact_add(
        pupil=pupil,
        by=dt_user,
        kind=ContactKind.SOCIAL_WORKER,
        start_date=D(2025, 9, 1),
        name="Ann Social",
        notes=NOTE,
    )
    services.contact_update(contact=contact, by=dt_user, notes=NOTE + ", and again on Monday")

    events = AuditEvent.objects.filter(action__startswith="contact.").order_by("pk")
    assert [e.action for e in events] == ["contact.added", "contact.updated"]
    assert "notes" in events[0].fields
    assert events[1].fields == ["notes"]
    for event in events:
        logged = _every_column(event)
        assert "stepfather" not in logged
        assert "Ann Social" not in logged


def test_an_episodes_notes_are_named_in_the_log_never_kept(school, dt_user):
    pupil = PupilFactory(school=school, date_of_birth=D(2014, 3, 1))
    episode = services.care_episode_add(
        pupil=pupil,
        by=dt_user,
        kind=EpisodeKind.CHILD_IN_NEED_PLAN,
        start_date=D(2025, 9, 1),
        notes=NOTE,
    )
    services.care_episode_update(episode=episode, by=dt_user, notes="Moved to " + NOTE)
    services.care_episode_end(episode=episode, by=dt_user, end_date=D(2026, 1, 5))

    events = AuditEvent.objects.filter(action__startswith="care_episode.").order_by("pk")
    assert [e.action for e in events] == [
        "care_episode.added",
        "care_episode.updated",
        "care_episode.ended",
    ]
    added, updated, ended = events
    assert {"kind", "start_date", "notes"} <= set(added.fields)
    assert added.changes["kind"] == [None, EpisodeKind.CHILD_IN_NEED_PLAN.value]
    assert added.changes["start_date"] == [None, "2025-09-01"]
    assert updated.fields == ["notes"] and updated.changes == {}
    assert ended.changes == {"end_date": [None, "2026-01-05"]}
    for event in events:
        assert "stepfather" not in _every_column(event)


def test_a_record_about_several_children_writes_one_event_per_child_in_one_insert(
    school, dt_user, django_assert_num_queries
):
    first, second = PupilFactory(school=school), PupilFactory(school=school)
    with django_assert_num_queries(1):  # one INSERT for both rows
        audit_record(
            action=ExampleAction.RAISED,
            actor=dt_user,
            school=school,
            pupil_ids=[first.pk, second.pk],
            fields=["summary"],
        )
    events = AuditEvent.objects.filter(action="example.raised").order_by("pupil_id")
    assert [(e.pupil_id, e.school_id, e.fields) for e in events] == [
        (first.pk, school.pk, ["summary"]),
        (second.pk, school.pk, ["summary"]),
    ]


def _old_and_new_rows(school):
    # Written before core migration 0002: the text typed about the child is in ``changes``.
    AuditEvent.objects.create(
        school=school,
        action="contact.updated",
        pupil_id=41,
        changes={"notes": ["", NOTE]},
    )
    AuditEvent.objects.create(
        school=school,
        action="care_episode.updated",
        pupil_id=41,
        fields=["kind", "notes"],
        changes={"kind": ["child_in_need_plan", "in_care"]},
    )


def test_the_audit_page_shows_old_and_new_rows_to_the_head(head_client, school):
    _old_and_new_rows(school)

    page = head_client.get(reverse("accounts:audit")).content.decode()

    assert "notes: (none) → " in page  # the old row, as it always read
    assert "kind: child_in_need_plan → in_care" in page
    assert "notes changed" in page


def test_the_administrator_sees_field_names_only_of_old_and_new_rows(school_admin_client, school):
    _old_and_new_rows(school)

    page = school_admin_client.get(reverse("accounts:audit")).content.decode()

    assert page.count("notes changed") == 2
    assert "kind changed" in page
    assert "stepfather" not in page
    assert "in_care" not in page
