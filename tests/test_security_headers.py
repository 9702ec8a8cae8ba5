"""Every page carries a Content-Security-Policy that allows no inline script or style, no HTML
template that reaches a browser has any inline script or style for that policy to block, and
nothing shown to a signed-in person may be kept in a cache (a shared staffroom computer's, a
proxy's): pages, the cohort CSV, a PEP PDF and the backup codes."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from accounts.roles import Role
from core.models import ReportRun
from tests.conftest import member, render_report_runs, sign_in
from tests.matrix import DOWNLOADS
from tests.pupil_factories import PupilFactory
from tests.test_access_matrix import OPENABLE_PAGES, open_as_allowed

POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}


def _policy(response) -> dict[str, set[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"{response.wsgi_request.path} has no Content-Security-Policy"
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: set(sources) for name, *sources in directives}


def _pages(*, downloads: bool) -> list:
    return [
        pytest.param(page, id=page.url_name)
        for page in OPENABLE_PAGES
        if (page.url_name in DOWNLOADS) == downloads
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("page", _pages(downloads=False))
def test_every_page_has_the_policy_and_is_not_cached(client, school, page):
    response = open_as_allowed(client, page, school)
    assert response.status_code == 200
    assert _policy(response) == POLICY
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.parametrize("page", _pages(downloads=True))
def test_every_download_is_not_cached(client, school, page):
    response = open_as_allowed(client, page, school)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert not response["Content-Type"].startswith("text/html")
    assert "Content-Security-Policy" not in response


@pytest.mark.django_db
def test_a_childs_page_is_not_cached(dt_client, school):
    pupil = PupilFactory(school=school)
    response = dt_client.get(reverse("pupils:pupil", kwargs={"pk": pupil.pk}))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_the_cohort_csv_is_not_cached(dt_client, school):
    PupilFactory(school=school)
    response = dt_client.get(reverse("pupils:cohort_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_a_pep_pdf_is_not_cached(dt_client, school):
    from tests.peps.matrix import pep_records

    completed = pep_records(school)["completed"]
    dt_client.post(reverse("peps:pep_pdf", kwargs={"pk": completed.pk}))
    render_report_runs()
    run = ReportRun.objects.get()
    response = dt_client.get(reverse("core:report_run_download", kwargs={"pk": run.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_the_backup_codes_are_not_cached(dt_client):
    response = dt_client.post(reverse("accounts:backup_codes"), follow=True)
    assert response.status_code == 200
    assert response.context["codes"]  # the freshly issued codes are on this page
    assert response["Cache-Control"] == "no-store"
    assert _policy(response) == POLICY


@pytest.mark.django_db
def test_signing_in_is_not_cached_from_the_first_response(client, school):
    from tests.factories import PASSWORD

    person = member(school, Role.DESIGNATED_TEACHER)
    response = client.post(
        reverse("accounts:login"), {"username": person.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_signed_out_pages_have_the_policy(client):
    for url in (reverse("accounts:login"), reverse("accessibility"), "/no-such-page/"):
        response = client.get(url)
        assert _policy(response) == POLICY, url


@pytest.mark.django_db
def test_the_django_admin_has_the_policy_and_is_not_cached(client, school):
    sign_in(client, member(school, Role.HEADTEACHER, is_staff=True, is_superuser=True))
    response = client.get("/django-admin/")
    assert response.status_code == 200
    assert _policy(response) == POLICY
    assert response["Cache-Control"] == "no-store"


# --- No inline script or style in a template a browser renders ---------------------------------

ROOT = Path(django_settings.BASE_DIR)
# Emails are read in mail clients, which ignore a page's policy and need inline styles; PDFs
# are drawn by WeasyPrint on the server, never by a browser.
NOT_FOR_BROWSERS = re.compile(r'\{%\s*extends\s+"reports/pdf_base\.html"')
INLINE = {
    "an inline <script>": re.compile(
        r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I
    ),
    "a <style> block": re.compile(r"<style\b", re.I),
    "a style= attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "an on...= event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}


def _browser_templates() -> list[Path]:
    folders = [Path(d) for engine in django_settings.TEMPLATES for d in engine["DIRS"]]
    folders += [p for p in ROOT.glob("*/templates") if p.parent.name != "tests"]
    found = []
    for folder in folders:
        for path in folder.rglob("*.html"):
            relative = path.relative_to(folder).as_posix()
            if relative.startswith("emails/") or relative == "reports/pdf_base.html":
                continue
            if NOT_FOR_BROWSERS.search(path.read_text()):
                continue
            found.append(path)
    return found


def test_the_template_scan_sees_the_pages():
    names = {p.relative_to(ROOT).as_posix() for p in _browser_templates()}
    assert "templates/base.html" in names
    assert "templates/accounts/backup_codes.html" in names
    assert "templates/peps/pdf/pep.html" not in names


@pytest.mark.parametrize("kind", sorted(INLINE))
def test_no_template_served_to_browsers_has_inline_script_or_style(kind):
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in _browser_templates()
        if INLINE[kind].search(path.read_text())
    ]
    assert not offenders, f"{kind} in {offenders}: the policy blocks it; use a static file"


def test_the_scan_catches_what_the_policy_blocks():
    assert INLINE["an inline <script>"].search("<script>document.body.className += 'x'</script>")
    assert not INLINE["an inline <script>"].search('<script type="module" src="/s.js"></script>')
    assert INLINE["a style= attribute"].search('<div class="x" style="color: red">')
    assert INLINE["an on...= event handler"].search('<button onclick="go()">')
