"""core.access.for_school_or_own: the door for records a person may open because they made
them (a member of staff reads the concerns they raised). Proved on the audit log, whose rows
have a school and an actor, as a concern has a school and the person who raised it."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from accounts.roles import ROLE_CAPABILITIES, Capability, Role
from core.access import for_school_or_own, school_records_or_own
from core.models import AuditEvent
from tests.conftest import member

pytestmark = pytest.mark.django_db


def _request(user, school, role):
    request = RequestFactory().get("/")
    request.user = user
    request.school = school
    request.capabilities = ROLE_CAPABILITIES[role]
    return request


@pytest.fixture
def people(school):
    return {
        "raiser": member(school, Role.STAFF),
        "colleague": member(school, Role.STAFF),
        "dsl": member(school, Role.DSL),
    }


@pytest.fixture
def records(school, other_school, people):
    def made_by(user, at):
        return AuditEvent.objects.create(actor=user, school=at, action="concern.raised")

    return {
        "own": made_by(people["raiser"], school),
        "colleagues": made_by(people["colleague"], school),
        # Their own, but written while acting at another school.
        "own_elsewhere": made_by(people["raiser"], other_school),
    }


def _open(request, record):
    return for_school_or_own(
        request,
        AuditEvent,
        full_capability=Capability.ACT_ON_CONCERNS,
        owner_field="actor",
        pk=record.pk,
    )


def test_a_member_of_staff_opens_what_they_raised(school, people, records):
    request = _request(people["raiser"], school, Role.STAFF)
    assert _open(request, records["own"]) == records["own"]


def test_a_member_of_staff_gets_404_for_a_colleagues_record(school, people, records):
    request = _request(people["raiser"], school, Role.STAFF)
    with pytest.raises(Http404):
        _open(request, records["colleagues"])


def test_their_own_record_at_another_school_is_still_a_404(school, people, records):
    request = _request(people["raiser"], school, Role.STAFF)
    with pytest.raises(Http404):
        _open(request, records["own_elsewhere"])


def test_the_dsl_opens_every_record_of_the_school_and_no_other(school, people, records):
    request = _request(people["dsl"], school, Role.DSL)
    assert _open(request, records["colleagues"]) == records["colleagues"]
    with pytest.raises(Http404):
        _open(request, records["own_elsewhere"])


def test_the_list_partner_narrows_the_same_way(school, people, records):
    mine = school_records_or_own(
        _request(people["raiser"], school, Role.STAFF),
        AuditEvent,
        full_capability=Capability.ACT_ON_CONCERNS,
        owner_field="actor",
    )
    assert list(mine) == [records["own"]]
    every = school_records_or_own(
        _request(people["dsl"], school, Role.DSL),
        AuditEvent,
        full_capability=Capability.ACT_ON_CONCERNS,
        owner_field="actor",
    )
    assert set(every) == {records["own"], records["colleagues"]}
