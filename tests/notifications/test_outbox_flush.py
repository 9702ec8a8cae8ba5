"""``outbox_flush``, the periodic safety net: it enqueues due messages whose task was lost, and
gives up on messages a worker stopped sending, without ever sending those again by itself."""

import datetime as dt

import pytest
import time_machine

from notifications.models import OutboxMessage
from notifications.services import STUCK_ERROR
from notifications.tasks import outbox_flush
from tests.notifications.conftest import queued_task_count
from tests.notifications.factories import OutboxMessageFactory

NOW = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def test_a_due_queued_message_without_a_task_is_enqueued(broker):
    OutboxMessageFactory(next_attempt_at=NOW - dt.timedelta(seconds=1))

    with time_machine.travel(NOW, tick=False):
        assert outbox_flush() == {"enqueued": 1, "abandoned": 0}

    assert queued_task_count(broker) == 1


def test_a_queued_message_waiting_for_its_retry_is_left_alone(broker):
    OutboxMessageFactory(attempts=1, next_attempt_at=NOW + dt.timedelta(minutes=2))

    with time_machine.travel(NOW, tick=False):
        assert outbox_flush() == {"enqueued": 0, "abandoned": 0}

    assert queued_task_count(broker) == 0


def test_a_message_stuck_in_sending_for_more_than_15_minutes_fails_and_is_not_resent(broker):
    claimed = NOW - dt.timedelta(minutes=20)
    stuck = OutboxMessageFactory(
        state=OutboxMessage.State.SENDING, attempts=1, claimed_at=claimed, next_attempt_at=claimed
    )

    with time_machine.travel(NOW, tick=False):
        assert outbox_flush() == {"enqueued": 0, "abandoned": 1}

    stuck.refresh_from_db()
    assert stuck.state == OutboxMessage.State.FAILED
    assert stuck.last_error == STUCK_ERROR
    assert stuck.attempts == 1
    assert queued_task_count(broker) == 0


def test_a_message_sending_for_less_than_15_minutes_is_left_to_its_worker(broker):
    claimed = NOW - dt.timedelta(minutes=14)
    sending = OutboxMessageFactory(
        state=OutboxMessage.State.SENDING, attempts=1, claimed_at=claimed, next_attempt_at=claimed
    )

    with time_machine.travel(NOW, tick=False):
        assert outbox_flush() == {"enqueued": 0, "abandoned": 0}

    sending.refresh_from_db()
    assert sending.state == OutboxMessage.State.SENDING


def test_sent_and_failed_messages_are_never_enqueued(broker):
    OutboxMessageFactory(state=OutboxMessage.State.SENT, next_attempt_at=NOW)
    OutboxMessageFactory(state=OutboxMessage.State.FAILED, next_attempt_at=NOW)

    with time_machine.travel(NOW, tick=False):
        assert outbox_flush() == {"enqueued": 0, "abandoned": 0}

    assert queued_task_count(broker) == 0
