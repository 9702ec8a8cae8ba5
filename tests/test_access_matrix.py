"""The permission matrix: every page × every role × own school / other school / anonymous.

Each later issue adds its pages to PAGES. A row says which roles may open the page; every other
role must get 403, a signed-out visitor is sent to sign in, and a record of another school is
a 404 even for a role that may open the page (so its existence does not leak). Every named URL
has a row, or an entry in OUTSIDE_THE_MATRIX saying why not: a new page without a row fails.

This is the only run of the rows through the roles (the browser sweep opens the same rows
once a role in Chromium). The clock is stopped on tests.matrix.MATRIX_DAY, a Wednesday in the
autumn term, so the result does not depend on the real date.
"""

import datetime as dt
import uuid

import pytest
import time_machine
from django.contrib.admin.sites import site as admin_site
from django.urls import URLResolver, get_resolver, reverse

from accounts.roles import Role
from demo.schools import load_demo_term_dates
from notifications.models import OutboxMessage
from schools.models import Closure, Term
from schools.schooldays import SchoolCalendar
from tests.attendance.matrix import ATTENDANCE_PAGES
from tests.concerns.matrix import CONCERN_PAGES
from tests.conftest import member, sign_in
from tests.exclusions.matrix import EXCLUSION_PAGES, EXCLUSION_POST_PAGES
from tests.factories import SchoolFactory, VirtualSchoolFactory, add_year
from tests.matrix import ALL, COHORT, EDITORS, MANAGERS, MATRIX_DAY, Page, on_matrix_day
from tests.peps.contributions_matrix import CONTRIBUTION_PAGES
from tests.peps.matrix import PEP_PAGES, PEP_POST_PAGES
from tests.pupil_premium.matrix import PP_PAGES
from tests.pupils.matrix import PUPIL_PAGES
from tests.reports.matrix import REPORT_PAGES


def _term(school) -> dict:
    year = add_year(school, 2026)
    return {"pk": Term.objects.filter(academic_year=year).first().pk}


def _closure(school) -> dict:
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
        dedupe_key=f"matrix-{uuid.uuid4()}",
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
    Page("schools:virtual_school_edit", frozenset(), record=_cambridgeshire_pk, shared_record=True),
    Page(
        "schools:virtual_school_contact_edit",
        EDITORS | {Role.ADMINISTRATOR},
        record=_cambridgeshire,
        shared_record=True,
    ),
    Page(
        "schools:virtual_school_address_confirm",
        EDITORS,
        record=_cambridgeshire,
        shared_record=True,
    ),
    Page("notifications:outbox", MANAGERS),
    Page("notifications:outbox_message", MANAGERS, record=_outbox_message),
    Page("notifications:outbox_retry", MANAGERS, record=_outbox_message, method="post"),
]

PAGES = (
    FOUNDATION_PAGES
    + PUPIL_PAGES
    + PEP_PAGES
    + PEP_POST_PAGES
    + CONTRIBUTION_PAGES
    + EXCLUSION_PAGES
    + EXCLUSION_POST_PAGES
    + PP_PAGES
    + REPORT_PAGES
    + ATTENDANCE_PAGES
    + CONCERN_PAGES
)

# Named URLs that are not pages of a school's records, and why the matrix leaves them out.
# Django's admin (/django-admin/) is left out whole: it has its own permission system, for
# superusers only (test_django_admin_is_for_superusers_only). Static files are served by
# WhiteNoise, not by a URL pattern.
OUTSIDE_THE_MATRIX = {
    "healthz": "the load balancer's health check: open to all, says only 'ok'",
    "accessibility": "the accessibility statement: public, as the regulations require",
    "privacy": "the privacy notice: public",
    "accounts:login": "signing in: for signed-out visitors (tests/accounts/test_sign_in.py)",
    "accounts:logout": "signing out (tests/accounts/test_sign_in.py)",
    "accounts:two_factor": "the second sign-in step (tests/accounts/test_two_factor_setup.py)",
    "accounts:two_factor_verify": "the second sign-in step (tests/accounts)",
    "accounts:two_factor_setup": "setting up the second factor, before any school page",
    "accounts:backup_codes": "the user's own backup codes, before any school page",
    "accounts:password_reset": "for signed-out visitors (tests/accounts/test_password_reset.py)",
    "accounts:password_reset_done": "for signed-out visitors (test_password_reset.py)",
    "accounts:password_reset_confirm": "for signed-out visitors (test_password_reset.py)",
    "accounts:password_reset_complete": "for signed-out visitors (test_password_reset.py)",
    # A contributor's secure link: outside login, the token is the key. Their own matrix
    # (valid, expired, used, revoked, locked links; another school's) is
    # tests/peps/test_contributions_public_matrix.py.
    "contribute:start": "a contributor's link (tests/peps/test_contributions_public_matrix.py)",
    "contribute:code": "a contributor's link (tests/peps/test_contributions_public_matrix.py)",
    "contribute:answer": "a contributor's link (tests/peps/test_contributions_public_matrix.py)",
    "contribute:done": "the contributor's thank-you page: says nothing of any record",
}


def _url_names(resolver: URLResolver, prefix: str = "") -> list[str]:
    """Every URL name under ``resolver``, namespaced ("peps:pep"); an unnamed pattern is
    listed by its route, so a page cannot hide from the matrix by having no name."""
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == admin_site.name:
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names += _url_names(pattern, namespace)
        else:
            names.append(prefix + pattern.name if pattern.name else f"(unnamed) {pattern.pattern}")
    return names


def test_every_named_url_has_a_matrix_row_or_a_reason_to_have_none():
    urls = set(_url_names(get_resolver()))
    rows = {page.url_name for page in PAGES}

    assert urls - rows - OUTSIDE_THE_MATRIX.keys() == set(), "pages without a matrix row"
    assert rows - urls == set(), "rows for URLs that no longer exist"
    assert OUTSIDE_THE_MATRIX.keys() - urls == set(), "reasons for URLs that no longer exist"
    assert rows & OUTSIDE_THE_MATRIX.keys() == set(), "a page is both in and out"


@pytest.mark.django_db
def test_the_matrix_day_is_a_school_day_of_the_factories_and_the_demo():
    factory_school, demo_school = SchoolFactory(), SchoolFactory()
    add_year(factory_school, 2026)
    load_demo_term_dates(demo_school)
    day = MATRIX_DAY.date()
    assert day.weekday() == 2  # a Wednesday
    for school in (factory_school, demo_school):
        calendar = SchoolCalendar.for_school(school)
        assert calendar.is_school_day(day)
        assert calendar.term_for(day).name == "autumn"


# The pages some role of a school may open with a GET: what the read-audit and security-header
# walks visit (host-only pages and POST-only buttons have nothing to show).
OPENABLE_PAGES = [p for p in PAGES if p.allowed and p.method == "get"]


def open_as_allowed(client, page: Page, school):
    """Open ``page`` of ``school`` as a new member holding the first role allowed to see it."""
    return _status(client, page, school, role=sorted(page.allowed)[0])


def _cases() -> list:
    return [
        pytest.param(page, role, page.expected_status(role), id=f"{page.url_name}-{role}")
        for page in PAGES
        for role in Role
    ]


def _url(page: Page, school) -> str:
    kwargs = page.record(school) if page.record else page.kwargs
    return reverse(page.url_name, kwargs=kwargs)


def _status(client, page: Page, school, *, as_member_of=None, role=None) -> int:
    """Build the row's record of ``school`` and open its URL, on the matrix's day: signed in
    as a new member with ``role`` of ``as_member_of`` (the same school unless given), or
    signed out when ``role`` is None."""
    with on_matrix_day():
        url = _url(page, school)
        if role is not None:
            sign_in(client, member(as_member_of or school, role))
            if page.prepare:
                page.prepare(client, as_member_of or school)
        return getattr(client, page.method)(url)


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "role", "expected"), _cases())
def test_role_in_own_school(client, school, page, role, expected):
    assert _status(client, page, school, role=role).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page", [p for p in PAGES if p.record and not p.shared_record], ids=lambda p: p.url_name
)
def test_record_of_another_school_is_not_found(client, school, other_school, page):
    role = next(iter(sorted(page.allowed)))
    response = _status(client, page, other_school, as_member_of=school, role=role)
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url_name)
def test_signed_out_visitor_is_sent_to_sign_in(client, school, page):
    response = _status(client, page, school)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_the_matrix_passes_when_run_in_the_summer_holiday(client, school):
    """Run on a day between 22 July and 31 August, when the real date meets no term dates,
    the matrix still passes: it runs on its own day. (Before it did, "start a PEP" was a 302
    for every role that may open it, each summer.) One allowed role a page keeps it quick."""
    august = dt.datetime(2027, 8, 11, 10, 0, tzinfo=MATRIX_DAY.tzinfo)  # a Wednesday
    with time_machine.travel(august):
        for page in (p for p in PAGES if p.allowed):
            role = sorted(page.allowed)[0]
            client.logout()
            status = _status(client, page, school, role=role).status_code
            assert status == page.expected_status(role), page.url_name


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
