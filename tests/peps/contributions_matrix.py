"""The matrix rows of the designated teacher's pages for views asked for before a PEP meeting
(peps/contributions/views.py). The contributor's pages are outside login and have their own
matrix: tests/peps/test_contributions_public_matrix.py."""

import datetime as dt

from peps.contributions.models import ContributionAnswer, ContributionRequest
from tests.matrix import COHORT, EDITORS, Page
from tests.peps.matrix import pep_records


def contribution_records(school) -> dict:
    draft = pep_records(school)["draft"]
    link = ContributionRequest.objects.create(
        pep=draft,
        audience="carer",
        name="Sam Carter",
        email="sam@carer.test",
        questions=["carer_views"],
        sent_on=dt.date(2026, 10, 12),
        expires_on=dt.date(2026, 11, 6),
    )
    answer = ContributionAnswer.objects.create(
        request=link, question="carer_views", text="Settled and happy"
    )
    return {"pep": draft, "link": link, "answer": answer}


def _draft(school) -> dict:
    return {"pk": contribution_records(school)["pep"].pk}


def _link(school) -> dict:
    records = contribution_records(school)
    return {"pk": records["pep"].pk, "link_id": records["link"].pk}


def _answer(school) -> dict:
    records = contribution_records(school)
    return {"pk": records["pep"].pk, "answer_id": records["answer"].pk}


CONTRIBUTION_PAGES = [
    Page("contributions:list", COHORT, record=_draft),
    Page("contributions:ask", EDITORS, record=_draft),
    Page("contributions:set_aside", EDITORS, record=_answer),
    Page("contributions:revoke", EDITORS, record=_link, method="post"),
    Page("contributions:accept", EDITORS, record=_answer, method="post"),
]
