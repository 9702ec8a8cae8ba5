"""Raising a concern: any member of staff, about children of their school; the DSL team is told
at once by a link with no detail; the raiser reads back their own concerns and nothing else."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from concerns.models import BodyMark, Concern
from core.models import AuditEvent
from core.sensitivity import Sensitivity
from notifications.models import OutboxMessage
from tests.concerns.factories import FOREARM, category, raise_concern
from tests.conftest import member, sign_in
from tests.matrix import on_matrix_day
from tests.pupil_factories import PupilFactory

pytestmark = pytest.mark.django_db

ACCOUNT = "Said her stepdad hit her with a belt last night"


def _form(pupil, **extra):
    """The form as someone who may see the cohort fills it in (choosing the child); a member of
    staff types the name (``_typed``; tests/concerns/test_need_to_know.py)."""
    data = {
        "pupil": pupil.pk,
        "seen_on": "14/10/2026",
        "seen_time": "09:15",
        "location": "Year 5 classroom",
        "categories": [category().pk],
        "account": ACCOUNT,
        "immediate_risk": "no",
    }
    return data | extra


def _typed(pupil, **extra):
    data = _form(pupil, **extra)
    del data["pupil"]
    return data | {"child_name": pupil.display_name, "child_class": "Year 5"}


def test_a_member_of_staff_raises_a_concern_with_a_body_map_mark(client, school):
    dsl = member(school, Role.DSL)
    staff = member(school, Role.STAFF)
    child = PupilFactory(school=school, legal_forename="Amira")
    sign_in(client, staff)
    with on_matrix_day():
        response = client.post(
            reverse("concerns:raise"),
            _typed(
                child,
                mark_1_side="front",
                mark_1_region="left_forearm",
                mark_1_description="Bruise 3cm",
                mark_1_x="22.5",
                mark_1_y="40",
            ),
        )
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("concerns:concern", args=[concern.pk])
    assert concern.raised_by == staff
    mark = BodyMark.objects.get()
    assert (mark.side, mark.region, mark.description) == ("front", "left_forearm", "Bruise 3cm")
    assert float(mark.x) == 22.5
    # The DSL team's email: a link, no name, no detail.
    email = OutboxMessage.objects.get(recipient=dsl.email)
    assert email.sensitivity == Sensitivity.SAFEGUARDING
    assert reverse("concerns:concern", args=[concern.pk]) in email.body_text
    for detail in ("Amira", ACCOUNT, "belt", "Year 5", "Physical"):
        assert detail not in email.subject + email.body_text + email.body_html
    assert not email.subject.startswith("URGENT")


def test_the_body_map_works_without_script_from_the_list_of_regions(client, school):
    sign_in(client, member(school, Role.STAFF))
    child = PupilFactory(school=school)
    with on_matrix_day():
        client.post(
            reverse("concerns:raise"),
            _typed(
                child, mark_1_side="back", mark_1_region="upper_back", mark_1_description="Welt"
            ),
        )
    mark = BodyMark.objects.get()
    assert (mark.side, mark.region, mark.x, mark.y) == ("back", "upper_back", None, None)


def test_a_mark_without_a_description_is_refused_and_nothing_saved(client, school):
    sign_in(client, member(school, Role.STAFF))
    child = PupilFactory(school=school)
    with on_matrix_day():
        response = client.post(
            reverse("concerns:raise"), _form(child, mark_1_side="front", mark_1_region="face")
        )
    assert response.status_code == 200
    assert "Mark 1: describe what you saw" in response.content.decode()
    assert not Concern.objects.exists()


def test_an_immediate_risk_concern_is_marked_urgent(school):
    dsl = member(school, Role.DSL)
    raise_concern(
        school,
        by=member(school, Role.STAFF),
        pupils=[PupilFactory(school=school)],
        immediate_risk=True,
    )
    assert OutboxMessage.objects.get(recipient=dsl.email).subject.startswith("URGENT")


def test_a_concern_about_two_children_audits_one_event_per_child(school):
    a, b = PupilFactory(school=school), PupilFactory(school=school)
    concern = raise_concern(school, by=member(school, Role.STAFF), pupils=[a, b])
    events = AuditEvent.objects.filter(action="concern.raised")
    assert sorted(e.pupil_id for e in events) == sorted([a.pk, b.pk])
    assert {e.school_id for e in events} == {school.pk}
    assert {e.object_id for e in events} == {str(concern.pk)}
    # Field names only, never what was written about the child.
    assert all("account" in e.fields and "belt" not in str(e.changes) for e in events)


def test_a_child_of_another_school_cannot_be_chosen(client, school, other_school):
    sign_in(client, member(school, Role.DESIGNATED_TEACHER))
    elsewhere = PupilFactory(school=other_school)
    with on_matrix_day():
        response = client.post(reverse("concerns:raise"), _form(elsewhere))
    assert response.status_code == 200
    assert not Concern.objects.exists()


def test_staff_read_their_own_concern_read_only_and_cannot_list_or_open_others(client, school):
    me, colleague = member(school, Role.STAFF), member(school, Role.STAFF)
    mine = raise_concern(school, by=me, pupils=[PupilFactory(school=school)], marks=[FOREARM])
    theirs = raise_concern(
        school, by=colleague, pupils=[PupilFactory(school=school, legal_surname="Theirs")]
    )
    sign_in(client, me)
    listing = client.get(reverse("concerns:list")).content.decode()
    assert mine.reference in listing
    assert theirs.reference not in listing and "Theirs" not in listing
    own = client.get(reverse("concerns:concern", args=[mine.pk]))
    assert own.status_code == 200
    page = own.content.decode()
    assert "Bruise 3cm, purple" in page  # the text alternative lists every mark
    assert reverse("concerns:action_add", args=[mine.pk]) not in page  # read-only
    assert client.get(reverse("concerns:concern", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("concerns:action_add", args=[mine.pk])).status_code == 403


def test_opening_a_concern_writes_one_read_per_child(dsl_client, school):
    a, b = PupilFactory(school=school), PupilFactory(school=school)
    concern = raise_concern(school, by=member(school, Role.STAFF), pupils=[a, b])
    dsl_client.get(reverse("concerns:concern", args=[concern.pk]))
    reads = AuditEvent.objects.filter(action="concern.viewed")
    assert sorted(r.pupil_id for r in reads) == sorted([a.pk, b.pk])


def test_the_seen_time_cannot_be_in_the_future(school):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        raise_concern(
            school,
            by=member(school, Role.STAFF),
            pupils=[PupilFactory(school=school)],
            seen_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
        )


def test_the_raiser_reads_back_only_what_they_wrote_not_the_dsl_s_notes_or_outcome(client, school):
    """The raiser's read-back is "the concern you raised, as you wrote it" (DESIGN.md role
    table: only their own, read-only). What the DSL team added to it, and whether they closed
    it, are the DSL's record: the raiser's list shows no status, and neither does the page."""
    from concerns.models import Decision
    from concerns.services import concern_addendum_add, concern_decision_record

    me, dsl = member(school, Role.STAFF), member(school, Role.DSL)
    mine = raise_concern(school, by=me, pupils=[PupilFactory(school=school)])
    concern_addendum_add(concern=mine, by=dsl, text="Strategy meeting with police planned")
    concern_decision_record(
        concern=mine,
        by=dsl,
        kind=Decision.Kind.CLOSED,
        decision="Closed after the referral",
        reason="Social care took the case",
    )
    sign_in(client, me)
    page = client.get(reverse("concerns:concern", args=[mine.pk])).content.decode()
    assert "Bruise on the left forearm" in page  # what they wrote
    assert "Strategy meeting" not in page
    assert "Closed" not in page


def test_the_raiser_cannot_learn_which_of_their_concerns_were_closed_by_filtering(client, school):
    from concerns.models import Decision
    from concerns.services import concern_decision_record

    me, dsl = member(school, Role.STAFF), member(school, Role.DSL)
    closed = raise_concern(school, by=me, pupils=[PupilFactory(school=school)])
    still_open = raise_concern(school, by=me, pupils=[PupilFactory(school=school)])
    concern_decision_record(
        concern=closed, by=dsl, kind=Decision.Kind.CLOSED, decision="Closed", reason="Done"
    )
    sign_in(client, me)
    for status in ("open", "closed"):
        listing = client.get(reverse("concerns:list"), {"status": status}).content.decode()
        assert closed.reference in listing and still_open.reference in listing
