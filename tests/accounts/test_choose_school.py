"""A person who works at several schools picks the one they are acting for."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.middleware import SCHOOL_SESSION_KEY
from accounts.roles import Role
from core.models import AuditEvent
from tests.conftest import member, sign_in
from tests.factories import MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def third_school(db):
    return SchoolFactory(name="Nobody's Academy")


@pytest.fixture
def consultant(school, other_school):
    """Designated teacher at one school, DSL at another."""
    user = member(school, Role.DESIGNATED_TEACHER)
    MembershipFactory(user=user, school=other_school, role=Role.DSL)
    return user


@pytest.fixture
def consultant_client(consultant):
    return sign_in(Client(), consultant)


def test_a_person_with_several_schools_is_asked_to_choose(consultant_client):
    response = consultant_client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == reverse("accounts:choose_school") + "?next=/"


def test_only_their_own_schools_are_offered(consultant_client, third_school):
    response = consultant_client.get(reverse("accounts:choose_school"))

    page = response.content.decode()
    assert "Fenbridge Academy" in page
    assert "Elsewhere Primary School" in page
    assert "Nobody" not in page


def test_choosing_a_school_acts_there_and_is_audited(consultant_client, other_school):
    response = consultant_client.post(
        reverse("accounts:choose_school") + "?next=/", {"school": other_school.pk}
    )

    assert response.url == "/"
    assert consultant_client.session[SCHOOL_SESSION_KEY] == other_school.pk
    home = consultant_client.get(reverse("home"))
    assert home.wsgi_request.school == other_school
    assert home.wsgi_request.roles == {Role.DSL}
    assert AuditEvent.objects.get(action="school.chosen").school == other_school


def test_a_school_they_are_not_in_is_refused(consultant_client, third_school):
    response = consultant_client.post(
        reverse("accounts:choose_school"), {"school": third_school.pk}
    )

    assert response.status_code == 200
    assert b"Select one of the schools you work in" in response.content
    assert SCHOOL_SESSION_KEY not in consultant_client.session
    assert not AuditEvent.objects.filter(action="school.chosen").exists()


def test_next_page_on_another_site_is_ignored(consultant_client, school):
    response = consultant_client.post(
        reverse("accounts:choose_school") + "?next=https://evil.example/", {"school": school.pk}
    )

    assert response.url == reverse("home")


def test_choosing_nothing_says_so(consultant_client):
    response = consultant_client.post(reverse("accounts:choose_school"), {})

    assert b"Select a school" in response.content


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("accounts:choose_school"))

    assert response.url.startswith(reverse("accounts:login"))
