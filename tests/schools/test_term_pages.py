"""The term dates pages: who may open them, what they show, and the rules they enforce."""

import datetime as dt

import pytest
from django.urls import reverse

from core.models import AuditEvent
from schools.models import AcademicYear, Closure, Term
from tests.factories import add_closure, add_year

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def year(school):
    return add_year(school, 2025)


@pytest.fixture
def closure(school, year):
    return add_closure(school, D(2026, 1, 5))


def page_urls(year, closure):
    autumn = year.terms.get(name="autumn")
    return [
        reverse("schools:terms"),
        reverse("schools:academic_year_add"),
        reverse("schools:term_edit", args=[autumn.pk]),
        reverse("schools:closure_add"),
        reverse("schools:closure_delete", args=[closure.pk]),
    ]


# --- Access ------------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["dt_client", "governor_client", "staff_client", "dsl_client"])
def test_roles_without_manage_school_are_refused(request, persona, year, closure):
    client = request.getfixturevalue(persona)
    for url in page_urls(year, closure):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("schools:closure_delete", args=[closure.pk])).status_code == 403
    assert Closure.objects.filter(pk=closure.pk).exists()


@pytest.mark.parametrize("persona", ["school_admin_client", "head_client"])
def test_administrator_and_head_can_open_every_page(request, persona, year, closure):
    client = request.getfixturevalue(persona)
    for url in page_urls(year, closure):
        assert client.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_sign_in(client, year, closure):
    for url in page_urls(year, closure):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_another_schools_term_and_closure_are_not_found(make_client, other_school, year, closure):
    from accounts.roles import Role

    client = make_client(other_school, Role.ADMINISTRATOR)
    autumn = year.terms.get(name="autumn")
    assert client.get(reverse("schools:term_edit", args=[autumn.pk])).status_code == 404
    response = client.post(
        reverse("schools:term_edit", args=[autumn.pk]),
        {"first_day": "1 9 2025", "last_day": "18 12 2025"},
    )
    assert response.status_code == 404
    assert client.get(reverse("schools:closure_delete", args=[closure.pk])).status_code == 404
    assert client.post(reverse("schools:closure_delete", args=[closure.pk])).status_code == 404
    assert Closure.objects.filter(pk=closure.pk).exists()
    assert Term.objects.get(pk=autumn.pk).first_day == D(2025, 9, 3)


# --- The overview ------------------------------------------------------------------------
def test_terms_page_counts_school_days_per_term_and_year(
    school_admin_client, school, year, django_assert_max_num_queries
):
    add_closure(school, D(2025, 9, 3), reason="INSET day")
    # Session, user, OTP device, memberships and the session's save (3, in a savepoint)
    # around the page's own three: years, terms, closures. One more per year would be an N+1.
    with django_assert_max_num_queries(10):
        response = school_admin_client.get(reverse("schools:terms"))
    html = response.content.decode()
    assert "2025 to 2026" in html
    assert "3 September 2025 to 18 December 2025" in html
    assert "27 October to 31 October" in html
    # Autumn 72 less the INSET day, spring 55, summer 66 (67 weekdays less the bank holiday).
    summary = response.context["overview"].years[0]
    assert [row.school_days for row in summary.terms] == [71, 55, 66]
    assert summary.school_days == 192
    assert "INSET day" in html
    assert "fewer than the 190" not in html


def test_terms_page_warns_when_a_year_has_fewer_than_190_school_days(
    school_admin_client, school, year
):
    add_closure(school, D(2025, 9, 3), D(2025, 9, 4), reason="INSET days")
    add_closure(school, D(2026, 1, 5), reason="INSET day")
    response = school_admin_client.get(reverse("schools:terms"))
    assert response.context["overview"].years[0].school_days == 190
    assert "fewer than the 190" not in response.content.decode()

    add_closure(school, D(2026, 4, 13), reason="INSET day")
    response = school_admin_client.get(reverse("schools:terms"))
    html = response.content.decode()
    assert "189 school days is fewer than the 190" in html
    assert "govuk-warning-text" in html


def test_terms_page_leaves_out_englands_bank_holidays_in_term_and_says_so(
    school_admin_client, school, year
):
    # The early May bank holiday, Mon 4 May 2026, falls in the summer term: nobody typed it in.
    response = school_admin_client.get(reverse("schools:terms"))
    summary = response.context["overview"].years[0]
    assert summary.terms[2].school_days == 66
    html = " ".join(response.content.decode().split())
    assert "England's bank holidays are never school days" in html
    assert "4 May 2026" in html and "May Day" in html


def test_terms_page_shows_only_the_schools_own_years(school_admin_client, other_school, year):
    add_year(other_school, 2019)
    response = school_admin_client.get(reverse("schools:terms"))
    assert "2019 to 2020" not in response.content.decode()


# --- Adding a year -----------------------------------------------------------------------
def year_form(start_year=2026, **overrides):
    data = {
        "start_year": str(start_year),
        "autumn_first_day": "2 9 2026",
        "autumn_last_day": "18/12/2026",
        "autumn_half_term_first_day": "26 10 2026",
        "autumn_half_term_last_day": "30 10 2026",
        "spring_first_day": "2027-01-04",
        "spring_last_day": "26 3 2027",
        "spring_half_term_first_day": "15 2 2027",
        "spring_half_term_last_day": "19 2 2027",
        "summer_first_day": "12 4 2027",
        "summer_last_day": "21 7 2027",
        "summer_half_term_first_day": "31 5 2027",
        "summer_half_term_last_day": "4 6 2027",
    }
    data.update(overrides)
    return data


def test_adding_a_year_saves_its_three_terms_and_audits_it(school_admin_client, school):
    response = school_admin_client.post(reverse("schools:academic_year_add"), year_form())
    assert response.status_code == 302
    assert response.url == reverse("schools:terms")
    year = AcademicYear.objects.get(school=school, start_year=2026)
    terms = {t.name: t for t in year.terms.all()}
    assert terms["autumn"].last_day == D(2026, 12, 18)
    assert terms["spring"].first_day == D(2027, 1, 4)
    assert terms["summer"].half_term_last_day == D(2027, 6, 4)
    event = AuditEvent.objects.get(action="term_dates.year_added")
    assert event.school == school
    assert event.changes["autumn"].startswith("2026-09-02 to 2026-12-18")


def test_half_term_may_be_left_blank(school_admin_client, school):
    data = year_form(summer_half_term_first_day="", summer_half_term_last_day="")
    assert school_admin_client.post(reverse("schools:academic_year_add"), data).status_code == 302
    summer = Term.objects.get(academic_year__school=school, name="summer")
    assert summer.half_term_first_day is None


def test_add_year_page_suggests_the_year_after_the_newest(school_admin_client, year):
    response = school_admin_client.get(reverse("schools:academic_year_add"))
    assert response.context["form"].initial["start_year"] == 2026


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"spring_first_day": "15 12 2026"},
            "spring_first_day",
            "The spring term must start after the autumn term ends (18 December 2026)",
        ),
        (
            {"summer_last_day": "2 9 2027"},
            "summer_last_day",
            "The last day of the summer term must be in the 2026 to 2027 school year "
            "(1 September 2026 to 31 August 2027)",
        ),
        (
            {"autumn_first_day": "28 8 2026"},
            "autumn_first_day",
            "The first day of the autumn term must be in the 2026 to 2027 school year",
        ),
        (
            {"autumn_half_term_first_day": "21 12 2026", "autumn_half_term_last_day": "23 12 2026"},
            "autumn_half_term_first_day",
            "The half-term break must fall between the first and last day of the autumn term",
        ),
        (
            {"spring_half_term_last_day": ""},
            "spring_half_term_last_day",
            "Enter both the first and last day of the half-term break in the spring term",
        ),
        (
            {"summer_half_term_last_day": "29 5 2027"},
            "summer_half_term_last_day",
            "The last day of the half-term break must be on or after its first day",
        ),
        (
            {"autumn_last_day": "1 9 2026"},
            "autumn_last_day",
            "The last day of the autumn term must be on or after its first day",
        ),
        (
            {"autumn_first_day": "31 2 2026"},
            "autumn_first_day",
            "Enter the first day of the autumn term as a date, for example 3 9 2025",
        ),
        (
            {"spring_last_day": ""},
            "spring_last_day",
            "Enter the last day of the spring term",
        ),
        (
            {"start_year": "26"},
            "start_year",
            "Enter a year from 2000 onwards",
        ),
    ],
)
def test_bad_term_dates_are_refused_with_a_message_and_nothing_is_saved(
    school_admin_client, school, overrides, field, message
):
    response = school_admin_client.post(
        reverse("schools:academic_year_add"), year_form(**overrides)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    html = response.content.decode()
    assert "There is a problem" in html  # the error summary
    assert f'href="#id_{field}"' in html  # ...links to the field
    assert AcademicYear.objects.count() == 0
    assert Term.objects.count() == 0
    assert not AuditEvent.objects.filter(action="term_dates.year_added").exists()


def test_a_year_cannot_be_entered_twice(school_admin_client, school):
    add_year(school, 2026)
    response = school_admin_client.post(reverse("schools:academic_year_add"), year_form())
    assert response.status_code == 200
    assert "have already been entered" in response.context["form"].errors["start_year"][0]
    assert AcademicYear.objects.filter(school=school).count() == 1
    assert Term.objects.filter(academic_year__school=school).count() == 3


def test_another_school_may_enter_the_same_year(school_admin_client, school, other_school):
    add_year(other_school, 2026)
    response = school_admin_client.post(reverse("schools:academic_year_add"), year_form())
    assert response.status_code == 302
    assert AcademicYear.objects.filter(school=school, start_year=2026).exists()


# --- Changing a term ---------------------------------------------------------------------
def test_changing_a_term_saves_and_audits_what_changed(school_admin_client, year):
    autumn = year.terms.get(name="autumn")
    response = school_admin_client.post(
        reverse("schools:term_edit", args=[autumn.pk]),
        {
            "first_day": "4 9 2025",
            "last_day": "18 12 2025",
            "half_term_first_day": "27 10 2025",
            "half_term_last_day": "31 10 2025",
        },
    )
    assert response.status_code == 302
    autumn.refresh_from_db()
    assert autumn.first_day == D(2025, 9, 4)
    event = AuditEvent.objects.get(action="term_dates.term_changed")
    assert event.changes == {"first_day": ["2025-09-03", "2025-09-04"]}


def test_a_term_cannot_be_moved_over_the_next_one(school_admin_client, year):
    autumn = year.terms.get(name="autumn")
    response = school_admin_client.post(
        reverse("schools:term_edit", args=[autumn.pk]),
        {
            "first_day": "3 9 2025",
            "last_day": "9 1 2026",
            "half_term_first_day": "27 10 2025",
            "half_term_last_day": "31 10 2025",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["last_day"] == [
        "The autumn term must end before the spring term starts (5 January 2026)"
    ]
    autumn.refresh_from_db()
    assert autumn.last_day == D(2025, 12, 18)
    assert not AuditEvent.objects.filter(action="term_dates.term_changed").exists()


def test_the_term_form_starts_with_the_saved_dates(school_admin_client, year):
    autumn = year.terms.get(name="autumn")
    response = school_admin_client.get(reverse("schools:term_edit", args=[autumn.pk]))
    assert 'value="3 9 2025"' in response.content.decode()


# --- Closures ----------------------------------------------------------------------------
def test_adding_a_closure_of_one_day(school_admin_client, school, year):
    response = school_admin_client.post(
        reverse("schools:closure_add"),
        {"first_day": "5 5 2026", "last_day": "", "reason": "INSET day"},
    )
    assert response.status_code == 302
    closure = Closure.objects.get(school=school)
    assert (closure.first_day, closure.last_day) == (D(2026, 5, 5), D(2026, 5, 5))
    assert AuditEvent.objects.filter(action="term_dates.closure_added").count() == 1


def test_a_closure_on_a_bank_holiday_alone_is_refused_as_nothing_to_close(
    school_admin_client, school, year
):
    response = school_admin_client.post(
        reverse("schools:closure_add"),
        {"first_day": "4 5 2026", "last_day": "", "reason": "Early May bank holiday"},
    )
    assert response.status_code == 200
    assert "a bank holiday" in response.content.decode()
    assert not Closure.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"first_day": "25 12 2025", "last_day": "26 12 2025", "reason": "Christmas"},
            "first_day",
            "is not a school day already",
        ),
        (
            {"first_day": "7 9 2026", "reason": "INSET day"},
            "first_day",
            "Enter the term dates for 2026 to 2027 before adding a closure in it",
        ),
        (
            {"first_day": "5 1 2026", "last_day": "6 1 2026", "reason": "INSET days"},
            "first_day",
            "These dates overlap a closure already recorded: INSET day, 5 January 2026",
        ),
        (
            {"first_day": "9 1 2026", "last_day": "8 1 2026", "reason": "INSET days"},
            "last_day",
            "The last day must be on or after the first day",
        ),
        ({"first_day": "9 1 2026", "reason": ""}, "reason", "Enter the reason"),
    ],
)
def test_bad_closures_are_refused_and_nothing_is_saved(
    school_admin_client, school, closure, data, field, message
):
    response = school_admin_client.post(reverse("schools:closure_add"), data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert Closure.objects.filter(school=school).count() == 1
    assert not AuditEvent.objects.filter(action="term_dates.closure_added").exists()


def test_removing_a_closure_asks_first_then_removes_and_audits(
    school_admin_client, school, closure
):
    url = reverse("schools:closure_delete", args=[closure.pk])
    response = school_admin_client.get(url)
    assert "Remove this closure?" in response.content.decode()
    assert Closure.objects.filter(pk=closure.pk).exists()

    response = school_admin_client.post(url)
    assert response.status_code == 302
    assert not Closure.objects.filter(pk=closure.pk).exists()
    event = AuditEvent.objects.get(action="term_dates.closure_removed")
    # The reason is typed by staff: its field's name, not its text, in the values.
    assert "reason" in event.fields
    assert event.changes == {
        "first_day": closure.first_day.isoformat(),
        "last_day": closure.last_day.isoformat(),
    }
    assert event.object_id == str(closure.pk)
