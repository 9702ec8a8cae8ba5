"""Journey (issue 4): a designated teacher signs in with a password and a TOTP code, finds a
child in care whose PEP is due on the compliance page, records the termly PEP meeting (the
child's voice, an attendee), reviews last term's target, sets a target with a PP+ request,
completes the PEP and downloads the PDF, which a Celery worker makes; the Virtual School's copy
is in the outbox. Every
page passes axe.

The clock is moved to Monday 2 December 2030 (ticking), in the autumn term of the school's
2030 to 2031 dates: Amelia's PEP is due by Wednesday 18 December, 12 school days away. The
date is in the future so that the cookies the browser gets are not already expired.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django_otp.oath import totp
from playwright.sync_api import expect

from accounts.roles import Role
from core.pdf import pdf_text
from notifications.models import OutboxMessage
from peps.models import PersonalEducationPlan
from schools.models import Term
from schools.services import virtual_school_address_confirm
from tests.conftest import member
from tests.factories import PASSWORD, TOTPDeviceFactory, VirtualSchoolFactory, add_year
from tests.notifications.conftest import broker, workers  # noqa: F401 (fixtures)
from tests.peps.factories import CompletedPepFactory, TargetFactory
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

pytestmark = pytest.mark.browser

MONDAY_MORNING = dt.datetime(2030, 12, 2, 9, 0, tzinfo=dt.UTC)


def _code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.mark.django_db(transaction=True)
def test_designated_teacher_records_completes_and_downloads_a_pep(
    page,
    school,
    settings,
    assert_accessible,
    workers,  # noqa: F811 (the fixture imported above)
):
    settings.TWO_FACTOR_REQUIRED = True
    with time_machine.travel(MONDAY_MORNING, tick=True), workers(1):
        add_year(school, 2029)
        add_year(school, 2030)
        summer = Term.objects.get(
            academic_year__school=school, academic_year__start_year=2029, name="summer"
        )
        # Seeded by a migration, unless a transactional test flushed it: then made here.
        cambridgeshire = VirtualSchoolFactory(la_code="873", local_authority_name="Cambridgeshire")
        # The school confirmed Cambridgeshire's address before: Harbour sends PEPs only there.
        virtual_school_address_confirm(
            school=school, virtual_school=cambridgeshire, email=cambridgeshire.email, by=None
        )
        amelia = PupilFactory(
            school=school,
            legal_forename="Amelia",
            legal_surname="Okonkwo",
            date_of_birth=dt.date(2019, 10, 3),
        )
        CareEpisodeFactory(
            pupil=amelia,
            start_date=dt.date(2027, 1, 10),
            legal_basis="s31",
            responsible_authority=cambridgeshire,
        )
        last = CompletedPepFactory(
            pupil=amelia,
            term=summer,
            meeting_date=dt.date(2030, 5, 6),
            next_meeting_date=dt.date(2030, 11, 25),
            completed_at=dt.datetime(2030, 5, 7, 15, 0, tzinfo=dt.UTC),
        )
        TargetFactory(pep=last, action="Read with Mr Hale twice a week")
        teacher = member(school, Role.DESIGNATED_TEACHER, email="dt@school.test")
        device = TOTPDeviceFactory(user=teacher)

        # Sign in: password, then the code from the authenticator app.
        page.goto("/accounts/login/")
        assert_accessible(page)
        page.get_by_label("Email address").fill(teacher.email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/accounts/two-factor/verify/**")
        assert_accessible(page)
        page.get_by_label("Code").fill(_code(device))
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name=school.name)).to_be_visible()

        # Find the child whose PEP is due.
        page.goto("/peps/compliance/")
        expect(page.get_by_role("heading", name="PEP compliance")).to_be_visible()
        assert_accessible(page)
        page.locator("#not-yet ~ table").get_by_role("link", name="Okonkwo, Amelia").click()
        expect(page.get_by_role("heading", name="Personal Education Plans")).to_be_visible()
        expect(page.locator(".govuk-tag", has_text="Due").first).to_be_visible()
        expect(page.get_by_text("Due by 18 December 2030: 12 school days left.")).to_be_visible()
        assert_accessible(page)

        # Start the autumn PEP and record the meeting.
        page.get_by_role("link", name="Start a PEP").click()
        assert_accessible(page)
        page.get_by_label("Autumn term 2030 to 2031").check()
        page.get_by_role("button", name="Start PEP").click()
        expect(page.get_by_role("heading", name="PEP meeting")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Date of the meeting").fill("2/12/2030")
        page.get_by_label("Where the meeting was held").fill("Meeting room 2")
        page.get_by_label("What is going well?").fill("I like art club and my friend Priya")
        page.get_by_label("What is hard?").fill("Maths tests make my tummy hurt")
        page.get_by_label("How were the child's views gathered?").fill(
            "With her key adult the day before, and at the meeting"
        )
        page.get_by_label("Attendance this school year (%)").fill("250")  # a slip
        page.get_by_label("Date of the next PEP meeting").fill("10/3/2031")
        page.get_by_role("button", name="Save draft").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Attendance this school year (%)").fill("95.5")
        page.get_by_role("button", name="Save draft").click()
        expect(page.get_by_text("PEP saved as a draft")).to_be_visible()
        assert_accessible(page)

        page.get_by_role("link", name="Add an attendee").click()
        assert_accessible(page)
        page.get_by_label("Name").fill("Sam Carter")
        page.get_by_label("Carer").check()
        page.get_by_label("Present").check()
        page.get_by_role("button", name="Add attendee").click()
        assert_accessible(page)

        # Review last term's target.
        page.get_by_role("link", name="Review target 1").click()
        expect(page.get_by_text("Read with Mr Hale twice a week")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Partly achieved").check()
        page.get_by_label("Evidence").fill("Reading age up six months")
        page.get_by_role("button", name="Save review").click()
        assert_accessible(page)

        # Completing now lists what is missing: no new target yet.
        page.get_by_role("link", name="Complete PEP").click()
        expect(page.get_by_text("Set at least one new target")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("link", name="Go back to the PEP").click()

        # Set a SMART target with a PP+ request.
        page.get_by_role("link", name="Set a target").click()
        assert_accessible(page)
        page.get_by_label("Academic").check()
        page.get_by_label("What will be done?").fill("Weekly maths tutoring with Mr Hale")
        page.get_by_label("How will success be measured?").fill(
            "Working at the expected standard in maths by Easter"
        )
        page.get_by_label("Who will do it?").fill("Mr Hale")
        page.get_by_label("By when?").fill("31/3/2031")
        page.get_by_label("PP+ requested (£)").fill("450")
        page.get_by_label("What will the PP+ pay for?").fill("A term of one-to-one tutoring")
        page.get_by_role("button", name="Save target").click()
        expect(page.get_by_text("£450.00: A term of one-to-one tutoring")).to_be_visible()
        assert_accessible(page)

        # Complete it.
        page.get_by_role("link", name="Complete PEP").click()
        expect(page.get_by_text("Cambridgeshire Virtual School").first).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Complete PEP").click()
        expect(page.get_by_text("PEP completed.")).to_be_visible()
        expect(page.locator(".govuk-tag", has_text="Completed").first).to_be_visible()
        expect(page.get_by_role("link", name="Record the meeting")).to_have_count(0)
        assert_accessible(page)

        # Download the PDF: a Celery worker makes it; the run's page reloads itself until it
        # is ready.
        page.get_by_role("link", name="Download PDF").click()
        expect(page.get_by_role("heading", name="PEP as a PDF ready")).to_be_visible(timeout=30_000)
        assert_accessible(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download PDF").click()
        with open(download.value.path(), "rb") as pdf:
            text = " ".join(pdf_text(pdf.read()).split())

    assert "Maths tests make my tummy hurt" in text
    assert "Reading age up six months" in text
    assert "£450.00" in text
    pep = PersonalEducationPlan.objects.get(term__name="autumn")
    assert pep.status == PersonalEducationPlan.Status.COMPLETED
    assert pep.attendance_percent == Decimal("95.5")
    sent = OutboxMessage.objects.get(dedupe_key=f"pep-{pep.pk}-v1-virtual-school")
    assert sent.recipient == cambridgeshire.email
