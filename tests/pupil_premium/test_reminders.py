"""The unspent-PP+ reminder: eight weeks before 31 March, once per school, year and teacher."""

from decimal import Decimal

import pytest

from notifications.models import OutboxMessage
from pupil_premium import reminders
from tests.pupil_premium.conftest import D
from tests.pupil_premium.factories import AllocationFactory, ItemFactory

pytestmark = pytest.mark.django_db


def test_the_reminder_day_is_eight_weeks_before_31_march():
    assert reminders.reminder_day(2026) == D(2027, 2, 3)


def test_one_digest_per_teacher_and_year_however_often_the_sweep_runs(adopted, teacher):
    AllocationFactory(pupil=adopted, amount=Decimal("2630.00"))
    ItemFactory(
        pupil=adopted,
        status="spent",
        amount=Decimal("2629.99"),
        spent_on=D(2026, 11, 1),
        decided_by=teacher,
        decided_on=D(2026, 10, 6),
    )
    assert reminders.pp_reminders_sweep(today=D(2027, 2, 2)).digests == 0  # too early
    assert reminders.pp_reminders_sweep(today=D(2027, 2, 3)).digests == 1
    assert reminders.pp_reminders_sweep(today=D(2027, 2, 3)).digests == 0
    assert reminders.pp_reminders_sweep(today=D(2027, 3, 1)).digests == 0
    message = OutboxMessage.objects.get()
    assert message.recipient == teacher.email
    assert "£0.01 remaining" in message.body_text
    # The next financial year has its own reminder.
    AllocationFactory(pupil=adopted, financial_year=2027)
    assert reminders.pp_reminders_sweep(today=D(2028, 2, 10)).digests == 1


def test_no_digest_when_every_allocation_is_used(adopted, teacher):
    AllocationFactory(pupil=adopted, amount=Decimal("100.00"))
    ItemFactory(
        pupil=adopted,
        status="approved",
        amount=Decimal("100.00"),
        decided_by=teacher,
        decided_on=D(2026, 10, 6),
    )
    assert reminders.pp_reminders_sweep(today=D(2027, 2, 3)).digests == 0
