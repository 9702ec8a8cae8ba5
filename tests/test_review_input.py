"""Review: malformed input to a form or a query parameter is a page with an error, never a 500."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.peps.matrix import pep_records
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

pytestmark = pytest.mark.django_db

# Each passes str.isdigit() but int() refuses it: a superscript two, and more digits than
# Python will convert.
NOT_INTEGERS = ["²", "9" * 5000]


@pytest.mark.parametrize("term", NOT_INTEGERS)
def test_compliance_with_a_term_that_is_not_a_number_shows_the_current_term(
    dt_client, school, term
):
    pep_records(school)
    response = dt_client.get(reverse("peps:compliance"), {"term": term})
    assert response.status_code == 200
    assert response.context["chosen"] is not None


def test_compliance_still_opens_the_term_asked_for(dt_client, school):
    records = pep_records(school)
    spring = records["draft"].term
    response = dt_client.get(reverse("peps:compliance"), {"term": str(spring.pk)})
    assert response.status_code == 200
    assert response.context["chosen"].pk == spring.pk


@pytest.mark.parametrize("term", NOT_INTEGERS)
def test_start_a_pep_with_a_term_that_is_not_a_number_offers_every_term(dt_client, school, term):
    pep_records(school)  # the school's term dates
    child = PupilFactory(school=school)
    CareEpisodeFactory(pupil=child, start_date=dt.date(2022, 1, 10))
    response = dt_client.get(reverse("peps:pep_start", args=[child.pk]), {"term": term})
    assert response.status_code == 200
    assert response.context["form"].initial == {}


def test_start_a_pep_still_chooses_the_term_from_the_link(dt_client, school):
    pep_records(school)
    child = PupilFactory(school=school)
    CareEpisodeFactory(pupil=child, start_date=dt.date(2022, 1, 10))
    url = reverse("peps:pep_start", args=[child.pk])
    offered = dt_client.get(url).context["form"].fields["term"].choices
    term_pk = offered[-1][0]
    response = dt_client.get(url, {"term": str(term_pk)})
    assert response.context["form"].initial == {"term": term_pk}


def test_an_over_long_contact_email_is_a_form_error_not_a_server_error(dt_client, school):
    # 308 characters: a valid address to the form's validator, too long for the column (254).
    email = "a" * 60 + "@" + ("b" * 60 + ".") * 4 + "com"
    child = PupilFactory(school=school)
    response = dt_client.post(
        reverse("pupils:contact_add", args=[child.pk, "social_worker"]),
        {"name": "Sam Social", "email": email, "start_date": "01/09/2026"},
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not child.contacts.exists()
