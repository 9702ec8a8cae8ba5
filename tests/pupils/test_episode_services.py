"""Status history: what care_episode_add / update / end refuse, and what they record."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from pupils import services
from pupils.models import CareEpisode
from pupils.models import EpisodeKind as K
from tests.pupil_factories import CareEpisodeFactory

D = dt.date
pytestmark = pytest.mark.django_db


def add(pupil, by, **kwargs):
    return services.care_episode_add(pupil=pupil, by=by, **kwargs)


def test_adding_an_episode_saves_it_and_audits_what_was_set(pupil, dt_user, cambridgeshire):
    episode = add(
        pupil,
        dt_user,
        kind=K.IN_CARE,
        start_date=D(2024, 1, 8),
        legal_basis="s31",
        responsible_authority=cambridgeshire,
    )
    event = AuditEvent.objects.get(action="care_episode.added")
    assert event.pupil_id == pupil.pk
    assert event.actor == dt_user
    assert event.changes["legal_basis"] == [None, "s31"]
    assert event.changes["start_date"] == [None, "2024-01-08"]
    assert episode.created_by == dt_user


def test_an_end_before_the_start_is_refused_and_nothing_saved(pupil, dt_user):
    with pytest.raises(ValidationError) as refused:
        add(
            pupil,
            dt_user,
            kind=K.CHILD_IN_NEED_PLAN,
            start_date=D(2024, 5, 1),
            end_date=D(2024, 4, 30),
        )
    assert "end date must be after the start date" in refused.value.message_dict["end_date"][0]
    assert not CareEpisode.objects.exists()
    assert not AuditEvent.objects.filter(action="care_episode.added").exists()


def test_an_end_on_the_start_day_is_refused(pupil, dt_user):
    with pytest.raises(ValidationError):
        add(
            pupil,
            dt_user,
            kind=K.CHILD_IN_NEED_PLAN,
            start_date=D(2024, 5, 1),
            end_date=D(2024, 5, 1),
        )


@pytest.mark.parametrize(
    ("kind", "basis"),
    [
        (K.IN_CARE, "adoption"),
        (K.PREVIOUSLY_IN_CARE, "s31"),
        (K.CHILD_IN_NEED_PLAN, "s20"),
        (K.KINSHIP_CARE, "sgo"),
    ],
)
def test_a_legal_basis_that_does_not_fit_the_kind_is_refused(pupil, dt_user, kind, basis):
    with pytest.raises(ValidationError) as refused:
        add(pupil, dt_user, kind=kind, start_date=D(2024, 1, 1), legal_basis=basis)
    assert "does not fit" in refused.value.message_dict["legal_basis"][0]
    assert not CareEpisode.objects.exists()


def test_the_refusal_lists_the_bases_that_do_fit(pupil, dt_user):
    with pytest.raises(ValidationError) as refused:
        add(pupil, dt_user, kind=K.PREVIOUSLY_IN_CARE, start_date=D(2024, 1, 1), legal_basis="s31")
    message = refused.value.message_dict["legal_basis"][0]
    assert "Adoption" in message and "Special guardianship order" in message


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2023, 6, 1), None),  # open, starting inside the existing one
        (D(2021, 1, 1), D(2022, 2, 1)),  # ending inside it
        (D(2021, 1, 1), None),  # covering it
        (D(2022, 3, 1), D(2022, 4, 1)),  # inside it
    ],
)
def test_overlapping_in_care_episodes_are_refused(pupil, dt_user, start, end):
    CareEpisodeFactory(pupil=pupil, start_date=D(2022, 1, 10), end_date=D(2024, 1, 10))
    with pytest.raises(ValidationError) as refused:
        add(pupil, dt_user, kind=K.IN_CARE, start_date=start, end_date=end)
    assert (
        "overlaps the time in care from 10 January 2022 to 10 January 2024"
        in (refused.value.message_dict["start_date"][0])
    )
    assert CareEpisode.objects.count() == 1


def test_a_new_care_episode_may_start_the_day_the_last_one_ended(pupil, dt_user):
    CareEpisodeFactory(pupil=pupil, start_date=D(2022, 1, 10), end_date=D(2024, 1, 10))
    add(pupil, dt_user, kind=K.IN_CARE, start_date=D(2024, 1, 10), legal_basis="s31")
    assert CareEpisode.objects.count() == 2


def test_plans_may_overlap_care(pupil, dt_user):
    CareEpisodeFactory(pupil=pupil, start_date=D(2022, 1, 10))
    add(pupil, dt_user, kind=K.CHILD_PROTECTION_PLAN, start_date=D(2023, 1, 1))
    add(pupil, dt_user, kind=K.KINSHIP_CARE, start_date=D(2023, 1, 1))


def test_an_episode_before_the_child_was_born_is_refused(pupil, dt_user):
    with pytest.raises(ValidationError) as refused:
        add(
            pupil,
            dt_user,
            kind=K.CHILD_IN_NEED_PLAN,
            start_date=pupil.date_of_birth.replace(year=2010),
        )
    assert "date of birth" in refused.value.message_dict["start_date"][0]


def test_ending_an_episode_records_the_day_and_audits_it(pupil, dt_user):
    episode = CareEpisodeFactory(pupil=pupil, start_date=D(2022, 1, 10))
    services.care_episode_end(episode=episode, by=dt_user, end_date=D(2024, 7, 1))
    episode.refresh_from_db()
    assert episode.end_date == D(2024, 7, 1)
    event = AuditEvent.objects.get(action="care_episode.ended")
    assert event.changes == {"end_date": [None, "2024-07-01"]}
    assert event.pupil_id == pupil.pk


def test_an_episode_cannot_be_ended_twice(pupil, dt_user):
    episode = CareEpisodeFactory(pupil=pupil, start_date=D(2022, 1, 10), end_date=D(2023, 1, 1))
    with pytest.raises(ValidationError, match="already ended on 1 January 2023"):
        services.care_episode_end(episode=episode, by=dt_user, end_date=D(2024, 7, 1))


def test_correcting_an_episode_into_an_overlap_is_refused(pupil, dt_user):
    CareEpisodeFactory(pupil=pupil, start_date=D(2022, 1, 10), end_date=D(2023, 1, 10))
    later = CareEpisodeFactory(pupil=pupil, start_date=D(2023, 6, 1))
    with pytest.raises(ValidationError):
        services.care_episode_update(episode=later, by=dt_user, start_date=D(2022, 12, 1))
    later.refresh_from_db()
    assert later.start_date == D(2023, 6, 1)


def test_correcting_an_episode_audits_old_and_new(pupil, dt_user):
    episode = CareEpisodeFactory(pupil=pupil, start_date=D(2022, 1, 10), legal_basis="s20")
    services.care_episode_update(episode=episode, by=dt_user, legal_basis="s31")
    event = AuditEvent.objects.get(action="care_episode.updated")
    assert event.changes == {"legal_basis": ["s20", "s31"]}


def test_the_database_refuses_a_basis_that_does_not_fit_even_without_the_service(pupil):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CareEpisodeFactory(pupil=pupil, kind=K.CHILD_IN_NEED_PLAN, legal_basis="s31")
