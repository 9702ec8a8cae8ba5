"""Journey (issue 11): a designated teacher flags a child in care at risk of suspension, logs
the Virtual School consultation and two alternatives tried; the head records a three-day
suspension; the statutory notices appear in the outbox and a Celery worker sends them; the
reintegration meeting is recorded on the day the child returns. Every page passes axe.

The clock is moved to Wednesday 4 December 2030 (ticking), in the autumn term of the school's
2030 to 2031 dates, so the cookies the browser gets are not already expired; then to Tuesday
10 December, the return date, for the reintegration meeting.
"""

import datetime as dt
import time

import pytest
import time_machine
from django_otp.oath import totp
from playwright.sync_api import expect

from accounts.roles import Role
from exclusions.models import AlternativeTried, Exclusion, ExclusionSettings, StatutoryNotice
from notifications.models import OutboxMessage
from pupils.models import ContactKind
from schools.models import VirtualSchoolContact
from tests.conftest import member
from tests.factories import PASSWORD, TOTPDeviceFactory, VirtualSchoolFactory, add_year
from tests.notifications.conftest import broker, workers  # noqa: F401 (fixtures)
from tests.pupil_factories import CareEpisodeFactory, ContactFactory, PupilFactory

pytestmark = pytest.mark.browser

WEDNESDAY = dt.datetime(2030, 12, 4, 9, 0, tzinfo=dt.UTC)
RETURN_DAY = dt.datetime(2030, 12, 10, 9, 0, tzinfo=dt.UTC)


def _sign_in(page, user):
    device = user.totpdevice_set.first() or TOTPDeviceFactory(user=user)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/two-factor/verify/**")
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code").fill(f"{code:06d}")
    page.get_by_role("button", name="Continue").click()


def _new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def _wait_until_sent(count: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count() >= count:
            return
        time.sleep(0.3)
    states = list(OutboxMessage.objects.values_list("recipient", "state"))
    raise AssertionError(f"the worker did not send the notices: {states}")


@pytest.mark.django_db(transaction=True)
def test_a_child_in_care_at_risk_then_suspended_with_notices_sent_and_reintegration(
    browser,
    live_server,
    page,
    school,
    settings,
    assert_accessible,
    workers,  # noqa: F811 (the fixture imported above)
):
    settings.TWO_FACTOR_REQUIRED = True
    with time_machine.travel(WEDNESDAY, tick=True), workers(1):
        add_year(school, 2030)
        vs = VirtualSchoolFactory(la_code="873", local_authority_name="Cambridgeshire")
        VirtualSchoolContact.objects.create(
            school=school, virtual_school=vs, confirmed_email=vs.email
        )
        ExclusionSettings.objects.create(
            school=school,
            local_authority_email="exclusions@la.test",
            local_authority_confirmed_email="exclusions@la.test",
            governing_board_email="clerk@school.test",
            governing_board_confirmed_email="clerk@school.test",
        )
        child = PupilFactory(school=school, legal_forename="Leo", legal_surname="Marsh")
        CareEpisodeFactory(pupil=child, responsible_authority=vs, start_date=dt.date(2029, 1, 7))
        ContactFactory(pupil=child, email="sw@social.test")
        ContactFactory(pupil=child, kind=ContactKind.CARER, email="carer@home.test")
        teacher = member(school, Role.DESIGNATED_TEACHER, email="dt@school.test")
        head = member(school, Role.HEADTEACHER, email="head@school.test")
        url = f"/exclusions/pupil/{child.pk}/"

        # The designated teacher flags the risk.
        _sign_in(page, teacher)
        page.goto(url)
        assert_accessible(page)
        page.get_by_role("link", name="Record a risk of suspension").click()
        expect(page.get_by_text("contact the Virtual School as soon as possible")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("The behaviour", exact=True).fill("Left lessons and shouted at staff.")
        page.get_by_label("The risk", exact=True).fill("A further incident may mean suspension.")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Risk of suspension recorded")).to_be_visible()

        # The Virtual School consultation.
        page.get_by_role("link", name="Record the Virtual School consultation").click()
        assert_accessible(page)
        page.get_by_label("Virtual School consulted on", exact=True).fill("4/12/2030")
        page.get_by_label("Virtual School adviser", exact=True).fill("Priya Nair")
        page.get_by_label("The Virtual School's advice", exact=True).fill("Try nurture first.")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Virtual School consultation recorded")).to_be_visible()

        # Two alternatives tried.
        for kind, outcome in (
            ("Soft start", "Calmer mornings for a week."),
            ("Nurture room support", "Helped at lunch; one further incident."),
        ):
            page.get_by_role("link", name="Add an alternative tried").click()
            assert_accessible(page)
            page.get_by_label(kind, exact=True).check()
            page.get_by_label("Started on").fill("2/12/2030")
            page.get_by_label("Outcome").fill(outcome)
            page.get_by_role("button", name="Save").click()
            expect(page.get_by_text("Alternative recorded")).to_be_visible()
        assert_accessible(page)

        # The head records a three-day suspension.
        head_context, head_page = _new_page(browser, live_server)
        _sign_in(head_page, head)
        head_page.goto(url)
        head_page.get_by_role("link", name="Suspend or exclude").click()
        expect(head_page.get_by_text("0 of 45 school days")).to_be_visible()
        assert_accessible(head_page)
        head_page.get_by_label("Suspension", exact=True).check()
        head_page.get_by_label("First day").fill("5/12/2030")
        head_page.get_by_label("School days", exact=True).check()
        head_page.get_by_label("Length (for a suspension)").fill("3")
        head_page.get_by_label("Reason").select_option(label="Physical assault against an adult")
        head_page.get_by_label("What happened").fill("Pushed a teaching assistant.")
        head_page.get_by_role("button", name="Record decision").click()
        expect(head_page.get_by_text("The statutory notices are in the outbox")).to_be_visible()
        assert_accessible(head_page)

        # The notices: one to each recipient, each with its email in the outbox, which the
        # worker sends.
        exclusion = Exclusion.objects.get()
        assert exclusion.return_date == dt.date(2030, 12, 10)
        notices = StatutoryNotice.objects.filter(exclusion=exclusion)
        assert sorted(notices.values_list("recipient", flat=True)) == [
            "governing_board",
            "local_authority",
            "parents",
            "social_worker",
            "virtual_school",
        ]
        assert all(n.message_id for n in notices)
        _wait_until_sent(5)
        head_page.goto("/exclusions/notices/")
        expect(head_page.get_by_role("heading", name="Statutory notices")).to_be_visible()
        table = head_page.locator("table")
        expect(table.get_by_text("In the outbox")).to_have_count(0)
        expect(table.locator(".govuk-tag", has_text="Not sent")).to_have_count(0)
        expect(table.get_by_text("exclusions@la.test")).to_be_visible()
        assert_accessible(head_page)
        head_context.close()

    # The child returns on Tuesday 10 December: the reintegration meeting.
    with time_machine.travel(RETURN_DAY, tick=True):
        context, dt_page = _new_page(browser, live_server)
        _sign_in(dt_page, teacher)
        dt_page.goto(url)
        dt_page.get_by_role("link", name="Record the reintegration meeting").click()
        assert_accessible(dt_page)
        dt_page.get_by_label("Meeting held on").fill("10/12/2030")
        dt_page.get_by_label("Who attended").fill("Leo, his carer, the DT, the VS adviser.")
        dt_page.get_by_label("The plan agreed").fill("Daily check-in with his key adult.")
        dt_page.get_by_role("button", name="Save").click()
        expect(dt_page.get_by_text("Reintegration meeting recorded")).to_be_visible()
        assert_accessible(dt_page)
        context.close()

    exclusion.refresh_from_db()
    assert exclusion.reintegration_on == dt.date(2030, 12, 10)
    assert AlternativeTried.objects.count() == 2
    assert OutboxMessage.objects.filter(recipient="exclusions@la.test", state="sent").exists()
