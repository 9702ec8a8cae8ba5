"""The DSL's handling: actions, decisions with reasons, closing, links, the flag on an open
concern nobody has acted on, and the list's pinned query count."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from concerns.models import Action, Decision, Link
from concerns.selectors import NO_ACTION_FLAG_SCHOOL_DAYS, concern_list, no_action_flag
from schools.schooldays import SchoolCalendar
from tests.concerns.factories import raise_concern
from tests.conftest import member
from tests.factories import add_year
from tests.matrix import on_matrix_day
from tests.pupil_factories import PupilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(school):
    return raise_concern(
        school, by=member(school, Role.STAFF), pupils=[PupilFactory(school=school)]
    )


def test_the_dsl_records_an_action_and_closes_the_concern(dsl_client, concern):
    with on_matrix_day():
        response = dsl_client.post(
            reverse("concerns:action_add", args=[concern.pk]),
            {
                "kind": "spoke_to_child",
                "taken_on": "14/10/2026",
                "taken_by": "Tom Okafor (DSL)",
                "details": "Spoke to her with her key adult",
            },
        )
        assert response.status_code == 302
        response = dsl_client.post(
            reverse("concerns:decision_add", args=[concern.pk]),
            {"kind": "closed", "decision": "No further action", "reason": "Explained, seen"},
        )
        assert response.status_code == 302
        page = dsl_client.get(reverse("concerns:concern", args=[concern.pk])).content.decode()
    assert Action.objects.get(concern=concern).kind == "spoke_to_child"
    assert Decision.objects.get(concern=concern).kind == "closed"
    assert "Closed" in page and "Explained, seen" in page


def test_a_decision_without_a_reason_is_refused(dsl_client, concern):
    response = dsl_client.post(
        reverse("concerns:decision_add", args=[concern.pk]),
        {"kind": "decision", "decision": "Refer", "reason": ""},
    )
    assert response.status_code == 200
    assert not Decision.objects.exists()


def test_a_closed_concern_cannot_be_closed_again(dsl_client, concern, school):
    from concerns.services import concern_decision_record

    concern_decision_record(
        concern=concern, by=member(school, Role.DSL), kind="closed", decision="NFA", reason="r"
    )
    response = dsl_client.post(
        reverse("concerns:decision_add", args=[concern.pk]),
        {"kind": "closed", "decision": "NFA", "reason": "again"},
    )
    assert response.status_code == 200
    assert Decision.objects.count() == 1


def test_two_concerns_are_linked_by_reference(dsl_client, concern, school):
    other = raise_concern(
        school, by=member(school, Role.STAFF), pupils=[PupilFactory(school=school)]
    )
    response = dsl_client.post(
        reverse("concerns:link_add", args=[concern.pk]),
        {"reference": other.reference, "reason": "Same incident"},
    )
    assert response.status_code == 302
    assert Link.objects.get().linked == other


def test_a_concern_of_another_school_cannot_be_linked(dsl_client, concern, other_school):
    elsewhere = raise_concern(
        other_school,
        by=member(other_school, Role.STAFF),
        pupils=[PupilFactory(school=other_school)],
    )
    dsl_client.post(
        reverse("concerns:link_add", args=[concern.pk]),
        {"reference": elsewhere.reference, "reason": "Guess"},
    )
    assert not Link.objects.exists()


def test_an_open_concern_with_no_action_is_flagged_after_three_school_days(concern, school):
    add_year(school, 2026)
    calendar = SchoolCalendar.for_school(school)
    row = concern_list(type(concern).objects.filter(pk=concern.pk)).get()
    raised = row.raised_at.date()
    before = calendar.add_school_days(raised, NO_ACTION_FLAG_SCHOOL_DAYS - 1)
    on = calendar.add_school_days(raised, NO_ACTION_FLAG_SCHOOL_DAYS)
    assert no_action_flag(row, calendar, before) is None
    assert no_action_flag(row, calendar, on).school_days == NO_ACTION_FLAG_SCHOOL_DAYS


# The list, however many concerns: the session, the user and their second factor (3), the
# memberships (1), the concerns with their status (1), their children (1), their categories
# (1), the terms and closures for the flag (2), the school's safeguarding settings (1), the
# audit event (1), and the session's save in a savepoint (3).
LIST_QUERIES = 14


def test_the_list_query_count_does_not_grow_with_the_concerns(
    dsl_client, school, django_assert_max_num_queries
):
    add_year(school, 2026)
    staff = member(school, Role.STAFF)
    for _ in range(6):
        raise_concern(
            school, by=staff, pupils=[PupilFactory(school=school), PupilFactory(school=school)]
        )
    with on_matrix_day(), django_assert_max_num_queries(LIST_QUERIES):
        response = dsl_client.get(reverse("concerns:list"), {"status": "all"})
    assert response.status_code == 200
    assert response.content.decode().count('<tr class="govuk-table__row">') == 7


def test_staff_see_no_status_column_or_flag(staff_client, school):
    response = staff_client.get(reverse("concerns:list"))
    assert response.status_code == 200
    assert not response.context["acts"]


def test_reopening_is_offered_only_on_a_closed_concern(dsl_client, concern, school):
    from concerns.services import concern_decision_record

    page = dsl_client.get(reverse("concerns:decision_add", args=[concern.pk])).content.decode()
    assert "Reopened" not in page and "Closed, with the outcome" in page
    concern_decision_record(
        concern=concern, by=member(school, Role.DSL), kind="closed", decision="NFA", reason="r"
    )
    page = dsl_client.get(reverse("concerns:decision_add", args=[concern.pk])).content.decode()
    assert "Reopened" in page and "Closed, with the outcome" not in page
