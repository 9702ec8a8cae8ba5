"""The dashboard's "Deadlines coming up" (a registry any app feeds) and the lists behind its
numbers, which show each child's group on the period's last day."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Capability, Role
from core.report_sections import Deadline, deadlines, register_deadlines, unregister_deadlines
from pupils.models import LeavingTask
from tests.conftest import member
from tests.factories import add_year
from tests.matrix import on_matrix_day
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 10, 14)


@pytest.fixture
def year(school):
    add_year(school, 2025)
    add_year(school, 2026)
    return school


def _left(school, *, due, item=LeavingTask.Item.CP_FILE_TRANSFERRED, done=None):
    pupil = PupilFactory(
        school=school, admission_date=dt.date(2020, 9, 2), leaving_date=dt.date(2026, 10, 1)
    )
    CareEpisodeFactory(pupil=pupil, start_date=dt.date(2022, 1, 10))
    return LeavingTask.objects.create(
        pupil=pupil,
        item=item,
        due_date=due,
        completed_on=done,
        completed_by=member(school, Role.DSL) if done else None,
    )


def test_a_registered_provider_s_deadlines_are_listed_soonest_first_within_six_weeks(year):
    def meetings(school, today):
        return [
            Deadline(today + dt.timedelta(days=20), "Governing board meeting"),
            Deadline(today + dt.timedelta(days=200), "Governing board meeting, summer"),
        ]

    register_deadlines(meetings)
    try:
        _left(year, due=TODAY + dt.timedelta(days=3), item=LeavingTask.Item.INFORMATION_SENT)
        found = deadlines(year, TODAY, {Capability.VIEW_DASHBOARD})
    finally:
        unregister_deadlines(meetings)
    whats = [d.what for d in found]
    assert "Governing board meeting" in whats
    assert "Governing board meeting, summer" not in whats  # beyond the horizon
    assert [d.date for d in found] == sorted(d.date for d in found)
    assert any(w.startswith("Information to send") for w in whats)


def test_child_protection_file_transfers_are_for_the_dsl_team_and_head_only(year):
    _left(year, due=TODAY - dt.timedelta(days=2))
    _left(year, due=TODAY - dt.timedelta(days=2))
    _left(year, due=TODAY + dt.timedelta(days=5), done=TODAY)  # done: not listed

    dsl = deadlines(year, TODAY, {Capability.VIEW_DASHBOARD, Capability.ACT_ON_CONCERNS})
    dt_only = deadlines(year, TODAY, {Capability.VIEW_DASHBOARD})

    files = [d for d in dsl if d.what.startswith("Child protection file")]
    assert len(files) == 1 and files[0].children == 2 and files[0].overdue_on(TODAY)
    assert not [d for d in dt_only if d.what.startswith("Child protection file")]


def test_pep_deadlines_are_counted_by_day(year):
    for _ in range(3):
        CareEpisodeFactory(
            pupil=PupilFactory(school=year, admission_date=dt.date(2020, 9, 2)),
            start_date=dt.date(2022, 1, 10),
        )
    found = [d for d in deadlines(year, TODAY, set()) if d.what.startswith("PEP meeting")]
    assert sum(d.children for d in found) == 3
    assert all(reverse("peps:compliance") in d.url for d in found)


def test_the_dashboard_shows_the_deadlines_with_overdue_ones_marked(year, make_client):
    _left(year, due=TODAY - dt.timedelta(days=2))
    client = make_client(year, Role.DSL)
    with on_matrix_day():
        html = client.get(reverse("reports:dashboard")).content.decode()
    assert "Deadlines coming up" in html
    assert "Child protection file to transfer (1 child)" in html
    assert "Overdue" in html


# --- The lists behind the numbers ------------------------------------------------------------


def test_last_year_s_list_shows_the_group_each_child_was_counted_in(year, make_client):
    # In care all last school year, adopted (previously in care) since 1 September 2026: last
    # year's dashboard counted them in care, and its link must list them as in care.
    pupil = PupilFactory(school=year, admission_date=dt.date(2020, 9, 2))
    CareEpisodeFactory(pupil=pupil, start_date=dt.date(2022, 1, 10), end_date=dt.date(2026, 9, 1))
    from pupils.models import EpisodeKind, LegalBasis

    CareEpisodeFactory(
        pupil=pupil,
        kind=EpisodeKind.PREVIOUSLY_IN_CARE,
        legal_basis=LegalBasis.ADOPTION,
        start_date=dt.date(2026, 9, 2),
    )
    # Joined this year: not on roll on last year's last day, so not in its list.
    CareEpisodeFactory(
        pupil=PupilFactory(school=year, admission_date=dt.date(2026, 9, 3)),
        start_date=dt.date(2022, 1, 10),
    )
    client = make_client(year, Role.HEADTEACHER)
    with on_matrix_day():
        dashboard = client.get(reverse("reports:dashboard"), {"period": "2025"}).content.decode()
        link = reverse("pupils:cohort") + "?group=cic&amp;on=2026-08-31"
        assert link in dashboard
        listed = client.get(reverse("pupils:cohort"), {"group": "cic", "on": "2026-08-31"})
        today = client.get(reverse("pupils:cohort"), {"group": "cic"})
    assert listed.context["page"].paginator.count == 1
    assert list(listed.context["page"])[0].pk == pupil.pk
    assert "31 August 2026" in listed.content.decode()
    assert pupil.pk not in [p.pk for p in today.context["page"]]  # today: previously in care


def test_a_future_or_malformed_day_is_today(year, make_client):
    CareEpisodeFactory(
        pupil=PupilFactory(school=year, admission_date=dt.date(2020, 9, 2)),
        start_date=dt.date(2022, 1, 10),
    )
    client = make_client(year, Role.HEADTEACHER)
    with on_matrix_day():
        for value in ("2099-01-01", "yesterday"):
            response = client.get(reverse("pupils:cohort"), {"group": "cic", "on": value})
            assert response.status_code == 200
            assert response.context["filter"].as_of is None


def test_reduced_timetable_reviews_and_ehc_plan_reviews_are_deadlines(year):
    from exclusions.models import ReducedTimetable

    head = member(year, Role.HEADTEACHER)
    for review_on in (TODAY + dt.timedelta(days=7), TODAY + dt.timedelta(days=7)):
        ReducedTimetable.objects.create(
            pupil=PupilFactory(school=year, admission_date=dt.date(2020, 9, 2)),
            starts_on=TODAY - dt.timedelta(days=20),
            hours_per_week=15,
            reason="Invented",
            parent_agreed_on=TODAY - dt.timedelta(days=21),
            review_on=review_on,
            created_by=head,
        )
    ended = ReducedTimetable.objects.create(
        pupil=PupilFactory(school=year),
        starts_on=TODAY - dt.timedelta(days=60),
        ends_on=TODAY - dt.timedelta(days=1),  # over: nothing to review
        hours_per_week=15,
        reason="Invented",
        parent_agreed_on=TODAY - dt.timedelta(days=61),
        review_on=TODAY + dt.timedelta(days=3),
        created_by=head,
    )
    PupilFactory(school=year, sen_status="ehc_plan", ehc_plan_review_date=TODAY + dt.timedelta(10))
    PupilFactory(
        school=year,
        sen_status="ehc_plan",
        ehc_plan_review_date=TODAY + dt.timedelta(10),
        leaving_date=TODAY - dt.timedelta(days=1),  # left: not ours to review
    )

    found = {d.what: d for d in deadlines(year, TODAY, set())}

    timetables = found["Reduced timetable to review for 2 children"]
    assert timetables.date == TODAY + dt.timedelta(days=7) and timetables.children == 2
    assert not any(d.date == ended.review_on for d in found.values())
    ehc = found["EHC plan annual review for 1 child"]
    assert ehc.date == TODAY + dt.timedelta(days=10)
    assert "sen_status=ehc_plan" in ehc.url
