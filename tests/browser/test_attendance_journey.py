"""Journey (issue 10): the morning's sweep has found a child in care missing afternoons; the
designated teacher sees it on the home page, opens the concern, sends the social worker's
notice, records why the Virtual School's is not sent, opens the child's attendance page (the
calendar coloured by category, the weekly chart with its table), records a care placement
move and sees the figure without it. Axe on every page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from accounts.roles import Role
from attendance.models import AttendanceNotice
from attendance.sweep import attendance_sweep
from notifications.models import OutboxMessage
from tests.attendance.conftest import mark, school_days
from tests.conftest import member
from tests.factories import PASSWORD, VirtualSchoolFactory, add_year
from tests.pupil_factories import CareEpisodeFactory, ContactFactory, PupilFactory

pytestmark = pytest.mark.browser

WEDNESDAY = dt.datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Europe/London"))
D = dt.date


@pytest.mark.django_db(transaction=True)
def test_the_dt_acts_on_an_attendance_concern_and_reads_the_child_s_page(
    page, school, settings, assert_accessible
):
    settings.TWO_FACTOR_REQUIRED = False
    add_year(school, 2026)
    amelia = PupilFactory(school=school, legal_forename="Amelia", legal_surname="Okonkwo")
    CareEpisodeFactory(
        pupil=amelia,
        start_date=D(2022, 1, 10),
        legal_basis="s31",
        responsible_authority=VirtualSchoolFactory(la_code="873"),
    )
    worker = ContactFactory(pupil=amelia, name="Dan Price", email="dan.price@socialcare.test")
    days = school_days(school, D(2026, 9, 7), D(2026, 11, 25))
    mark(amelia, [d for d in days if d < D(2026, 11, 4)])
    mark(amelia, [d for d in days if D(2026, 11, 4) <= d < D(2026, 11, 9)], am="C", pm="C")
    mark(amelia, [d for d in days if d >= D(2026, 11, 9)], am="/", pm="N")
    teacher = member(school, Role.DESIGNATED_TEACHER, email="dt@school.test")
    attendance_sweep(today=D(2026, 11, 25))

    with time_machine.travel(WEDNESDAY, tick=True):
        page.goto("/accounts/login/")
        page.get_by_label("Email address").fill(teacher.email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()

        # The home page says what is waiting, without being asked.
        page.get_by_role("link", name="Open attendance concerns: 2").click()
        expect(page.get_by_role("heading", name="Open attendance concerns")).to_be_visible()
        assert_accessible(page)

        page.get_by_role("link", name="Okonkwo, Amelia").or_(
            page.get_by_role("link", name="Amelia Okonkwo")
        ).first.click()
        expect(page.get_by_role("heading", name="Notices")).to_be_visible()
        assert_accessible(page)

        page.get_by_role("button", name="Send the notice to the child's social worker").click()
        expect(page.get_by_text("Notice sent.")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Already told by phone or in a meeting").check()
        page.get_by_role("button", name="Record why not sent").click()
        expect(page.get_by_text("Recorded why the notice was not sent.")).to_be_visible()
        assert_accessible(page)

        page.get_by_role("link", name="The child's attendance").click()
        expect(page.get_by_role("heading", name="Attendance", exact=True)).to_be_visible()
        expect(page.locator(".harbour-mark--unauthorised").first).to_be_visible()
        expect(page.get_by_role("heading", name="Week by week")).to_be_visible()
        assert_accessible(page)

        page.get_by_role("link", name="Record a care placement move").click()
        assert_accessible(page)
        page.get_by_label("First day of the move").fill("4/11/2026")
        page.get_by_label("Last day of the move").fill("6/11/2026")
        page.get_by_role("button").filter(has_text="Save").or_(
            page.get_by_role("button").filter(has_text="Record")
        ).first.click()
        expect(page.get_by_text("Placement move recorded.")).to_be_visible()
        expect(page.get_by_text("The term without care placement move days")).to_be_visible()
        assert_accessible(page)

    notices = dict(
        AttendanceNotice.objects.filter(concern__pupil=amelia)
        .exclude(state="proposed")
        .values_list("recipient", "state")
    )
    assert notices == {"social_worker": "sent", "virtual_school": "not_sent"}
    assert OutboxMessage.objects.filter(recipient=worker.email).count() == 1
