"""The PEP app's entries in a child's chronology."""

from django.test import RequestFactory

from peps import services
from pupils.chronology import chronology_for, registered_sources
from tests.conftest import member
from tests.peps.conftest import D, fill
from tests.peps.factories import CompletedPepFactory, SdqFactory, TargetFactory


def request_for(school, user):
    request = RequestFactory().get("/")
    request.user = user
    request.school = school
    request.capabilities = frozenset()
    return request


def test_peps_register_a_chronology_source():
    assert "peps" in registered_sources()


def test_completed_pep_targets_set_and_reviewed_and_sdq_appear(
    school, child, autumn, spring, teacher
):
    last = CompletedPepFactory(pupil=child, term=autumn)
    target = TargetFactory(pep=last)
    pep = services.pep_start(pupil=child, term=spring, by=teacher, today=D(2027, 1, 11))
    fill(pep, teacher, meeting=D(2027, 1, 12))
    services.target_review(
        pep=pep, target=target, outcome="achieved", evidence="Reading log", by=teacher
    )
    services.pep_complete(pep=pep, by=teacher, today=D(2027, 1, 13))
    SdqFactory(pupil=child, taken_on=D(2027, 1, 4), informant="carer")

    titles = [e.title for e in chronology_for(child, request_for(school, teacher))]

    assert "PEP completed for the Spring term 2026 to 2027" in titles
    assert "1 PEP target set" in titles
    assert "1 earlier PEP target reviewed" in titles
    assert "SDQ recorded: parent or carer" in titles


def test_a_draft_pep_is_not_in_the_chronology(school, draft, teacher):
    viewer = member(school)
    entries = chronology_for(draft.pupil, request_for(school, viewer))
    assert not [e for e in entries if e.kind == "pep"]
