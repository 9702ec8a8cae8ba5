"""Need to know: Harbour's children are the cohort (in care, previously in care, with a social
worker), so a list of them is a list of the children in care. A member of staff who may raise a
concern but not see the cohort names the child by typing and never sees a list, a match or a
link; the DSL team links the concern to the child in Harbour."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from concerns.models import Concern, ConcernPupil
from core.models import AuditEvent
from notifications.models import OutboxMessage
from tests.concerns.factories import category, raise_concern
from tests.conftest import member, sign_in
from tests.matrix import on_matrix_day
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_care(school):
    child = PupilFactory(
        school=school,
        legal_forename="Zephyrine",
        legal_surname="Quartermaine",
        date_of_birth=dt.date(2015, 3, 9),
    )
    CareEpisodeFactory(pupil=child)
    return child


SECRETS = ("Zephyrine", "Quartermaine", "9 March 2015", "2015-03-09", "09/03/2015")


def _typed(**extra):
    return {
        "child_name": "Zeph Q",
        "child_class": "Year 5",
        "seen_on": "14/10/2026",
        "seen_time": "09:15",
        "location": "Year 5 classroom",
        "categories": [category().pk],
        "account": "Said she was scared to go home",
        "immediate_risk": "no",
    } | extra


def _shows_no_child(html: str) -> None:
    for secret in SECRETS:
        assert secret not in html


def test_a_member_of_staff_s_raise_page_lists_no_child(client, school, in_care):
    # The attack: a member of staff opens "raise a concern" to learn which children are in care.
    sign_in(client, member(school, Role.STAFF))
    with on_matrix_day():
        page = client.get(reverse("concerns:raise"))
        refused = client.post(reverse("concerns:raise"), _typed(child_name=""))
    assert page.status_code == 200
    html = page.content.decode()
    _shows_no_child(html)
    assert 'name="pupil"' not in html and 'name="child_name"' in html
    # Shown again with its errors, still no list.
    assert refused.status_code == 200
    _shows_no_child(refused.content.decode())
    assert "Enter the name of the child" in refused.content.decode()


def test_no_endpoint_a_member_of_staff_reaches_matches_a_name(client, school, in_care):
    staff = member(school, Role.STAFF)
    mine = raise_concern(school, by=staff, pupils=[], child_name="Zeph Q")
    sign_in(client, staff)
    with on_matrix_day():
        search = client.get(reverse("concerns:child_link", args=[mine.pk]) + "?q=Zeph")
        listing = client.get(reverse("concerns:list") + "?q=Zeph")
    assert search.status_code == 403
    _shows_no_child(listing.content.decode())


def test_a_forged_choice_of_child_from_a_member_of_staff_is_ignored(client, school, in_care):
    sign_in(client, member(school, Role.STAFF))
    with on_matrix_day():
        client.post(reverse("concerns:raise"), _typed(pupil=in_care.pk))
    concern = Concern.objects.get()
    assert not ConcernPupil.objects.filter(concern=concern).exists()


def test_a_typed_concern_is_saved_and_the_dsl_team_told(client, school, in_care):
    dsl = member(school, Role.DSL)
    sign_in(client, member(school, Role.STAFF))
    with on_matrix_day():
        response = client.post(reverse("concerns:raise"), _typed())
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert (concern.child_name, concern.child_class) == ("Zeph Q", "Year 5")
    email = OutboxMessage.objects.get(recipient=dsl.email)
    assert "Zeph" not in email.subject + email.body_text + email.body_html
    raised = AuditEvent.objects.get(action="concern.raised")
    assert raised.pupil_id is None and "child_name" in raised.fields
    assert "Zeph" not in str(raised.changes)


def test_the_dsl_links_the_concern_and_the_raiser_never_sees_the_link(
    client, dsl_client, school, in_care
):
    staff = member(school, Role.STAFF)
    concern = raise_concern(school, by=staff, pupils=[], child_name="Zeph Q")
    url = reverse("concerns:child_link", args=[concern.pk])
    with on_matrix_day():
        found = dsl_client.get(url + "?q=zeph quarter")
        assert "Zephyrine" in found.content.decode()
        assert AuditEvent.objects.filter(
            action="concern.link_candidate_shown", pupil_id=in_care.pk
        ).exists()
        linked = dsl_client.post(url, {"pupil": in_care.pk, "reason": "Class teacher"})
    assert linked.status_code == 302
    row = ConcernPupil.objects.get(concern=concern)
    assert row.pupil == in_care and row.linked_by is not None and row.linked_at is not None
    event = AuditEvent.objects.get(action="concern.child_linked")
    assert event.pupil_id == in_care.pk and "Class teacher" not in str(event.changes)
    # The concern itself is unchanged, and the DSL's page shows the link.
    assert Concern.objects.get(pk=concern.pk).child_name == "Zeph Q"
    with on_matrix_day():
        assert (
            "Zephyrine"
            in dsl_client.get(reverse("concerns:concern", args=[concern.pk])).content.decode()
        )
    # The raiser reads back what they typed, never which child in Harbour it was linked to.
    sign_in(client, staff)
    with on_matrix_day():
        own = client.get(reverse("concerns:concern", args=[concern.pk])).content.decode()
        mine = client.get(reverse("concerns:list")).content.decode()
    assert "Zeph Q" in own and "Zeph Q" in mine
    _shows_no_child(own)
    _shows_no_child(mine)
    assert "linked" not in own.lower()


def test_someone_who_may_see_the_cohort_still_chooses_from_the_list(dt_client, school, in_care):
    with on_matrix_day():
        html = dt_client.get(reverse("concerns:raise")).content.decode()
    assert "Zephyrine" in html and 'name="pupil"' in html
