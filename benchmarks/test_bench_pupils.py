"""How long a designated teacher waits for the cohort register and a child's record, with a
large secondary school's cohort: 400 pupils on roll, a third of them in a group."""

import datetime as dt

import pytest

from pupils.models import EpisodeKind
from tests.pupil_factories import CareEpisodeFactory, ContactFactory, KeyAdultFactory, PupilFactory

KINDS = [EpisodeKind.IN_CARE, EpisodeKind.PREVIOUSLY_IN_CARE, EpisodeKind.CHILD_IN_NEED_PLAN]


@pytest.fixture
def large_cohort(school):
    pupils = PupilFactory.create_batch(400, school=school)
    for n, pupil in enumerate(pupils[:135]):
        CareEpisodeFactory(pupil=pupil, kind=KINDS[n % 3], start_date=dt.date(2023, 9, 4))
        ContactFactory(pupil=pupil)
        KeyAdultFactory(pupil=pupil)
    return pupils


@pytest.mark.django_db
def test_cohort_register_first_page(dt_client, large_cohort, within_target):
    response = within_target("cohort_list", dt_client.get, "/pupils/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_cohort_register_as_csv(dt_client, large_cohort, within_target):
    response = within_target("cohort_csv", dt_client.get, "/pupils/cohort.csv")
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_childs_record(dt_client, large_cohort, within_target):
    response = within_target("pupil_record", dt_client.get, f"/pupils/{large_cohort[0].pk}/")
    assert response.status_code == 200
