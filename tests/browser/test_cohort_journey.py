"""Journey (issue 3): a designated teacher filters the cohort register, opens a child, adds a
Child in Need plan to the status history, sees the child's group change and the plan appear
in the chronology. A wrong date first shows the error beside the field and saves nothing.
Every page passes axe."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from pupils.models import CareEpisode, EpisodeKind
from tests.conftest import member
from tests.factories import PASSWORD, VirtualSchoolFactory
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_designated_teacher_records_a_child_in_need_plan(page, school, settings, assert_accessible):
    settings.TWO_FACTOR_REQUIRED = False  # two-factor sign-in has its own journey
    cambridgeshire = VirtualSchoolFactory(la_code="873", local_authority_name="Cambridgeshire")
    in_care = PupilFactory(school=school, legal_forename="Mason", legal_surname="Fairweather")
    CareEpisodeFactory(
        pupil=in_care, start_date=dt.date(2024, 1, 8), responsible_authority=cambridgeshire
    )
    ellie = PupilFactory(school=school, legal_forename="Ellie", legal_surname="Duggan")
    teacher = member(school, Role.DESIGNATED_TEACHER, email="dt@school.test")

    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(teacher.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Pupils").click()
    assert_accessible(page)

    page.get_by_label("Group", exact=True).select_option(label="Children in care (CiC)")
    page.get_by_role("button", name="Apply filters").click()
    table = page.locator("table")
    expect(table.get_by_role("link", name="Fairweather, Mason")).to_be_visible()
    expect(table.get_by_role("link", name="Duggan, Ellie")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Group", exact=True).select_option(label="Not in a group")
    page.get_by_role("button", name="Apply filters").click()
    page.locator("table").get_by_role("link", name="Duggan, Ellie").click()
    expect(page.get_by_role("heading", name="Ellie Duggan")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add to status history").click()
    assert_accessible(page)
    page.get_by_label("Child in Need plan").check()
    page.get_by_label("Start date").fill("31/02/2026")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-message").first).to_be_visible()
    assert not CareEpisode.objects.filter(pupil=ellie).exists()
    assert_accessible(page)

    page.get_by_label("Start date").fill("2/11/2026")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Ellie Duggan")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="With a social worker").first).to_be_visible()
    chronology = page.locator("#chronology ~ *")
    expect(chronology.get_by_text("Child in Need plan started")).to_be_visible()
    assert_accessible(page)
    episode = CareEpisode.objects.get(pupil=ellie)
    assert (episode.kind, episode.start_date) == (
        EpisodeKind.CHILD_IN_NEED_PLAN,
        dt.date(2026, 11, 2),
    )
