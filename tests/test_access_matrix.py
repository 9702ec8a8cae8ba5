"""The permission matrix: every page × every role × own school / other school / anonymous.

Each later issue adds its pages to PAGES. A row says which roles may open the page; every other
role must get 403, a signed-out visitor is sent to sign in, and a record of another school is
a 404 even for a role that may open the page (so its existence does not leak).
"""

import pytest
from django.urls import reverse

from accounts.roles import Role
from notifications.models import OutboxMessage
from schools.models import Closure, Term
from tests.conftest import member, sign_in
from tests.factories import VirtualSchoolFactory, add_year
from tests.matrix import ALL, COHORT, EDITORS, MANAGERS, Page
from tests.peps.matrix import PEP_PAGES
from tests.pupils.matrix import PUPIL_PAGES


def _term(school) -> dict:
    year = add_year(school, 2026)
    return {"pk": Term.objects.filter(academic_year=year).first().pk}


def _closure(school) -> dict:
    import datetime as dt

    return {
        "pk": Closure.objects.create(
            school=school,
            first_day=dt.date(2026, 11, 2),
            last_day=dt.date(2026, 11, 2),
            reason="INSET",
        ).pk
    }


def _staff_member(school) -> dict:
    return {"user_id": member(school, Role.STAFF).pk}


def _outbox_message(school) -> dict:
    message = OutboxMessage.objects.create(
        school=school,
        recipient="vs@la.test",
        subject="PEP",
        body_text="Hello",
        dedupe_key=f"matrix-{school.pk}",
    )
    return {"pk": message.pk}


def _cambridgeshire(school) -> dict:
    # The seeded entry, or made again when a transactional test has flushed the seed.
    return {"la_code": VirtualSchoolFactory(la_code="873").la_code}


def _cambridgeshire_pk(school) -> dict:
    return {"pk": VirtualSchoolFactory(la_code="873").pk}


FOUNDATION_PAGES = [
    Page("home", ALL),
    Page("accounts:choose_school", ALL),
    Page("accounts:staff", MANAGERS),
    Page("accounts:staff_invite", MANAGERS),
    Page("accounts:staff_roles", MANAGERS, record=_staff_member),
    Page("accounts:audit", MANAGERS),
    Page("schools:terms", MANAGERS),
    Page("schools:academic_year_add", MANAGERS),
    Page("schools:term_edit", MANAGERS, record=_term),
    Page("schools:closure_add", MANAGERS),
    Page("schools:closure_delete", MANAGERS, record=_closure),
    Page("schools:virtual_schools", COHORT | MANAGERS),
    # The shared directory is the host's: no role in any school changes it.
    Page("schools:virtual_school_add", frozenset()),
    Page("schools:virtual_school_edit", frozenset(), record=_cambridgeshire_pk, shared=True),
    Page(
        "schools:virtual_school_contact_edit",
        EDITORS | {Role.ADMINISTRATOR},
        record=_cambridgeshire,
        shared=True,
    ),
    Page("schools:virtual_school_address_confirm", EDITORS, record=_cambridgeshire, shared=True),
    Page("notifications:outbox", MANAGERS),
]

PAGES = FOUNDATION_PAGES + PUPIL_PAGES + PEP_PAGES


def _cases() -> list:
    return [
        pytest.param(page, role, 200 if role in page.allowed else 403, id=f"{page.url_name}-{role}")
        for page in PAGES
        for role in Role
    ]


def _url(page: Page, school) -> str:
    kwargs = page.record(school) if page.record else page.kwargs
    return reverse(page.url_name, kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "role", "expected"), _cases())
def test_role_in_own_school(client, school, page, role, expected):
    url = _url(page, school)
    sign_in(client, member(school, role))
    assert client.get(url).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page", [p for p in PAGES if p.record and not p.shared], ids=lambda p: p.url_name
)
def test_record_of_another_school_is_not_found(client, school, other_school, page):
    url = _url(page, other_school)
    role = next(iter(sorted(page.allowed)))
    sign_in(client, member(school, role))
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url_name)
def test_signed_out_visitor_is_sent_to_sign_in(client, school, page):
    response = client.get(_url(page, school))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_user_with_password_only_is_sent_to_second_factor(client, school, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(member(school, Role.HEADTEACHER))
    response = client.get(reverse("accounts:staff"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")


@pytest.mark.django_db
def test_member_of_no_school_is_refused(client):
    from tests.factories import UserFactory

    sign_in(client, UserFactory())
    assert client.get(reverse("home")).status_code == 403


@pytest.mark.django_db
def test_django_admin_is_for_superusers_only(client, school):
    sign_in(client, member(school, Role.HEADTEACHER, is_staff=True))
    response = client.get("/django-admin/")
    assert response.status_code == 302  # to the admin's own login: not a superuser
