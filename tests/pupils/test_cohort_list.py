"""The cohort list: filters, search, sort, pagination, CSV, and its pinned query count."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent
from pupils.models import EpisodeKind as K
from tests.conftest import member
from tests.factories import VirtualSchoolFactory
from tests.pupil_factories import CareEpisodeFactory, KeyAdultFactory, PupilFactory

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0)):
        yield


@pytest.fixture
def cohort(school):
    """One child in each group, a leaver, a kinship-only child and one no longer in a group."""
    herts = VirtualSchoolFactory(la_code="919", local_authority_name="Hertfordshire")
    halton = VirtualSchoolFactory(la_code="876", local_authority_name="Halton")
    children = {
        "cic": PupilFactory(
            school=school,
            legal_forename="Amelia",
            legal_surname="Okonkwo",
            date_of_birth=D(2015, 10, 3),
        ),  # Year 6
        "cpic": PupilFactory(
            school=school,
            legal_forename="Isla",
            legal_surname="Penrose",
            date_of_birth=D(2019, 4, 4),
        ),  # Year 3
        "cwsw": PupilFactory(
            school=school,
            legal_forename="Reuben",
            legal_surname="Adair",
            preferred_forename="Ben",
            date_of_birth=D(2012, 2, 2),
            sen_status="sen_support",
        ),  # Year 10
        "kinship": PupilFactory(
            school=school,
            legal_forename="Ellie",
            legal_surname="Duggan",
            date_of_birth=D(2017, 3, 3),
        ),  # Year 5
        "ran_out": PupilFactory(
            school=school,
            legal_forename="Hannah",
            legal_surname="Osei",
            date_of_birth=D(2018, 6, 6),
        ),  # Year 4
        "leaver": PupilFactory(
            school=school,
            legal_forename="Noah",
            legal_surname="Ashdown",
            date_of_birth=D(2013, 1, 1),
            leaving_date=D(2026, 11, 19),
        ),
    }
    CareEpisodeFactory(
        pupil=children["cic"],
        kind=K.IN_CARE,
        start_date=D(2024, 1, 1),
        legal_basis="s31",
        responsible_authority=herts,
    )
    CareEpisodeFactory(
        pupil=children["cpic"],
        kind=K.PREVIOUSLY_IN_CARE,
        start_date=D(2022, 1, 1),
        legal_basis="adoption",
        responsible_authority=halton,
    )
    CareEpisodeFactory(
        pupil=children["cwsw"],
        kind=K.CHILD_PROTECTION_PLAN,
        start_date=D(2019, 1, 1),
        end_date=D(2020, 12, 23),
        responsible_authority=halton,
    )
    CareEpisodeFactory(pupil=children["kinship"], kind=K.KINSHIP_CARE, start_date=D(2023, 1, 1))
    CareEpisodeFactory(
        pupil=children["ran_out"],
        kind=K.CHILD_IN_NEED_PLAN,
        start_date=D(2019, 1, 1),
        end_date=D(2020, 10, 23),
    )
    CareEpisodeFactory(
        pupil=children["leaver"],
        kind=K.IN_CARE,
        start_date=D(2024, 1, 1),
        responsible_authority=herts,
    )
    children["herts"], children["halton"] = herts, halton
    return children


def names(response):
    return [p.legal_forename for p in response.context["page"]]


def test_lists_pupils_on_roll_by_last_name_with_their_group(dt_client, cohort):
    response = dt_client.get(reverse("pupils:cohort"))
    assert response.status_code == 200
    assert names(response) == ["Reuben", "Ellie", "Amelia", "Hannah", "Isla"]
    assert "Child in care" in response.text and "Kinship care" in response.text
    assert "Leaves the cohort on 23 December 2026" in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"group": "cic"}, ["Amelia"]),
        ({"group": "cpic"}, ["Isla"]),
        ({"group": "cwsw"}, ["Reuben"]),
        ({"group": "kinship"}, ["Ellie"]),
        # Kinship care is a group of its own, not "not in a group".
        ({"group": "none"}, ["Hannah"]),
        ({"group": "in_cohort"}, ["Reuben", "Ellie", "Amelia", "Isla"]),
        ({"group": "cic", "leavers": "on"}, ["Noah", "Amelia"]),
        ({"nc_year": "6"}, ["Amelia"]),
        ({"nc_year": "3"}, ["Isla"]),
        ({"sen_status": "sen_support"}, ["Reuben"]),
        ({"q": "ben"}, ["Reuben"]),
        ({"q": "osei hannah"}, ["Hannah"]),
        ({"q": "zz-nobody"}, []),
    ],
)
def test_filters_and_search(dt_client, cohort, query, expected):
    assert names(dt_client.get(reverse("pupils:cohort"), query)) == expected


def test_filter_by_responsible_authority(dt_client, cohort):
    response = dt_client.get(reverse("pupils:cohort"), {"authority": cohort["halton"].pk})
    assert names(response) == ["Reuben", "Isla"]


def test_filter_by_key_adult(dt_client, cohort, school):
    adult = member(school, Role.STAFF, full_name="Sam Turner")
    KeyAdultFactory(pupil=cohort["cpic"], user=adult, start_date=D(2025, 9, 1))
    response = dt_client.get(reverse("pupils:cohort"), {"key_adult": adult.pk})
    assert names(response) == ["Isla"]
    assert "Sam Turner" in response.text


def test_search_by_upn(dt_client, cohort):
    upn = cohort["cpic"].upn
    assert names(dt_client.get(reverse("pupils:cohort"), {"q": upn.lower()})) == ["Isla"]


def test_sort_by_year_and_group(dt_client, cohort):
    by_year = names(dt_client.get(reverse("pupils:cohort"), {"sort": "year"}))
    assert by_year == ["Isla", "Hannah", "Ellie", "Amelia", "Reuben"]
    by_group = names(dt_client.get(reverse("pupils:cohort"), {"sort": "group"}))
    assert by_group == ["Amelia", "Isla", "Reuben", "Ellie", "Hannah"]


def test_a_child_only_in_kinship_care_is_tagged_kinship_not_not_in_a_group(dt_client, cohort):
    response = dt_client.get(reverse("pupils:cohort"), {"group": "kinship"})
    assert names(response) == ["Ellie"]
    assert 'govuk-tag--grey">Not in a group' not in response.text
    assert 'govuk-tag--turquoise">Kinship care' in response.text
    assert "1 pupil" in response.text


def test_the_groups_split_the_cohort_without_counting_anyone_twice(dt_client, cohort):
    # A child with a social worker who also lives in kinship care is counted once, as CWSW,
    # with kinship care shown alongside.
    CareEpisodeFactory(pupil=cohort["cwsw"], kind=K.KINSHIP_CARE, start_date=D(2024, 1, 1))
    counts = {
        group: len(names(dt_client.get(reverse("pupils:cohort"), {"group": group})))
        for group in ("cic", "cpic", "cwsw", "kinship", "none")
    }
    assert counts == {"cic": 1, "cpic": 1, "cwsw": 1, "kinship": 1, "none": 1}
    everyone = names(dt_client.get(reverse("pupils:cohort")))
    assert sum(counts.values()) == len(everyone)


def test_an_invalid_filter_value_does_not_break_the_page(dt_client, cohort):
    response = dt_client.get(reverse("pupils:cohort"), {"nc_year": "x", "page": "99"})
    assert response.status_code == 200


def test_pagination_keeps_the_filters(dt_client, school):
    for n in range(55):
        PupilFactory(school=school, legal_surname=f"Pupil{n:02d}")
    response = dt_client.get(reverse("pupils:cohort"), {"sort": "name", "page": 2})
    assert len(response.context["page"].object_list) == 5
    assert "sort=name&amp;page=1" in response.text


def test_query_count_does_not_grow_with_the_page(dt_client, school, django_assert_max_num_queries):
    herts = VirtualSchoolFactory(la_code="919")
    for _ in range(40):
        child = PupilFactory(school=school)
        CareEpisodeFactory(pupil=child, responsible_authority=herts)
        KeyAdultFactory(pupil=child, user=member(school, Role.STAFF))
    # 1-3 session, user and OTP device (middleware); 4 memberships with schools
    # (CurrentSchoolMiddleware); 5 staff for the key-adult filter; 6 Virtual Schools for the
    # authority filter; 7 count for the paginator; 8 the page of pupils with group, authority,
    # key adult and year annotated; 9 the "cohort.viewed" audit event; 10-12 savepoint, session
    # save, release (SESSION_SAVE_EVERY_REQUEST). An N+1 on the rows would add 40.
    with django_assert_max_num_queries(12):
        response = dt_client.get(reverse("pupils:cohort"), {"sort": "group"})
    assert len(response.context["page"].object_list) == 40


def test_csv_export_has_the_filtered_rows_and_is_audited(dt_client, cohort):
    response = dt_client.get(reverse("pupils:cohort_csv"), {"group": "cwsw"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["Legal first name"] for r in rows] == ["Reuben"]
    assert rows[0]["Leaves the cohort on"] == "2026-12-23"
    assert rows[0]["Group"] == "Child with a social worker"
    assert rows[0]["Responsible authority"] == "Halton"
    event = AuditEvent.objects.get(action="cohort.exported")
    assert event.changes["pupils"] == 1
    assert event.changes == {
        "filters": {"group": "cwsw"},
        "searched": False,
        "pupils": 1,
        "format": "csv",
    }


def test_csv_export_audit_records_that_a_search_was_used_but_never_its_text(dt_client, cohort):
    # The log is kept forever and the administrator reads it: a name typed into the search
    # must not end up there.
    dt_client.get(
        reverse("pupils:cohort_csv"),
        {"q": "Reuben", "group": "cwsw", "nc_year": "nonsense", "leavers": "on"},
    )

    event = AuditEvent.objects.get(action="cohort.exported")
    assert event.changes == {
        "filters": {"group": "cwsw", "leavers": True},
        "searched": True,
        "pupils": 1,
        "format": "csv",
    }
    assert "Reuben" not in str(event.changes)
    assert "nonsense" not in str(event.changes)


def test_csv_cells_cannot_run_as_formulas(dt_client, school):
    PupilFactory(school=school, legal_forename="=HYPERLINK(1)")
    response = dt_client.get(reverse("pupils:cohort_csv"))
    assert "'=HYPERLINK(1)" in response.content.decode()


def test_other_schools_pupils_are_never_listed(other_school_dt_client, cohort):
    assert names(other_school_dt_client.get(reverse("pupils:cohort"))) == []


@pytest.mark.parametrize("url_name", ["pupils:cohort", "pupils:cohort_csv"])
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("dt_client", 200),
        ("dsl_client", 200),
        ("deputy_dsl_client", 200),
        ("head_client", 200),
        ("governor_client", 403),
        ("staff_client", 403),
        ("school_admin_client", 403),
    ],
)
def test_who_may_see_the_cohort(request, url_name, persona, status):
    client = request.getfixturevalue(persona)
    assert client.get(reverse(url_name)).status_code == status


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("pupils:cohort"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_each_view_of_the_list_is_audited_with_its_filters_never_the_words_searched(
    dt_client, cohort
):
    dt_client.get(reverse("pupils:cohort"), {"q": "Okonkwo", "group": "cic", "nc_year": "x"})
    event = AuditEvent.objects.get(action="cohort.viewed")
    # The invalid year group is dropped, as the list drops it; the search is only "used".
    assert event.changes == {
        "filters": {"group": "cic"},
        "searched": True,
        "page": 1,
        "pupils": 1,
    }
    assert event.pupil_id is None
    assert "Okonkwo" not in str(event.changes) + event.object_repr


def test_csv_export_audit_keeps_the_filters_never_the_words_searched(dt_client, cohort):
    dt_client.get(reverse("pupils:cohort_csv"), {"q": "Okonkwo", "leavers": "on"})
    event = AuditEvent.objects.get(action="cohort.exported")
    assert event.changes == {
        "filters": {"leavers": True},
        "searched": True,
        "pupils": 1,
        "format": "csv",
    }
