"""The chronology registry: every app's entries merged newest first, safeguarding entries
shown in full only to those who may act on concerns."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Capability, Role
from pupils import chronology
from pupils.chronology import ChronologyEntry, chronology_for, register
from pupils.models import EpisodeKind as K
from tests.conftest import member
from tests.pupil_factories import CareEpisodeFactory, ContactFactory

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def concerns_source():
    """A stand-in for the concerns app: one restricted entry and one open one."""

    @register("test-concerns")
    def source(pupil, request):
        return [
            ChronologyEntry(
                dt.datetime(2025, 3, 4, 9, 30, tzinfo=dt.UTC),
                "concern",
                "Concern raised: bruising seen in PE",
                detail="Ms Smith noticed bruising on the left arm",
                url="/concerns/1/",
                restricted=True,
            ),
            ChronologyEntry(D(2025, 6, 1), "pep", "PEP meeting held"),
        ]

    yield source
    chronology._SOURCES.pop("test-concerns")


class FakeRequest:
    def __init__(self, *capabilities):
        self.capabilities = frozenset(capabilities)


def test_entries_from_every_source_are_merged_newest_first(pupil, concerns_source):
    CareEpisodeFactory(
        pupil=pupil, kind=K.CHILD_IN_NEED_PLAN, start_date=D(2024, 1, 8), end_date=D(2025, 5, 1)
    )
    ContactFactory(pupil=pupil, name="Dan Price", start_date=D(2025, 3, 4))

    entries = chronology_for(pupil, FakeRequest(Capability.ACT_ON_CONCERNS))
    titles = [e.title for e in entries]
    assert titles == [
        "PEP meeting held",
        "Child in Need plan ended",
        "Concern raised: bruising seen in PE",  # timed: before the date-only entry that day
        "Social worker: Dan Price",
        "Child in Need plan started",
        "Joined the school",
    ]


def test_restricted_entries_are_withheld_from_a_viewer_who_may_not_act_on_concerns(
    pupil, concerns_source, school
):
    member(school, Role.DSL, full_name="Tom Okafor")
    member(school, Role.DEPUTY_DSL, full_name="Grace Lewis")
    entries = chronology_for(pupil, FakeRequest(Capability.VIEW_COHORT))
    withheld = next(e for e in entries if e.kind == "safeguarding")
    assert withheld.title == (
        "A safeguarding record exists – speak to the DSL, Tom Okafor, or a deputy DSL, Grace Lewis"
    )
    assert (withheld.detail, withheld.url) == ("", "")
    assert withheld.day == D(2025, 3, 4)
    assert "bruising" not in " ".join(e.title + e.detail for e in entries)


def test_the_designated_teacher_sees_only_that_a_record_exists(
    dt_client, dsl_client, pupil, concerns_source, school
):
    member(school, Role.DSL, full_name="Tom Okafor")
    page = dt_client.get(reverse("pupils:pupil", args=[pupil.pk])).text
    assert "A safeguarding record exists – speak to the DSL, " in page
    assert "Tom Okafor" in page
    assert "bruising" not in page and "/concerns/1/" not in page
    page = dsl_client.get(reverse("pupils:pupil", args=[pupil.pk])).text
    assert "Concern raised: bruising seen in PE" in page


def test_the_head_sees_restricted_entries_in_full(head_client, pupil, concerns_source):
    page = head_client.get(reverse("pupils:pupil", args=[pupil.pk])).text
    assert "bruising seen in PE" in page


def test_a_school_without_a_dsl_still_says_who_to_ask(pupil, concerns_source):
    entries = chronology_for(pupil, FakeRequest(Capability.VIEW_COHORT))
    assert any("designated safeguarding lead" in e.title for e in entries)


def test_registering_the_same_name_again_replaces_the_source(pupil):
    before = len(chronology.registered_sources())
    register("pupils")(chronology.pupil_entries)
    assert len(chronology.registered_sources()) == before
