"""The audit log page: this school's events only, filtered and paginated."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent
from tests.conftest import member

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
AUDIT_PAGE_QUERIES = 10


def _event(school, action, actor=None, when=None, **fields):
    return AuditEvent.objects.create(
        school=school,
        action=action,
        actor=actor,
        created_at=when or dt.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON),
        **fields,
    )


def _actions(response) -> list[str]:
    return [event.action for event in response.context["page"]]


def test_only_this_schools_events_are_shown(school_admin_client, school, other_school):
    _event(school, "pupil.viewed")
    _event(other_school, "concern.read")

    response = school_admin_client.get(reverse("accounts:audit"))

    assert _actions(response) == ["pupil.viewed"]
    assert b"concern.read" not in response.content


def test_event_shows_time_who_action_record_changes_and_ip(head_client, school):
    teacher = member(school, Role.DESIGNATED_TEACHER, full_name="Dana Price")
    _event(
        school,
        "staff.roles_changed",
        actor=teacher,
        object_repr="Sam Lee",
        changes={"roles": [["staff"], ["dsl", "staff"]]},
        ip_address="192.0.2.7",
    )

    page = head_client.get(reverse("accounts:audit")).content.decode()

    assert "2 Mar 2026 10:00:00" in page
    assert "Dana Price" in page
    assert "staff.roles_changed" in page
    assert "Sam Lee" in page
    assert "roles: staff → dsl, staff" in page
    assert "192.0.2.7" in page


def test_filter_by_who(head_client, school):
    alice = member(school, Role.DSL)
    bob = member(school, Role.DESIGNATED_TEACHER)
    _event(school, "pupil.viewed", actor=alice)
    _event(school, "pep.completed", actor=bob)

    response = head_client.get(reverse("accounts:audit"), {"user": alice.pk})

    assert _actions(response) == ["pupil.viewed"]


def test_who_can_only_be_a_member_of_this_school(head_client, school, other_school):
    outsider = member(other_school, Role.DSL, full_name="Olly Outsider")

    response = head_client.get(reverse("accounts:audit"), {"user": outsider.pk})

    assert b"Olly Outsider" not in response.content
    assert b"There is a problem" in response.content


def test_filter_by_dates_in_either_format(head_client, school):
    for day in (1, 2, 3, 4):
        _event(school, f"day.{day}", when=dt.datetime(2026, 3, day, 23, 30, tzinfo=LONDON))

    response = head_client.get(
        reverse("accounts:audit"), {"date_from": "2026-03-02", "date_to": "3/3/2026"}
    )

    assert _actions(response) == ["day.3", "day.2"]


def test_filter_by_pupil_and_action(head_client, school):
    _event(school, "pupil.viewed", pupil_id=41)
    _event(school, "pep.completed", pupil_id=41)
    _event(school, "pupil.viewed", pupil_id=42)

    response = head_client.get(reverse("accounts:audit"), {"pupil_id": "41", "action": "PUPIL"})

    assert _actions(response) == ["pupil.viewed"]
    assert response.context["page"][0].pupil_id == 41


def test_bad_filter_shows_an_error(head_client, school):
    response = head_client.get(reverse("accounts:audit"), {"date_from": "31/2/2026"})

    assert b"There is a problem" in response.content
    assert b"Enter a real date" in response.content


def test_fifty_events_a_page_newest_first(head_client, school, django_assert_max_num_queries):
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=LONDON)
    AuditEvent.objects.bulk_create(
        AuditEvent(school=school, action=f"e.{n}", created_at=start + dt.timedelta(minutes=n))
        for n in range(60)
    )

    # Session, user, authenticator, memberships; the school's members for "Who"; count and
    # page of events; saving the session (3 with its savepoint).
    with django_assert_max_num_queries(AUDIT_PAGE_QUERIES):
        first = head_client.get(reverse("accounts:audit"), {"action": "e."})
    second = head_client.get(reverse("accounts:audit"), {"action": "e.", "page": 2})

    assert len(first.context["page"]) == 50
    assert _actions(first)[0] == "e.59"
    assert _actions(second) == [f"e.{n}" for n in range(9, -1, -1)]
    assert b"action=e.&amp;page=2" in first.content
