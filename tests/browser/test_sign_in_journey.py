"""Journey: a new headteacher signs in for the first time, sets up two-factor sign-in with a
real TOTP code, saves their backup codes, moves through every page the navigation offers,
signs out and signs in again with a code. Every page passes axe (no serious or critical
violation)."""

import base64

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from accounts.roles import Role
from tests.conftest import member
from tests.factories import PASSWORD, add_year

pytestmark = pytest.mark.browser


def _code_for(secret: str) -> str:
    key = base64.b32decode(secret.replace(" ", "").upper())
    return f"{TOTP(key).token():06d}"


def _sign_in_with_password(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


@pytest.mark.django_db(transaction=True)
def test_head_sets_up_two_factor_and_moves_through_the_navigation(
    page, school, settings, assert_accessible
):
    settings.TWO_FACTOR_REQUIRED = True
    add_year(school, 2026)
    head = member(school, Role.HEADTEACHER, email="head@school.test", full_name="Helen Marsh")

    _sign_in_with_password(page, head.email)
    assert_accessible(page)  # the login page's errors would show here; none expected

    page.wait_for_url("**/accounts/two-factor/setup/")
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    assert_accessible(page)
    secret = page.locator("#totp-secret").text_content()
    page.get_by_label("Code").fill("000000" if _code_for(secret) != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # a wrong code is refused
    assert_accessible(page)
    # django-otp makes the next try wait 2**(failures-1) seconds after a wrong code.
    page.wait_for_timeout(1500)
    page.get_by_label("Code").fill(_code_for(secret))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    assert_accessible(page)
    backup_codes = page.locator("#backup-codes code").all_inner_texts()
    assert len(backup_codes) == 10
    page.get_by_role("link", name="I have saved my codes").click()

    expect(page.get_by_role("heading", name=school.name)).to_be_visible()
    navigation = page.get_by_role("navigation", name="Menu")
    labels = [link.inner_text().strip() for link in navigation.get_by_role("link").all()]
    assert labels[0] == "Home"
    assert {"Staff", "Term dates", "Outbox", "Audit log"} <= set(labels)
    for label in labels:
        navigation.get_by_role("link", name=label, exact=True).click()
        expect(page.locator("main h1")).to_be_visible()
        assert "Page not found" not in page.title()
        assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/**")

    # Next time, with the phone left at home: password, then a backup code.
    _sign_in_with_password(page, head.email)
    page.wait_for_url("**/accounts/two-factor/verify/**")
    assert_accessible(page)
    page.get_by_label("Code").fill(backup_codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name=school.name)).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_member_of_staff_sees_only_what_their_role_allows(page, school, settings):
    settings.TWO_FACTOR_REQUIRED = False
    staff = member(school, Role.STAFF, email="staff@school.test")
    _sign_in_with_password(page, staff.email)
    navigation = page.get_by_role("navigation", name="Menu")
    labels = {link.inner_text().strip() for link in navigation.get_by_role("link").all()}
    assert "Staff" not in labels
    assert "Audit log" not in labels
    assert "Outbox" not in labels
    expect(page.get_by_text("Two-factor sign-in is turned off")).to_be_visible()
    page.goto("/accounts/audit/")
    expect(page.get_by_role("heading", name="You cannot see this page")).to_be_visible()
