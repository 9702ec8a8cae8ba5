"""The PP+ ledger's rows for the permission matrix (tests/test_access_matrix.py).

Each record builder makes, for the given school, a child previously in care (adopted) with a
2026 allocation and a requested item; approving or declining their spend needs
APPROVE_PP_SPEND (the head and the DT), which the matrix holds equal to the role table."""

import datetime as dt

from accounts.roles import Role
from tests.matrix import COHORT, EDITORS, PP_APPROVERS, Page
from tests.pupil_factories import CareEpisodeFactory, PupilFactory
from tests.pupil_premium.factories import AllocationFactory, ItemFactory


def pp_records(school) -> dict:
    pupil = PupilFactory(school=school)
    CareEpisodeFactory(
        pupil=pupil,
        kind="previously_in_care",
        start_date=dt.date(2021, 3, 1),
        legal_basis="adoption",
    )
    AllocationFactory(pupil=pupil)
    return {"pupil": pupil, "item": ItemFactory(pupil=pupil)}


def _pupil(school) -> dict:
    return {"pupil_id": pp_records(school)["pupil"].pk}


def _item(school) -> dict:
    return {"pk": pp_records(school)["item"].pk}


PP_PAGES = [
    Page("pupil_premium:summary", COHORT),
    Page("pupil_premium:export", COHORT),
    Page("pupil_premium:rates", frozenset({Role.HEADTEACHER, Role.ADMINISTRATOR})),
    Page("pupil_premium:ledger", COHORT, record=_pupil),
    Page("pupil_premium:allocation", EDITORS, record=_pupil),
    Page("pupil_premium:item_add", EDITORS, record=_pupil),
    Page("pupil_premium:item_edit", EDITORS, record=_item),
    Page("pupil_premium:item_approve", EDITORS & PP_APPROVERS, record=_item),
    Page("pupil_premium:item_decline", EDITORS & PP_APPROVERS, record=_item),
    Page("pupil_premium:item_spend", EDITORS, record=_item),
    Page("pupil_premium:item_impact", EDITORS, record=_item),
]
