"""Under Harbour's Content-Security-Policy (no inline script or style), GOV.UK Frontend's
JavaScript still starts: the error summary takes focus, the service navigation's menu button
works on a phone-sized screen, and the browser reports no violation of the policy."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.conftest import member
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

# Playwright's init scripts run whatever the page's policy says; this one only listens.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.mark.django_db(transaction=True)
def test_javascript_starts_under_the_policy_with_no_violation(
    browser, live_server, school, settings
):
    settings.TWO_FACTOR_REQUIRED = False  # two-factor sign-in has its own journey
    person = member(school, Role.DESIGNATED_TEACHER, email="dt@school.test")
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 375, "height": 800}
    )
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    try:
        response = page.goto("/accounts/login/")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")

        # An empty form: GOV.UK Frontend's error summary moves focus to itself.
        page.get_by_role("button", name="Continue").click()
        page.wait_for_function(
            "document.activeElement && document.activeElement.matches('.govuk-error-summary')"
        )

        page.get_by_label("Email address").fill(person.email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/")

        # On a narrow screen the navigation hides behind a Menu button that only its JavaScript
        # shows and opens.
        menu = page.get_by_role("button", name="Menu")
        menu.wait_for(state="visible")
        assert menu.get_attribute("aria-expanded") == "false"
        menu.click()
        assert menu.get_attribute("aria-expanded") == "true"
        expect(page.locator("#navigation")).to_be_visible()

        assert page.evaluate("window.__violations") == []
        assert not [e for e in console_errors if "Content Security Policy" in e], console_errors
    finally:
        context.close()
