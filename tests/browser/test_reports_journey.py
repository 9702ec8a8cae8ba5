"""Journeys (issue 13): the head goes from "PEPs overdue" on the dashboard to the children
behind it and opens one; a governor downloads the published annual report. Axe on each page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from accounts.roles import Role
from core.report_runs import report_run_render
from reports.services import governors_report_publish, governors_report_request
from tests.conftest import member
from tests.factories import PASSWORD, add_year
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

pytestmark = pytest.mark.browser

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


@pytest.mark.django_db(transaction=True)
def test_head_goes_from_peps_overdue_to_the_child(page, school, settings, assert_accessible):
    settings.TWO_FACTOR_REQUIRED = False
    add_year(school, 2026)
    overdue = PupilFactory(school=school, legal_forename="Kai", legal_surname="Brennan")
    # In care since September: the first PEP was due within 20 school days, and never held.
    CareEpisodeFactory(pupil=overdue, start_date=dt.date(2026, 9, 7))
    head = member(school, Role.HEADTEACHER, email="head@school.test")

    with time_machine.travel(MONDAY, tick=True):
        sign_in(page, head)
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard").click()
        expect(page.get_by_role("heading", name="Personal Education Plans")).to_be_visible()
        assert_accessible(page)

        page.get_by_role("link", name="1 PEPs overdue").click()
        expect(page.locator("#missing")).to_be_visible()
        assert_accessible(page)

        page.get_by_role("link", name="Brennan, Kai").first.click()
        expect(page.get_by_text("Kai Brennan").first).to_be_visible()
        assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_governor_downloads_the_annual_report(page, school, settings, assert_accessible):
    settings.TWO_FACTOR_REQUIRED = False
    add_year(school, 2025)
    add_year(school, 2026)
    for _ in range(6):
        CareEpisodeFactory(pupil=PupilFactory(school=school), start_date=dt.date(2022, 1, 10))
    designated_teacher = member(school, Role.DESIGNATED_TEACHER)
    report = governors_report_request(
        school=school,
        kind="annual",
        academic_year=2025,
        by=designated_teacher,
        today=MONDAY.date(),
    )
    report_run_render(run_pk=report.run_id)
    governors_report_publish(report=report, by=designated_teacher)
    governor = member(school, Role.GOVERNOR, email="governor@school.test")

    with time_machine.travel(MONDAY, tick=True):
        sign_in(page, governor)
        expect(page.get_by_role("heading", name="Published reports")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("navigation", name="Menu").get_by_role(
            "link", name="Governors' report"
        ).click()
        assert_accessible(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="Annual report 2025 to 2026 (PDF)").click()
        assert download.value.suggested_filename == "governors-report-2025-to-2026.pdf"
