"""Every page of the permission matrix, opened in Chromium by a headteacher (who may open nearly
all of them) and by an administrator (whose pages have other navigation), passes axe with no
serious or critical violation. A new page joins this sweep when its matrix row
is written. Files (CSV, PDF) are not pages and are left out."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.conftest import member
from tests.factories import PASSWORD
from tests.test_access_matrix import PAGES

pytestmark = pytest.mark.browser

DOWNLOADS = {"pupils:cohort_csv", "core:report_run_download", "pupil_imports:template"}


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", [Role.HEADTEACHER, Role.ADMINISTRATOR])
def test_every_page_a_role_may_open_passes_axe(page, school, settings, assert_accessible, role):
    settings.TWO_FACTOR_REQUIRED = False  # two-factor sign-in has its own journey
    person = member(school, role, email=f"{role}@school.test")
    visited = set()
    urls = []
    for row in PAGES:
        if role not in row.allowed or row.url_name in DOWNLOADS or row.url_name in visited:
            continue
        visited.add(row.url_name)
        kwargs = row.record(school) if row.record else row.kwargs
        urls.append(reverse(row.url_name, kwargs=kwargs))
    assert len(urls) >= 10
    _sign_in(page, person.email)
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)
