"""The second pass: the settings page and its confirmed addresses (a notice is never held
forever), a draft PEP's figures kept fresh, the register's and notices log's query counts, the
dashboard's and report's section, the work queues."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from core.report_sections import Period, suppress_section
from exclusions import sections, services
from exclusions.models import (
    Exclusion,
    ExclusionSettings,
    Recipient,
    StatutoryNotice,
    WholeSchoolSuspensions,
)
from tests.exclusions.helpers import DAY, child, consulted, head
from tests.peps.factories import CompletedPepFactory, PepFactory

pytestmark = pytest.mark.django_db
NOON = "2026-10-14 12:00 +01:00"
YEAR = Period("2026 to 2027", dt.date(2026, 9, 1), dt.date(2027, 8, 31), 2026)


def suspend(pupil, *, length=3, start=DAY, today=DAY):
    return services.exclusion_decide(
        pupil=pupil,
        by=head(pupil.school),
        today=today,
        kind=Exclusion.Kind.SUSPENSION,
        start_date=start,
        length=length,
        reason="PD",
        account="Threw a chair",
    )


def unconfirmed(school):
    ExclusionSettings.objects.filter(school=school).update(
        local_authority_confirmed_email="", governing_board_confirmed_email=""
    )


# --- Settings: confirmed addresses -----------------------------------------------------------


def test_an_address_nobody_confirmed_gets_no_child_s_notice(school):
    pupil = child(school)
    unconfirmed(school)
    consulted(pupil)
    suspend(pupil)
    la = StatutoryNotice.objects.get(recipient=Recipient.LOCAL_AUTHORITY)
    assert la.message is None
    assert la.held_because == "the local authority address is not confirmed"


def test_confirming_the_address_sends_the_notices_held_for_it(school):
    pupil = child(school)
    unconfirmed(school)
    consulted(pupil)
    suspend(pupil)
    released = services.settings_address_confirm(
        school=school,
        prefix="local_authority",
        email="exclusions@la.test",
        by=head(school),
        today=DAY,
    )
    la = StatutoryNotice.objects.get(recipient=Recipient.LOCAL_AUTHORITY)
    assert released == [la]
    assert la.message.recipient == "exclusions@la.test"
    assert "Threw a chair" in la.message.body_text
    assert la.held_because == ""
    # The board's is still held: its address is not confirmed.
    assert StatutoryNotice.objects.get(recipient=Recipient.GOVERNING_BOARD).message is None
    assert AuditEvent.objects.filter(action="exclusion.notice_released", pupil_id=pupil.pk).exists()


def test_a_changed_address_loses_its_confirmation(school):
    child(school)  # settings with confirmed addresses
    services.settings_save(
        school=school,
        by=head(school),
        local_authority_email="new@la.test",
        governing_board_email="clerk@school.test",
        in_care_provision_from_day_one=True,
        reduced_timetable_needs_virtual_school=True,
        reduced_timetable_review_weeks=6,
    )
    row = ExclusionSettings.objects.get(school=school)
    assert not row.is_confirmed("local_authority")
    assert row.is_confirmed("governing_board")
    event = AuditEvent.objects.get(action="exclusion.settings_changed")
    assert event.changes["local_authority_email"] == ["exclusions@la.test", "new@la.test"]


def test_confirming_an_address_that_has_changed_since_it_was_shown_is_refused(school):
    child(school)
    unconfirmed(school)
    ExclusionSettings.objects.filter(school=school).update(local_authority_email="new@la.test")
    with pytest.raises(ValidationError, match="now new@la.test"):
        services.settings_address_confirm(
            school=school,
            prefix="local_authority",
            email="exclusions@la.test",
            by=head(school),
            today=DAY,
        )
    assert not ExclusionSettings.objects.get(school=school).is_confirmed("local_authority")


def test_the_settings_page_saves_and_confirms(school, school_admin_client, dt_client):
    assert dt_client.get("/exclusions/settings/").status_code == 403
    response = school_admin_client.post(
        "/exclusions/settings/",
        {
            "local_authority_email": "exclusions@la.test",
            "governing_board_email": "clerk@school.test",
            "in_care_provision_from_day_one": "on",
            "reduced_timetable_review_weeks": "6",
        },
    )
    assert response.status_code == 302
    page = school_admin_client.get("/exclusions/settings/").content.decode()
    assert "Not confirmed" in page
    school_admin_client.post(
        "/exclusions/settings/confirm/governing_board/", {"email": "clerk@school.test"}
    )
    row = ExclusionSettings.objects.get(school=school)
    assert row.is_confirmed("governing_board") and not row.is_confirmed("local_authority")
    assert not row.reduced_timetable_needs_virtual_school


# --- A draft PEP's figures -------------------------------------------------------------------


@time_machine.travel(NOON, tick=False)
def test_a_draft_pep_offers_the_suspension_figures_as_they_are_now(school, dt_client):
    pupil = child(school)
    term = school.academic_years.get(start_year=2026).terms.order_by("first_day").first()
    pep = PepFactory(pupil=pupil, term=term, suspensions=0, suspension_days=Decimal(0))
    consulted(pupil)
    suspend(pupil, start=dt.date(2026, 10, 14))
    page = dt_client.get(f"/peps/{pep.pk}/").content.decode()
    # The days decided count (the 45-day rule counts them the same way).
    assert "1 suspension, 3 school days suspended" in page
    form = dt_client.get(f"/peps/{pep.pk}/edit/").context["form"]
    assert (form.initial["suspensions"], form.initial["suspension_days"]) == (1, Decimal(3))
    # Opening writes nothing: the teacher saves the form.
    pep.refresh_from_db()
    assert pep.suspensions == 0


@time_machine.travel(NOON, tick=False)
def test_a_completed_pep_keeps_its_figures(school, dt_client):
    pupil = child(school)
    term = school.academic_years.get(start_year=2026).terms.order_by("first_day").first()
    pep = CompletedPepFactory(pupil=pupil, term=term, suspensions=0, suspension_days=0)
    consulted(pupil)
    suspend(pupil)
    assert "figures-changed" not in dt_client.get(f"/peps/{pep.pk}/").content.decode()


# --- Query counts ----------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize("url", ["/exclusions/", "/exclusions/notices/"])
def test_the_register_and_notices_log_run_a_fixed_number_of_queries(url, school, dt_client):
    for _ in range(2):
        pupil = child(school)
        consulted(pupil)
        suspend(pupil)
    few = _queries(dt_client, url)
    for _ in range(8):
        pupil = child(school)
        consulted(pupil)
        suspend(pupil)
    # Session, user, membership and school (the middleware), the rows (the register: the
    # exclusions, the open risks, the reduced timetables; the log: the notices), the audit
    # event and the navigation's: the same for 10 children as for 2.
    assert _queries(dt_client, url) == few
    assert few <= 12


# --- The dashboard and the report ------------------------------------------------------------


def test_the_section_counts_suspensions_days_and_children_by_group(school):
    pupils = [child(school) for _ in range(3)]
    for p in pupils:
        consulted(p)
    suspend(pupils[0], length=3)
    suspend(pupils[1], length=2)
    cancelled = suspend(pupils[2], length=5, start=dt.date(2026, 10, 15))
    services.exclusion_cancel(exclusion=cancelled, by=head(school), today=DAY, reason="Wrong")
    WholeSchoolSuspensions.objects.create(
        school=school,
        academic_year=2026,
        pupils_on_roll=400,
        suspensions=20,
        pupils_suspended=12,
        suspension_days=Decimal("31.5"),
        permanent_exclusions=1,
    )
    shown = sections.exclusions_dashboard(school, YEAR, capabilities=set(), today=DAY)
    values = {f.label: f.value for f in shown.figures}
    # The cancelled one served no day before its cancellation: it counts nothing.
    assert values["Suspensions"] == 2
    assert values["School days of suspension"] == "5"
    assert values["Children suspended"] == 2
    in_care_row, *_, whole = shown.tables[0].rows
    assert in_care_row[1] == 3 and in_care_row[2].value == 2 and in_care_row[3] == "67%"
    assert whole[3] == "3%"


def test_the_report_section_names_no_child_and_hides_small_groups(school):
    pupil = child(school)
    consulted(pupil)
    suspend(pupil)
    section = suppress_section(sections.exclusions_report(school, YEAR, threshold=5, today=DAY), 5)
    text = repr(section)
    assert pupil.legal_surname not in text and pupil.display_name not in text
    assert {f.label: f.value for f in section.figures}["Children suspended"] == "fewer than 5"
    assert section.tables[0].rows[0][3] == "not shown (fewer than 5 children)"


def test_the_dashboard_section_runs_a_fixed_number_of_queries(school):
    def count():
        with CaptureQueriesContext(connection) as queries:
            sections.exclusions_dashboard(school, YEAR, capabilities=set(), today=DAY)
        return len(queries)

    for _ in range(2):
        p = child(school)
        consulted(p)
        suspend(p)
    few = count()
    for _ in range(10):
        p = child(school)
        consulted(p)
        suspend(p, length=16)  # the board must meet: the term's total is computed for each
    assert count() == few


# --- Work queues -----------------------------------------------------------------------------


def test_the_head_and_the_dt_see_what_waits(school):
    pupil = child(school)
    unconfirmed(school)
    consulted(pupil)  # an open risk: the head's decision
    suspend(pupil, length=16)  # notices held, the board must meet
    services.reduced_timetable_add(
        pupil=child(school),
        by=head(school),
        today=DAY,
        starts_on=DAY,
        hours_per_week=Decimal(15),
        reason="Medical return",
        parent_agreed_on=DAY,
        virtual_school_agreed_on=DAY,
        review_on=DAY + dt.timedelta(weeks=2),
    )
    decisions = sections.decision_items(school, None, capabilities=set(), today=DAY)
    assert [i.count for i in decisions] == [1]
    later = DAY + dt.timedelta(weeks=3)
    labels = [
        i.label for i in sections.pathway_items(school, None, capabilities=set(), today=later)
    ]
    assert any(label.startswith("Statutory notices not sent: 5 (5 late)") for label in labels)
    assert any(label.startswith("Governing board meetings due: 1") for label in labels)
    assert "Reduced timetable reviews due: 1" in labels


@time_machine.travel(NOON, tick=False)
def test_the_head_s_dashboard_and_home_page_show_the_pathway(school, head_client):
    pupil = child(school)
    consulted(pupil)
    suspend(pupil)
    dashboard = head_client.get(reverse("reports:dashboard")).content.decode()
    assert "Suspensions and exclusions" in dashboard
    assert "Governing board meetings due" in dashboard
    home = head_client.get("/").content.decode()
    assert "Children at risk of suspension, a decision to make: 1" in home
    assert "Statutory notices not sent: 5" in home
