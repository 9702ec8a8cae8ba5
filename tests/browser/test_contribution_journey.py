"""Journey (issue 15): the designated teacher asks the child's social worker for their views
before the PEP meeting; the social worker opens the emailed link on a phone-sized screen
(375 x 667), confirms the six-digit code from the second email, and answers; the designated
teacher accepts the answer into the draft, completes the PEP and downloads its PDF, which says
whose words they are. Each email is read as the Celery worker delivers it. Every page passes
axe, the contributor's at phone size.

The clock is moved to Monday 2 December 2030 (ticking), in the autumn term of the school's 2030
to 2031 dates, so the cookies the browser gets are not already expired.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django_otp.oath import totp
from playwright.sync_api import expect

from accounts.roles import Role
from core.pdf import pdf_text
from peps import services as pep_services
from peps.models import PersonalEducationPlan
from schools.models import Term
from schools.services import virtual_school_address_confirm
from tests.conftest import member
from tests.factories import PASSWORD, TOTPDeviceFactory, VirtualSchoolFactory, add_year
from tests.notifications.conftest import broker, wait_until, workers  # noqa: F401 (fixtures)
from tests.peps.conftest import fill
from tests.pupil_factories import CareEpisodeFactory, ContactFactory, PupilFactory

pytestmark = pytest.mark.browser

MONDAY_MORNING = dt.datetime(2030, 12, 2, 9, 0, tzinfo=dt.UTC)
PHONE = {"width": 375, "height": 667}
WORDS = "Jade's placement is stable; contact with her brother moves to Saturdays"


def _sign_in(page, user):
    device = TOTPDeviceFactory(user=user)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/two-factor/verify/**")
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code").fill(f"{code:06d}")
    page.get_by_role("button", name="Continue").click()


def _delivered(to: str, pattern: str) -> str:
    """The first match of ``pattern`` in an email the worker delivered to ``to``."""

    def found():
        for message in mail.outbox:
            if to in message.to and (match := re.search(pattern, message.body)):
                return match.group(1)
        return None

    return wait_until(found, what=f"an email to {to} matching {pattern!r}")


@pytest.mark.django_db(transaction=True)
def test_a_social_worker_answers_on_a_phone_and_the_dt_accepts_and_completes(
    browser,
    live_server,
    page,
    school,
    settings,
    assert_accessible,
    workers,  # noqa: F811 (the fixture imported above)
):
    settings.TWO_FACTOR_REQUIRED = True
    with time_machine.travel(MONDAY_MORNING, tick=True), workers(1):
        add_year(school, 2030)
        autumn = Term.objects.get(
            academic_year__school=school, academic_year__start_year=2030, name="autumn"
        )
        cambridgeshire = VirtualSchoolFactory(la_code="873", local_authority_name="Cambridgeshire")
        virtual_school_address_confirm(
            school=school, virtual_school=cambridgeshire, email=cambridgeshire.email, by=None
        )
        jade = PupilFactory(
            school=school,
            legal_forename="Jade",
            legal_surname="Morrow",
            date_of_birth=dt.date(2018, 4, 3),
        )
        CareEpisodeFactory(
            pupil=jade,
            start_date=dt.date(2027, 1, 10),
            legal_basis="s31",
            responsible_authority=cambridgeshire,
        )
        ContactFactory(
            pupil=jade, kind="social_worker", name="Jo Price", email="jo.price@socialcare.test"
        )
        teacher = member(
            school, Role.DESIGNATED_TEACHER, email="dt@school.test", full_name="Dana Teague"
        )
        pep = pep_services.pep_start(
            pupil=jade, term=autumn, by=teacher, today=dt.date(2030, 12, 2)
        )
        fill(pep, teacher, meeting=dt.date(2030, 12, 2))
        PersonalEducationPlan.objects.filter(pk=pep.pk).update(social_worker_views="")

        # The designated teacher asks the social worker.
        _sign_in(page, teacher)
        page.goto(f"/peps/{pep.pk}/")
        page.get_by_role("link", name="Views asked for before the meeting").click()
        assert_accessible(page)
        page.get_by_role("link", name="Ask someone for their views").click()
        assert_accessible(page)
        page.get_by_label("Jo Price (social worker)").check()
        page.get_by_label(re.compile("update on the child.s placement and care plan")).check()
        page.get_by_role("button", name="Send the link").click()
        expect(page.get_by_text("Link sent to Jo Price", exact=True)).to_be_visible()
        assert_accessible(page)

        # The social worker, on a phone, opens the link from the email the worker sent.
        link = _delivered("jo.price@socialcare.test", r"(https?://\S+/contribute/[\w-]+/)")
        phone = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
        worker_page = phone.new_page()
        worker_page.set_default_timeout(10_000)
        worker_page.goto(link.replace(link.split("/contribute/")[0], live_server.url))
        expect(worker_page.get_by_role("heading", name="Your views for Jade's education plan"))
        assert "Morrow" not in worker_page.content()  # the first name only
        assert_accessible(worker_page)
        worker_page.get_by_role("button", name="Email me a code").click()
        code = _delivered("jo.price@socialcare.test", r"Your code is (\d{6})")
        expect(worker_page.get_by_role("heading", name="Enter your code")).to_be_visible()
        assert_accessible(worker_page)
        worker_page.get_by_label("Code").fill(code)
        worker_page.get_by_role("button", name="Continue").click()
        assert_accessible(worker_page)
        worker_page.get_by_label(re.compile("update on the child.s placement")).fill(WORDS)
        worker_page.get_by_role("button", name="Send your views").click()
        expect(worker_page.get_by_role("heading", name=re.compile("Thank you"))).to_be_visible()
        assert_accessible(worker_page)
        # The page fits the phone: nothing scrolls sideways.
        assert worker_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        phone.close()

        # The designated teacher accepts the answer into the draft, and completes the PEP.
        page.goto(f"/peps/{pep.pk}/contributions/")
        expect(page.get_by_text(WORDS)).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name=re.compile("^Accept into the PEP")).click()
        expect(page.get_by_text("Answer copied into the PEP", exact=True)).to_be_visible()
        assert_accessible(page)
        page.get_by_role("link", name="Back to the PEP").click()
        expect(page.get_by_text(WORDS)).to_be_visible()
        page.get_by_role("link", name="Complete PEP").click()
        page.get_by_role("button", name="Complete PEP").click()
        expect(page.get_by_text("PEP completed.")).to_be_visible()

        # The PDF says whose words they are.
        page.get_by_role("link", name="Download PDF").click()
        expect(page.get_by_role("heading", name="PEP as a PDF ready")).to_be_visible(timeout=30_000)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download PDF").click()
        with open(download.value.path(), "rb") as pdf:
            text = " ".join(pdf_text(pdf.read()).split())

    assert WORDS in text
    assert "Jo Price (social worker). Through Harbour's secure link, answered on 2 December" in text
    pep.refresh_from_db()
    assert pep.status == PersonalEducationPlan.Status.COMPLETED
