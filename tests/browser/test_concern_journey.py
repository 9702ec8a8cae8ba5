"""Journey (issue 12): a teacher raises a concern with a mark on the body map (clicking the
outline, as the script allows), the DSL team is emailed a link and nothing more; the DSL opens
the concern from that link, records two actions and closes it with the outcome and its reason.
Every page passes axe.

The clock is moved to Wednesday 4 December 2030 (ticking), in the autumn term of the school's
2030 to 2031 dates, so the cookies the browser gets are not already expired.
"""

import datetime as dt
import re

import pytest
import time_machine
from django_otp.oath import totp
from playwright.sync_api import expect

from accounts.roles import Role
from concerns.models import Action, BodyMark, Concern, ConcernPupil, Decision
from notifications.models import OutboxMessage
from tests.concerns.factories import category
from tests.conftest import member
from tests.factories import PASSWORD, TOTPDeviceFactory, add_year
from tests.pupil_factories import PupilFactory

pytestmark = pytest.mark.browser

WEDNESDAY = dt.datetime(2030, 12, 4, 9, 0, tzinfo=dt.UTC)


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


@pytest.mark.django_db(transaction=True)
def test_a_teacher_raises_a_concern_and_the_dsl_acts_on_it_and_closes_it(
    browser, live_server, page, school, settings, assert_accessible
):
    settings.TWO_FACTOR_REQUIRED = True
    with time_machine.travel(WEDNESDAY, tick=True):
        add_year(school, 2030)
        category("physical_abuse", "Physical abuse")
        category("neglect", "Neglect")
        child = PupilFactory(school=school, legal_forename="Amira", legal_surname="Shah")
        teacher = member(school, Role.STAFF, email="teacher@school.test", full_name="Sam Turner")
        dsl = member(school, Role.DSL, email="dsl@school.test", full_name="Tom Okafor")

        # The teacher raises the concern.
        _sign_in(page, teacher)
        page.goto("/concerns/")
        expect(page.get_by_role("heading", name="Concerns you have raised")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("link", name="Raise a concern").click()
        expect(page.get_by_role("heading", name="Raise a safeguarding concern")).to_be_visible()
        assert_accessible(page)
        # A member of staff is shown no list of children (it would tell them who is in
        # care): they type the name and class.
        expect(page.get_by_label("Which child is the concern about?")).to_have_count(0)
        page.get_by_label("The child's name").fill("Amira S")
        page.get_by_label("Their year group or class").fill("Year 5")
        page.get_by_label("Date it was seen or heard").fill("4/12/2030")
        page.get_by_label("Time it was seen or heard").fill("08:50")
        page.get_by_label("Where it was seen or heard").fill("Year 5 cloakroom")
        page.get_by_label("Physical abuse").check()
        page.get_by_label("What you saw or heard, in your own words").fill(
            'Bruise on her arm. She said "Dad grabbed me".'
        )
        page.get_by_label("No", exact=True).check()
        # Click the front outline on the left forearm: the script fills in mark 1.
        page.locator('svg[data-side="front"]').click(position={"x": 40, "y": 150})
        expect(page.get_by_text("Mark 1 placed on the front")).to_be_visible()
        mark = page.locator('[data-body-map-row="1"]')
        mark.get_by_label("Where on the body").select_option(label="Left forearm")
        mark.get_by_label("What you saw").fill("Four finger-shaped bruises, purple")
        assert_accessible(page)
        page.get_by_role("button", name="Send to the DSL").click()
        expect(
            page.get_by_text("has been sent to the designated safeguarding lead")
        ).to_be_visible()
        expect(page.get_by_text("Front, left forearm: Four finger-shaped bruises")).to_be_visible()
        assert_accessible(page)

        # The DSL's email: a link, no name and nothing of what was seen.
        email = OutboxMessage.objects.get(recipient=dsl.email)
        assert "Amira" not in email.body_text and "bruise" not in email.body_text.lower()
        link = re.search(r"https?://\S+(/concerns/\d+/)", email.body_text).group(1)

        # The DSL opens it from the link, in their own browser.
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        dsl_page = context.new_page()
        dsl_page.set_default_timeout(10_000)
        _sign_in(dsl_page, dsl)
        dsl_page.goto(link)
        expect(dsl_page.get_by_role("heading", name=re.compile(r"Concern C\d+"))).to_be_visible()
        expect(dsl_page.get_by_text("Dad grabbed me")).to_be_visible()
        assert_accessible(dsl_page)
        # The DSL links it to the child in Harbour, searching by the name the teacher typed.
        dsl_page.get_by_role("link", name="Link to the child in Harbour").click()
        dsl_page.get_by_label("Search by name").fill("Amira")
        dsl_page.get_by_role("button", name="Search").click()
        assert_accessible(dsl_page)
        dsl_page.get_by_label(f"Amira Shah (born {child.date_of_birth:%-d %B %Y})").check()
        dsl_page.get_by_role("button", name="Link").click()
        expect(dsl_page.get_by_text("Concern linked to the child")).to_be_visible()
        for kind, details in (
            ("Spoke to the child", "Spoke to Amira with her class teacher present."),
            ("Referral to children's social care", "Referred to the front door by phone."),
        ):
            dsl_page.get_by_role("link", name="Record an action").click()
            assert_accessible(dsl_page)
            dsl_page.get_by_label(kind).check()
            dsl_page.get_by_label("Date it was done").fill("4/12/2030")
            dsl_page.get_by_label("What was done and said").fill(details)
            dsl_page.get_by_role("button", name="Save").click()
            expect(dsl_page.get_by_text("Action recorded")).to_be_visible()
        assert_accessible(dsl_page)
        dsl_page.get_by_role("link", name="Record a decision or close").click()
        assert_accessible(dsl_page)
        dsl_page.get_by_label("Closed, with the outcome").check()
        dsl_page.get_by_label("The decision or the outcome").fill("Referred; social care leads.")
        dsl_page.get_by_label("The reason for it").fill("Social care accepted the referral.")
        dsl_page.get_by_role("button", name="Save").click()
        expect(dsl_page.locator(".govuk-tag", has_text="Closed").first).to_be_visible()
        assert_accessible(dsl_page)
        context.close()

    concern = Concern.objects.get()
    assert BodyMark.objects.get(concern=concern).x is not None  # placed by clicking
    assert Action.objects.filter(concern=concern).count() == 2
    assert Decision.objects.get(concern=concern).kind == Decision.Kind.CLOSED
    assert concern.child_name == "Amira S"
    assert ConcernPupil.objects.get(concern=concern).pupil == child
