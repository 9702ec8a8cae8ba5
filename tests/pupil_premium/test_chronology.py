"""The PP+ ledger's entries in a child's chronology: each decision, spend and outcome on its
own date; a request not yet decided and a withdrawn item have none."""

import datetime as dt

import pytest

from pupil_premium.chronology import pp_entries
from tests.pupil_premium.factories import AllocationFactory, ItemFactory

pytestmark = pytest.mark.django_db


def _titles(pupil):
    return sorted((e.when, e.title) for e in pp_entries(pupil, None))


def test_each_step_of_an_item_is_an_entry_on_its_own_date(adopted, teacher):
    AllocationFactory(pupil=adopted, received_on=dt.date(2026, 5, 1))
    ItemFactory(
        pupil=adopted,
        status="spent",
        decided_by=teacher,
        decided_on=dt.date(2026, 10, 6),
        spent_on=dt.date(2026, 10, 20),
        outcome="achieved",
        outcome_on=dt.date(2027, 2, 1),
    )
    ItemFactory(
        pupil=adopted, status="declined", decided_by=teacher, decided_on=dt.date(2026, 11, 2)
    )
    ItemFactory(pupil=adopted, status="requested")
    ItemFactory(pupil=adopted, status="withdrawn", decided_on=dt.date(2026, 11, 3))

    titles = [title for _, title in _titles(adopted)]

    assert titles == [
        "PP+ allocation recorded: £2,630.00",
        "PP+ approved by the school: £450.00",
        "PP+ spent: £450.00",
        "PP+ request declined: £450.00",
        "PP+ target reviewed: achieved",
    ]
