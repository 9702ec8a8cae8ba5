"""The forms, posted as a browser would: add and edit a pupil, add and end a status episode,
add a contact. Bad input shows the error and saves nothing; wrong role 403; other school 404."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent
from pupils.models import CareEpisode, Contact, Pupil
from tests.conftest import member
from tests.pupil_factories import CareEpisodeFactory

D = dt.date
pytestmark = pytest.mark.django_db

PUPIL_POST = {
    "legal_forename": "Tyler",
    "legal_surname": "Brennan",
    "date_of_birth": "2/2/2017",
    "sex": "M",
    "upn": "b801 2000 05001",
    "nc_year": "",
    "admission_date": "2022-09-05",
    "sen_status": "none",
}


def test_a_designated_teacher_adds_a_pupil(dt_client, school):
    response = dt_client.post(reverse("pupils:pupil_add"), PUPIL_POST)
    pupil = Pupil.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("pupils:pupil", args=[pupil.pk])
    assert (pupil.school, pupil.upn, pupil.date_of_birth) == (
        school,
        "B801200005001",
        D(2017, 2, 2),
    )
    assert AuditEvent.objects.filter(action="pupil.created", pupil_id=pupil.pk).exists()


def test_an_invalid_upn_shows_the_error_and_saves_nothing(dt_client):
    response = dt_client.post(reverse("pupils:pupil_add"), PUPIL_POST | {"upn": "B207000016049"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "check letter does not match" in response.text
    assert not Pupil.objects.exists()


def test_an_unreadable_date_shows_the_error(dt_client):
    response = dt_client.post(
        reverse("pupils:pupil_add"), PUPIL_POST | {"date_of_birth": "31/2/2017"}
    )
    assert "Enter the date of birth as day/month/year" in response.text
    assert not Pupil.objects.exists()


@pytest.mark.parametrize(
    "persona", ["dsl_client", "governor_client", "staff_client", "school_admin_client"]
)
def test_roles_without_edit_pupils_may_not_add(request, persona):
    client = request.getfixturevalue(persona)
    assert client.post(reverse("pupils:pupil_add"), PUPIL_POST).status_code == 403
    assert not Pupil.objects.exists()


def test_editing_records_old_and_new(dt_client, pupil):
    post = PUPIL_POST | {
        "legal_forename": "Amelia",
        "legal_surname": "Okonkwo",
        "date_of_birth": "3/10/2015",
        "upn": pupil.upn,
        "sex": "F",
        "preferred_forename": "Millie",
        "admission_date": "2/9/2020",
    }
    response = dt_client.post(reverse("pupils:pupil_edit", args=[pupil.pk]), post)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="pupil.updated")
    # A name is kept by its field's name only: the log outlives the child's record.
    assert event.fields == ["preferred_forename"]
    assert event.changes == {}
    assert "Millie" not in str(event.changes) + event.object_repr


def test_editing_a_pupil_of_another_school_is_not_found(other_school_dt_client, pupil):
    url = reverse("pupils:pupil_edit", args=[pupil.pk])
    assert other_school_dt_client.get(url).status_code == 404


def test_adding_a_status_episode_shows_it_in_the_history_and_chronology(
    dt_client, pupil, cambridgeshire
):
    response = dt_client.post(
        reverse("pupils:episode_add", args=[pupil.pk]),
        {
            "kind": "in_care",
            "start_date": "8/1/2024",
            "legal_basis": "s31",
            "responsible_authority": cambridgeshire.pk,
        },
    )
    assert response.status_code == 302
    page = dt_client.get(reverse("pupils:pupil", args=[pupil.pk])).text
    assert "In care started" in page
    assert AuditEvent.objects.filter(action="care_episode.added", pupil_id=pupil.pk).exists()


def test_an_episode_with_a_basis_that_does_not_fit_is_refused_on_the_form(dt_client, pupil):
    response = dt_client.post(
        reverse("pupils:episode_add", args=[pupil.pk]),
        {"kind": "child_in_need_plan", "start_date": "8/1/2024", "legal_basis": "s31"},
    )
    assert response.status_code == 200
    assert "does not fit child in need plan" in response.text
    assert 'href="#id_legal_basis"' in response.text
    assert not CareEpisode.objects.exists()


def test_an_overlapping_care_episode_is_refused_on_the_form(dt_client, pupil):
    CareEpisodeFactory(pupil=pupil, start_date=D(2022, 1, 10))
    response = dt_client.post(
        reverse("pupils:episode_add", args=[pupil.pk]),
        {"kind": "in_care", "start_date": "8/1/2024"},
    )
    assert "overlaps the time in care from 10 January 2022 with no end date" in response.text
    assert CareEpisode.objects.count() == 1


def test_ending_an_episode(dt_client, pupil):
    episode = CareEpisodeFactory(pupil=pupil, start_date=D(2022, 1, 10))
    url = reverse("pupils:episode_end", args=[pupil.pk, episode.pk])
    response = dt_client.post(url, {"end_date": "1/1/2022"})
    assert "The end date must be after the start date" in response.text
    response = dt_client.post(url, {"end_date": "1/7/2024"})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.end_date == D(2024, 7, 1)


def test_an_episode_of_another_pupil_is_not_found_through_this_one(dt_client, pupil, school):
    from tests.pupil_factories import PupilFactory

    other = CareEpisodeFactory(pupil=PupilFactory(school=school))
    url = reverse("pupils:episode_end", args=[pupil.pk, other.pk])
    assert dt_client.get(url).status_code == 404


@pytest.mark.parametrize(
    "kind", ["social_worker", "carer", "parent", "virtual_school_adviser", "key_adult"]
)
def test_every_contact_form_opens(dt_client, pupil, kind):
    url = reverse("pupils:contact_add", args=[pupil.pk, kind])
    assert dt_client.get(url).status_code == 200


def test_an_unknown_kind_of_contact_is_not_found(dt_client, pupil):
    assert dt_client.get(reverse("pupils:contact_add", args=[pupil.pk, "uncle"])).status_code == 404


def test_adding_a_key_adult_offers_only_this_schools_staff(dt_client, pupil, school, other_school):
    colleague = member(school, Role.STAFF, full_name="Sam Turner")
    stranger = member(other_school, Role.STAFF, full_name="Not Here")
    url = reverse("pupils:contact_add", args=[pupil.pk, "key_adult"])
    page = dt_client.get(url).text
    assert "Sam Turner" in page and "Not Here" not in page
    response = dt_client.post(url, {"user": stranger.pk, "start_date": "1/9/2025"})
    assert response.status_code == 200 and not Contact.objects.exists()
    response = dt_client.post(url, {"user": colleague.pk, "start_date": "1/9/2025"})
    assert response.status_code == 302
    assert Contact.objects.get().user == colleague


def test_adding_a_parent_with_consent(dt_client, pupil):
    url = reverse("pupils:contact_add", args=[pupil.pk, "parent"])
    response = dt_client.post(
        url,
        {
            "name": "Claire Penrose",
            "relationship": "Adoptive parent",
            "parental_responsibility": "yes",
            "consents_to_virtual_school_advice": "no",
            "start_date": "1/9/2025",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.parental_responsibility, contact.consents_to_virtual_school_advice) == (
        True,
        False,
    )


def test_ending_a_contact_and_editing_one(dt_client, pupil):
    from tests.pupil_factories import ContactFactory

    contact = ContactFactory(pupil=pupil, name="Dan Price", start_date=D(2024, 1, 1))
    edit = reverse("pupils:contact_edit", args=[pupil.pk, contact.pk])
    response = dt_client.post(
        edit, {"name": "Dan Price", "team": "North team", "start_date": "1/1/2024"}
    )
    assert response.status_code == 302
    end = reverse("pupils:contact_end", args=[pupil.pk, contact.pk])
    assert dt_client.post(end, {"end_date": "1/9/2025"}).status_code == 302
    contact.refresh_from_db()
    assert (contact.team, contact.end_date) == ("North team", D(2025, 9, 1))
    assert AuditEvent.objects.filter(action="contact.updated").exists()


def test_a_form_page_about_a_child_names_the_child_above_its_heading(dt_client, pupil):
    page = dt_client.get(reverse("pupils:episode_add", args=[pupil.pk])).content.decode()
    caption = page.index(f'<span class="govuk-caption-l">{pupil.display_name}</span>')
    assert caption < page.index('<h1 class="govuk-heading-l">')
    assert "Error:" not in page
