"""Journey (issue 9): the designated teacher goes from a PEP target's PP+ request to the child's
ledger, records the Virtual School's approval, and finds it on the school summary with who
approved it; the head sees the same on the summary. Axe on every page."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from peps import services as pep_services
from pupil_premium import services
from tests.conftest import member
from tests.factories import PASSWORD
from tests.peps.conftest import (  # noqa: F401  (fixtures)
    D,
    autumn,
    cambridgeshire,
    child,
    fill,
    year,
)

pytestmark = pytest.mark.browser

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


@pytest.mark.django_db(transaction=True)
def test_from_a_pep_target_to_the_ledger_to_the_school_summary(
    page,
    school,
    child,  # noqa: F811 (the fixture imported above)
    autumn,  # noqa: F811
    settings,
    assert_accessible,
):
    settings.TWO_FACTOR_REQUIRED = False
    teacher = member(
        school, Role.DESIGNATED_TEACHER, email="dt@school.test", full_name="Priya Shah"
    )
    pep = fill(
        pep_services.pep_start(pupil=child, term=autumn, by=teacher, today=D(2026, 10, 12)),
        teacher,
    )
    # Completing the PEP turns the target's £450 request into a requested item on the ledger.
    pep_services.pep_complete(pep=pep, by=teacher, today=D(2026, 10, 20))
    services.allocation_record(
        pupil=child,
        financial_year=2026,
        amount=Decimal("1300.00"),
        by=teacher,
        today=D(2026, 10, 21),
    )

    with time_machine.travel(MONDAY, tick=True):
        sign_in(page, teacher)
        page.goto(reverse("peps:pep", args=[pep.pk]))
        expect(page.get_by_text("£450.00 requested")).to_be_visible()
        assert_accessible(page)

        page.get_by_role("link", name="PP+ ledger").first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Pupil Premium Plus")
        expect(page.get_by_text("A term of weekly one-to-one maths tutoring").first).to_be_visible()
        assert_accessible(page)

        page.get_by_role("link", name="Record the Virtual School's approval").click()
        assert_accessible(page)
        page.get_by_label("Date the Virtual School approved it").fill("20/11/2026")
        page.get_by_label("The Virtual School's reference").fill("VS-2026-114")
        page.get_by_role("button", name="Record the approval").click()
        expect(page.get_by_text("VS-2026-114").first).to_be_visible()
        assert_accessible(page)

        page.get_by_role("navigation", name="Menu").get_by_role("link", name="PP+").click()
        items = page.locator("#items + table")
        expect(items).to_contain_text("Amelia Okonkwo")
        expect(items).to_contain_text("reference VS-2026-114; recorded by Priya Shah")
        assert_accessible(page)

        # From the summary back to the child's item on the ledger.
        items.get_by_role("link", name="Amelia Okonkwo").click()
        expect(page.get_by_text("VS-2026-114").first).to_be_visible()
