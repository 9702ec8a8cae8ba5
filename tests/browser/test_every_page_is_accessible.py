"""Every page of the permission matrix, opened in Chromium by a headteacher (who may open nearly
all of them) and by an administrator (whose pages have other navigation), passes axe with no
serious or critical violation. The rows are the matrix's own (tests/test_access_matrix.py's
PAGES): a new page joins this sweep when its matrix row is written, and each page is opened
once a role, on the matrix's day. Files (CSV, PDF) and POST-only URLs are not pages to look at
and are left out."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from tests.conftest import member
from tests.factories import PASSWORD
from tests.matrix import DOWNLOADS, on_matrix_day
from tests.test_access_matrix import PAGES

pytestmark = pytest.mark.browser


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/")


def _same_session(page) -> Client:
    """A Django test client holding the browser's cookies: what a row's ``prepare`` does with
    it (upload a file to preview) lands in the browser's session."""
    client = Client()
    for cookie in page.context.cookies():
        client.cookies[cookie["name"]] = cookie["value"]
    return client


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", [Role.HEADTEACHER, Role.ADMINISTRATOR])
def test_every_page_a_role_may_open_passes_axe(page, school, settings, assert_accessible, role):
    settings.TWO_FACTOR_REQUIRED = False  # two-factor sign-in has its own journey
    rows = {}  # a URL name with two rows (two kinds of leaving task) is one page to look at
    for row in PAGES:
        if role in row.allowed and row.method == "get" and row.url_name not in DOWNLOADS:
            rows.setdefault(row.url_name, row)
    assert len(rows) >= 10
    # The live server's thread shares the patched clock: it runs on from the matrix's day
    # rather than stopping, which nothing here needs.
    with on_matrix_day(tick=True):
        person = member(school, role, email=f"{role}@school.test")
        _sign_in(page, person.email)
        for row in rows.values():
            kwargs = row.record(school) if row.record else row.kwargs
            url = reverse(row.url_name, kwargs=kwargs)
            if row.prepare:
                row.prepare(_same_session(page), school)
            response = page.goto(url)
            assert response.status == 200, url
            # goto follows redirects: a page that sent us elsewhere was not the one checked.
            assert response.request.redirected_from is None, url
            assert_accessible(page)
