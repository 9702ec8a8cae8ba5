"""The outbox against the real Redis broker, real Celery workers and a real SMTP server.

Each test waits (at most ``WAIT_SECONDS``) for the tasks it queued to have run, so what it
asserts afterwards is final, not a snapshot of work in progress.
"""

import pytest
from django.db import transaction

from notifications.models import OutboxMessage
from notifications.services import message_queue
from notifications.tasks import outbox_flush, outbox_send
from tests.notifications.conftest import wait_until
from tests.notifications.factories import OutboxMessageFactory

SEND = "notifications.tasks.outbox_send"

pytestmark = pytest.mark.slow


def test_a_message_delivered_five_times_to_two_workers_is_sent_exactly_once(
    workers, smtp_server, task_log, school
):
    with transaction.atomic():
        message = message_queue(
            recipient="vs@cambs.test",
            template="test_message",
            context={},
            dedupe_key="exactly-once",
            school=school,
        )
    # The queue holds one task from the commit; four more stand for redeliveries (a worker
    # that died before acknowledging, a flush that ran while the first was in flight).
    for _ in range(4):
        outbox_send.delay(message.pk)

    with workers(2):
        runs = task_log.wait_for(SEND, 5)

    assert len(smtp_server) == 1
    assert smtp_server.envelopes[0].rcpt_tos == ["vs@cambs.test"]
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert sorted(run.retval for run in runs) == ["not_claimed"] * 4 + ["sent"]


def test_a_refused_connection_is_retried_until_the_last_attempt_then_fails(
    workers, refusing_smtp, task_log, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BASE_SECONDS = 0
    message = OutboxMessageFactory()
    outbox_send.delay(message.pk)

    with workers(1):
        runs = task_log.wait_for(SEND, 3)

    message.refresh_from_db()
    assert message.state == OutboxMessage.State.FAILED
    assert message.attempts == 3
    assert "Connection refused" in message.last_error
    assert message.sent_at is None
    assert [run.retval for run in runs] == ["retry_scheduled", "retry_scheduled", "failed"]


def test_flush_sends_a_queued_message_whose_task_was_lost(workers, smtp_server, task_log):
    # Created without a task: as if the broker was down when the row was committed.
    message = OutboxMessageFactory(recipient="carer@example.test")

    with workers(1):
        outbox_flush.delay()
        task_log.wait_for(SEND, 1)
        wait_until(lambda: len(smtp_server) == 1, what="the email at the SMTP server")

    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert smtp_server.envelopes[0].rcpt_tos == ["carer@example.test"]
