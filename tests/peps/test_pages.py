"""The PEP pages: forms posted as a browser posts them, a locked PEP shown read-only, and the
query counts of the list pages. Who may open each is tests/test_access_matrix.py's (the rows
are in tests/peps/matrix.py).

The clock is frozen on Monday 12 October 2026, a school day in the autumn term."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent
from peps import services
from peps.models import PepAttendee, PersonalEducationPlan
from schools.models import Term
from tests.factories import add_year
from tests.peps.conftest import D, fill
from tests.peps.factories import (
    CompletedPepFactory,
    SdqFactory,
    TargetFactory,
)
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

MONDAY = dt.datetime(2026, 10, 12, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


# Who may open each PEP page (and the POST-only ones), another school's record and a signed-out
# visitor: the permission matrix proves those, from tests/peps/matrix.py's rows.


# --- The journey as a browser posts it -------------------------------------------------------


def test_designated_teacher_starts_records_and_completes_a_pep(
    dt_client, child, autumn, cambridgeshire
):
    response = dt_client.get(reverse("peps:pupil_peps", args=[child.pk]))
    body = response.content.decode()
    assert "Not due yet" in body
    assert "Due by 18 December 2026: 45 school days left." in body

    response = dt_client.post(reverse("peps:pep_start", args=[child.pk]), {"term": str(autumn.pk)})
    pep = PersonalEducationPlan.objects.get()
    assert response["Location"] == reverse("peps:pep_edit", args=[pep.pk])

    response = dt_client.post(
        reverse("peps:pep_edit", args=[pep.pk]),
        {
            "meeting_date": "12/10/2026",
            "meeting_place": "Room 2",
            "voice_going_well": "Art club",
            "voice_how_gathered": "At the meeting",
            "sen_status": "none",
            "attainment_scale": "secondary",
            "attendance_percent": "97.2",
            "next_meeting_date": "1 2 2027",
        },
    )
    assert response.status_code == 302
    dt_client.post(
        reverse("peps:attendee_add", args=[pep.pk]),
        {"name": "Amelia", "role": "child", "attendance": "present"},
    )
    dt_client.post(
        reverse("peps:attainment_add", args=[pep.pk]),
        {"subject": "Maths", "current": "4", "expected": "5"},
    )
    dt_client.post(
        reverse("peps:target_add", args=[pep.pk]),
        {
            "area": "academic",
            "action": "Maths tutoring",
            "success_measure": "Grade 5 in the mock",
            "responsible": "Mr Hale",
            "due_by": "2027-02-01",
            "pp_plus_amount": "300",
            "pp_plus_purpose": "Tutoring",
        },
    )
    response = dt_client.get(reverse("peps:pep_complete", args=[pep.pk]))
    assert "Complete PEP" in response.content.decode()
    response = dt_client.post(reverse("peps:pep_complete", args=[pep.pk]))
    assert response.status_code == 302
    pep.refresh_from_db()
    assert pep.status == PersonalEducationPlan.Status.COMPLETED
    assert str(pep.attendance_percent) == "97.2"
    assert pep.meeting_date == D(2026, 10, 12)
    assert pep.next_meeting_date == D(2027, 2, 1)
    assert AuditEvent.objects.filter(action="pep.completed", pupil_id=child.pk).exists()


def test_bad_input_shows_the_error_and_saves_nothing(dt_client, draft):
    response = dt_client.post(
        reverse("peps:pep_edit", args=[draft.pk]),
        {"attendance_percent": "150", "voice_hard": "Reading", "attainment_scale": "secondary"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Attendance cannot be more than 100%" in body
    draft.refresh_from_db()
    assert draft.voice_hard == ""


def test_target_with_negative_pp_plus_is_refused_on_the_form(dt_client, draft):
    response = dt_client.post(
        reverse("peps:target_add", args=[draft.pk]), {"area": "academic", "pp_plus_amount": "-5"}
    )
    assert "The PP+ amount cannot be negative" in response.content.decode()
    assert not draft.targets.exists()


def test_the_complete_page_lists_what_is_missing(dt_client, draft):
    response = dt_client.post(reverse("peps:pep_complete", args=[draft.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "This PEP cannot be completed yet" in body
    assert "Say how the child&#x27;s views were gathered" in body
    draft.refresh_from_db()
    assert draft.status == PersonalEducationPlan.Status.DRAFT


def test_a_completed_pep_is_shown_read_only(dt_client, draft, teacher):
    fill(draft, teacher, meeting=D(2026, 10, 12))
    services.pep_complete(pep=draft, by=teacher, today=D(2026, 10, 12))
    body = dt_client.get(reverse("peps:pep", args=[draft.pk])).content.decode()
    assert "Record the meeting" not in body
    assert "Set a target" not in body
    assert "Correct this PEP" in body
    response = dt_client.get(reverse("peps:pep_edit", args=[draft.pk]))
    assert response["Location"] == reverse("peps:pep", args=[draft.pk])
    dt_client.post(reverse("peps:pep_edit", args=[draft.pk]), {"voice_hard": "changed"})
    response = dt_client.post(
        reverse("peps:attendee_remove", args=[draft.pk, draft.attendees.get().pk])
    )
    draft.refresh_from_db()
    assert draft.voice_hard == "Maths tests make my tummy hurt"
    assert draft.attendees.count() == 1


def test_correcting_from_the_page_starts_version_two_and_keeps_version_one(
    dt_client, draft, teacher
):
    fill(draft, teacher, meeting=D(2026, 10, 12))
    services.pep_complete(pep=draft, by=teacher, today=D(2026, 10, 12))
    response = dt_client.post(reverse("peps:pep_correct", args=[draft.pk]), {"reason": ""})
    assert "Say what is wrong in the completed PEP" in response.content.decode()
    response = dt_client.post(
        reverse("peps:pep_correct", args=[draft.pk]), {"reason": "Wrong tutor"}
    )
    correction = PersonalEducationPlan.objects.get(version=2)
    assert response["Location"] == reverse("peps:pep_edit", args=[correction.pk])
    old = dt_client.get(reverse("peps:pep", args=[draft.pk])).content.decode()
    assert "A correction of this PEP is in progress" in old


def test_viewing_a_pep_is_audited(dsl_client, draft):
    dsl_client.get(reverse("peps:pep", args=[draft.pk]))
    assert AuditEvent.objects.filter(action="pep.viewed", pupil_id=draft.pupil_id).exists()


def test_sdq_scores_are_recorded_and_banded_on_the_childs_page(dt_client, child):
    response = dt_client.post(
        reverse("peps:sdq_add", args=[child.pk]),
        {
            "taken_on": "1/10/2026",
            "informant": "teacher",
            "emotional": "4",
            "conduct": "3",
            "hyperactivity": "6",
            "peer": "3",
            "prosocial": "7",
            "impact": "2",
        },
    )
    assert response.status_code == 302
    body = dt_client.get(reverse("peps:pupil_peps", args=[child.pk])).content.decode()
    assert ">16<" in body  # total difficulties
    assert "High" in body  # teacher band for 16 to 18


def test_teacher_impact_above_six_is_refused(dt_client, child):
    response = dt_client.post(
        reverse("peps:sdq_add", args=[child.pk]),
        {
            "taken_on": "1/10/2026",
            "informant": "teacher",
            "emotional": "4",
            "conduct": "3",
            "hyperactivity": "6",
            "peer": "3",
            "prosocial": "7",
            "impact": "7",
        },
    )
    assert "The impact score on the teacher SDQ is 0 to 6" in response.content.decode()
    assert not child.sdq_scores.exists()


def test_child_without_a_carer_sdq_in_12_months_is_flagged(dt_client, child, draft):
    SdqFactory(pupil=child, taken_on=D(2025, 10, 12), informant="carer")  # a year and a day
    SdqFactory(pupil=child, taken_on=D(2026, 9, 1), informant="teacher")
    body = dt_client.get(reverse("peps:pupil_peps", args=[child.pk])).content.decode()
    assert "No carer SDQ in the last 12 months" in body
    body = dt_client.get(reverse("peps:pep", args=[draft.pk])).content.decode()
    assert "No carer SDQ in the last 12 months" in body
    SdqFactory(pupil=child, taken_on=D(2025, 10, 13), informant="carer")
    body = dt_client.get(reverse("peps:pupil_peps", args=[child.pk])).content.decode()
    assert "No carer SDQ in the last 12 months" not in body


def test_settings_allow_a_stricter_rule_but_not_a_laxer_one(dt_client, school):
    response = dt_client.post(
        reverse("peps:settings"),
        {
            "first_pep_school_days": "25",
            "due_window_school_days": "15",
            "termly_deadline_school_days_before_end": "0",
            "attainment_scale": "primary",
        },
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    response = dt_client.post(
        reverse("peps:settings"),
        {
            "first_pep_school_days": "10",
            "due_window_school_days": "20",
            "termly_deadline_school_days_before_end": "5",
            "attainment_scale": "primary",
        },
    )
    assert response.status_code == 302
    assert school.pep_settings.first_pep_school_days == 10


# --- Query counts ----------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)  # warm the caches (content types) so both counts are steady-state
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_childs_pep_list_runs_a_fixed_number_of_queries(
    dt_client, child, year, django_assert_max_num_queries
):
    terms = list(Term.objects.filter(academic_year__school=child.school))
    url = reverse("peps:pupil_peps", args=[child.pk])
    CompletedPepFactory(pupil=child, term=terms[0])
    SdqFactory(pupil=child)
    few = _queries(dt_client, url)
    for term in terms[1:]:
        CompletedPepFactory(pupil=child, term=term)
        SdqFactory(pupil=child)
    assert _queries(dt_client, url) == few
    # Signing in: session, user, OTP device, memberships (4). The pupil, terms, closures,
    # in-care episodes, completed PEPs, settings, completed PEPs again (startable terms), SDQs,
    # the audit event, in care today, the PEP list (11). Saving the session: savepoint, update,
    # release (3).
    with django_assert_max_num_queries(18):
        dt_client.get(url)


def test_compliance_runs_a_fixed_number_of_queries_whatever_the_number_of_children(
    dt_client, school, autumn, django_assert_max_num_queries
):
    def add_children(n):
        for _ in range(n):
            pupil = PupilFactory(school=school)
            CareEpisodeFactory(pupil=pupil, start_date=D(2022, 1, 10))
            CompletedPepFactory(pupil=pupil, term=autumn)
            SdqFactory(pupil=pupil)

    url = reverse("peps:compliance") + f"?term={autumn.pk}"
    add_children(2)
    few = _queries(dt_client, url)
    add_children(5)
    assert _queries(dt_client, url) == few
    # Signing in: session, user, OTP device, memberships (4). Terms, closures, settings, the
    # children, their in-care episodes, their completed PEPs, carer SDQs, the audit event (8).
    # Saving the session: savepoint, update, release (3).
    with django_assert_max_num_queries(15):
        dt_client.get(url)


def test_compliance_lists_the_children_behind_each_number(dt_client, school, autumn, child):
    late = PupilFactory(school=school, legal_surname="Late")
    CareEpisodeFactory(pupil=late, start_date=D(2022, 1, 10))
    CompletedPepFactory(pupil=late, term=autumn, meeting_date=D(2026, 10, 1))
    body = dt_client.get(reverse("peps:compliance") + f"?term={autumn.pk}").content.decode()
    assert "Okonkwo, Amelia" in body
    assert "Late, " in body


def test_attendee_role_choices_cover_everyone_at_a_pep():
    assert {"child", "carer", "social_worker", "designated_teacher", "virtual_school"} <= set(
        PepAttendee.Role.values
    )


def test_compliance_in_the_holidays_shows_the_term_just_ended(make_client, school, child, year):
    with time_machine.travel(dt.datetime(2026, 12, 28, 9, 0, tzinfo=dt.UTC), tick=False):
        client = make_client(school, Role.DESIGNATED_TEACHER)
        body = client.get(reverse("peps:compliance")).content.decode()
    assert '<span class="govuk-caption-l">Autumn term 2026 to 2027</span>' in body
    assert "Missing: deadline passed" in body


# --- What the pages offer a designated teacher -----------------------------------------------


def test_a_childs_page_offers_to_continue_the_draft_rather_than_start_another(dt_client, draft):
    body = dt_client.get(reverse("peps:pupil_peps", args=[draft.pupil_id])).content.decode()
    assert "Continue the draft PEP" in body
    assert reverse("peps:pep_start", args=[draft.pupil_id]) not in body


def test_a_childs_page_starts_the_pep_of_the_term_it_is_about(dt_client, school, child, autumn):
    body = dt_client.get(reverse("peps:pupil_peps", args=[child.pk])).content.decode()
    start = reverse("peps:pep_start", args=[child.pk])
    assert f'href="{start}?term={autumn.pk}"' in body
    # Last term's PEP can be started too: the link's term comes chosen.
    add_year(school, 2025)
    summer = Term.objects.get(academic_year__start_year=2025, name="summer")
    for term in (autumn, summer):
        body = dt_client.get(f"{start}?term={term.pk}").content.decode()
        chosen = re.findall(r'<input[^>]*value="(\d+)"\s*checked', body)
        assert chosen == [str(term.pk)]


def test_each_reason_a_pep_cannot_be_completed_links_to_where_it_is_put_right(
    dt_client, school, draft
):
    add_year(school, 2025)
    summer = Term.objects.get(academic_year__start_year=2025, name="summer")
    last = CompletedPepFactory(pupil=draft.pupil, term=summer, meeting_date=D(2026, 6, 10))
    reading = TargetFactory(pep=last)
    body = dt_client.post(reverse("peps:pep_complete", args=[draft.pk])).content.decode()
    page = dt_client.get(reverse("peps:pep", args=[draft.pk])).content.decode()
    review = f"#review-{reading.pk}"
    assert f'href="{reverse("peps:pep", args=[draft.pk])}{review}"' in body
    assert f'href="{review}"' in page
    assert f'id="review-{reading.pk}"' in page
    assert 'href="#voice"' in page and 'id="voice"' in page
    assert 'href="#next-meeting"' in page and 'id="next-meeting"' in page


def test_the_meeting_form_shows_saved_dates_as_they_are_typed(dt_client, draft, teacher):
    services.pep_update(pep=draft, by=teacher, meeting_date=D(2026, 10, 9))
    body = dt_client.get(reverse("peps:pep_edit", args=[draft.pk])).content.decode()
    assert 'value="09/10/2026"' in body


def test_compliance_lists_last_terms_missing_peps_and_the_soonest_deadline_first(
    dt_client, school, year, cambridgeshire
):
    # Two children in care for years and one who came into care on Mon 21 Sep 2026 (first PEP
    # due Mon 19 Oct): on Mon 12 October the newcomer's deadline is the soonest; the summer
    # 2026 PEPs (2025 to 2026 dates added) were never held.
    add_year(school, 2025)
    settled = [PupilFactory(school=school, legal_surname=name) for name in ("Abbot", "Brook")]
    for pupil in settled:
        CareEpisodeFactory(pupil=pupil, start_date=D(2022, 1, 10))
    newcomer = PupilFactory(school=school, legal_surname="Zeal")
    CareEpisodeFactory(pupil=newcomer, start_date=D(2026, 9, 21))
    body = dt_client.get(reverse("peps:compliance")).content.decode()
    assert "Still missing from last term" in body
    not_yet = body[body.index('id="not-yet"') :]
    assert not_yet.index("Zeal, ") < not_yet.index("Abbot, ") < not_yet.index("Brook, ")
    assert 'id="late"' not in body  # no list behind a 0


def test_starting_a_pep_when_this_and_last_terms_are_taken_points_to_the_childs_peps(
    dt_client, draft
):
    # Amelia's autumn PEP is a draft; the year before is not in Harbour.
    body = dt_client.get(reverse("peps:pep_start", args=[draft.pupil_id])).content.decode()
    assert "already started or completed" in body
    assert reverse("peps:pupil_peps", args=[draft.pupil_id]) in body
