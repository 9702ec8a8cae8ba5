"""The demo's views before a PEP meeting (demo.contributions): on the draft PEP, requests out
to the carer and the social worker, the carer's answered and waiting for the designated teacher;
loading it again changes nothing."""

import pytest

from demo.contributions import load_demo_contributions
from notifications.models import OutboxMessage
from peps.contributions.models import ContributionAnswer, ContributionRequest
from peps.contributions.work_queue import contribution_items
from tests.factories import SchoolFactory
from tests.peps.test_demo import DEMO_DAY, _quick_pdf, load, with_demo_calendar

pytestmark = pytest.mark.django_db


def test_the_demo_has_requests_out_and_one_answer_waiting(monkeypatch):
    monkeypatch.setattr("peps.documents.pep_pdf", _quick_pdf)
    school = with_demo_calendar(SchoolFactory(name="Fenbridge Academy"))
    load(school, DEMO_DAY)
    written = load_demo_contributions(school, today=DEMO_DAY)

    assert sorted(link.audience for link in written) == ["carer", "social_worker"]
    [pep] = {link.pep for link in written}
    assert pep.status == "draft" and pep.pupil.legal_forename == "Amelia"
    carer = next(link for link in written if link.audience == "carer")
    social_worker = next(link for link in written if link.audience == "social_worker")
    carer.refresh_from_db()
    social_worker.refresh_from_db()
    assert carer.submitted_at is not None and social_worker.submitted_at is None
    [answer] = ContributionAnswer.objects.filter(request__pep=pep)
    assert answer.status == ContributionAnswer.Status.PROPOSED
    assert answer.question == "carer_views"
    # Each link went through the outbox; the DT's home page says an answer is waiting.
    assert OutboxMessage.objects.filter(template="pep_contribution_link").count() == 2
    [item] = contribution_items(school, None, capabilities=set(), today=DEMO_DAY)
    assert item.count == 1

    before = (ContributionRequest.objects.count(), OutboxMessage.objects.count())
    assert load_demo_contributions(school, today=DEMO_DAY) == []
    assert (ContributionRequest.objects.count(), OutboxMessage.objects.count()) == before
