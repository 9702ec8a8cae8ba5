"""The permission matrix of the contributor's pages, which are outside login: the link's token
is the only key. A valid link opens (for anyone holding it, signed in or not, of any role or
school, since the email is the proof); every other link (expired, used, revoked, locked, its
PEP completed, or never issued) gets one "this link does not work" page with one status, so
nothing tells them apart. Opened by a signed-in member of another school, a link shows that
member nothing more than it shows the contributor: the child's first name and the questions.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from peps.contributions.models import ContributionRequest
from peps.contributions.secrets import new_token, token_hash
from peps.models import PersonalEducationPlan
from tests.conftest import member, sign_in
from tests.matrix import on_matrix_day
from tests.peps.matrix import pep_records

PUBLIC = ["contribute:start", "contribute:code", "contribute:answer"]


def _link(school, **fields) -> str:
    """A carer's link on the school's draft PEP, asked on Monday 12 October 2026."""
    token = new_token()
    draft = pep_records(school)["draft"]
    ContributionRequest.objects.create(
        pep=draft,
        audience="carer",
        name="Sam Carter",
        email="sam@carer.test",
        questions=["carer_views"],
        sent_on=dt.date(2026, 10, 12),
        expires_on=fields.pop("expires_on", dt.date(2026, 11, 6)),
        token_hash=token_hash(token),
        **fields,
    )
    return token


def _completed(school) -> str:
    token = _link(school)
    PersonalEducationPlan.objects.filter(contribution_requests__isnull=False).update(
        status="completed",
        completed_at=timezone.now(),
        completed_by=member(school, Role.HEADTEACHER),
    )
    return token


LINKS = {
    "valid": (lambda s: _link(s), 200),
    "expired": (lambda s: _link(s, expires_on=dt.date(2026, 10, 13)), 404),
    "used": (lambda s: _link(s, submitted_at=timezone.now()), 404),
    "revoked": (lambda s: _link(s, revoked_at=timezone.now()), 404),
    "locked": (lambda s: _link(s, locked_at=timezone.now(), code_failures=5), 404),
    "pep_completed": (_completed, 404),
    "never_issued": (lambda s: new_token(), 404),
}


@pytest.mark.django_db
@pytest.mark.parametrize("state", LINKS)
@pytest.mark.parametrize("role", [None, *Role])
def test_a_link_opens_only_while_it_works_whoever_opens_it(client, school, state, role):
    make, expected = LINKS[state]
    with on_matrix_day():
        token = make(school)
        if role is not None:
            sign_in(client, member(school, role))
        response = client.get(reverse("contribute:start", args=[token]))
    assert response.status_code == expected
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"  # never to another site
    if expected == 404:
        assert "This link does not work" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("state", [s for s in LINKS if LINKS[s][1] == 404])
@pytest.mark.parametrize("url_name", PUBLIC)
def test_every_page_of_a_dead_link_is_the_same_page(client, school, state, url_name):
    with on_matrix_day():
        token = LINKS[state][0](school)
        get = client.get(reverse(url_name, args=[token]))
        post = client.post(reverse(url_name, args=[token]), {"code": "123456"})
    assert get.status_code == post.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_another_schools_link_shows_a_member_here_nothing_more(client, school, other_school, role):
    with on_matrix_day():
        token = _link(other_school)
        pupil = ContributionRequest.objects.get(token_hash=token_hash(token)).pep.pupil
        sign_in(client, member(school, role))
        page = client.get(reverse("contribute:start", args=[token])).content.decode()
    assert pupil.forename in page
    for secret in (pupil.surname, pupil.legal_surname, other_school.name, str(pupil.date_of_birth)):
        assert secret not in page


@pytest.mark.django_db
def test_the_answer_page_needs_the_code_first(client, school):
    with on_matrix_day():
        token = _link(school)
        response = client.get(reverse("contribute:answer", args=[token]))
    assert response.status_code == 302
    assert response["Location"] == reverse("contribute:start", args=[token])


@pytest.mark.django_db
def test_the_thank_you_page_is_for_anyone(client):
    assert client.get(reverse("contribute:done")).status_code == 200
