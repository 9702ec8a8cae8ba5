"""Every pupils URL x every role x own school / other school / signed out (tests/pupils/matrix)."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.conftest import member, sign_in
from tests.pupils.matrix import PUPIL_PAGES

pytestmark = pytest.mark.django_db


def _url(page, school) -> str:
    return reverse(page.url_name, kwargs=page.record(school) if page.record else page.kwargs)


def _cases():
    for n, page in enumerate(PUPIL_PAGES):
        for role in Role:
            expected = 200 if role in page.allowed else 403
            yield pytest.param(page, role, expected, id=f"{page.url_name}-{n}-{role.value}")


@pytest.mark.parametrize(("page", "role", "expected"), _cases())
def test_role_in_own_school(client, school, page, role, expected):
    url = _url(page, school)
    sign_in(client, member(school, role))
    assert client.get(url).status_code == expected


@pytest.mark.parametrize("page", [p for p in PUPIL_PAGES if p.record], ids=lambda p: p.url_name)
def test_record_of_another_school_is_not_found(client, school, other_school, page):
    url = _url(page, other_school)
    sign_in(client, member(school, *page.allowed))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page", PUPIL_PAGES, ids=lambda p: p.url_name)
def test_signed_out_visitor_is_sent_to_sign_in(client, school, page):
    response = client.get(_url(page, school))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
