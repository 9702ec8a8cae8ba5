"""``message_send`` on its own: the claim, the email it builds, the backoff and the last attempt.

These call the service in the test's thread with Django's in-memory backend (or an SMTP port
that refuses connections); the workers' tests prove the same against Redis and real workers.
"""

import datetime as dt
import logging

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import OutboxMessage
from notifications.services import SendOutcome, message_send
from tests.notifications.factories import OutboxMessageFactory

NOW = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def test_a_due_message_is_sent_as_text_with_an_html_alternative_and_its_attachment(settings):
    settings.DEFAULT_FROM_EMAIL = "Harbour <harbour@fenbridge.test>"
    message = OutboxMessageFactory(
        recipient="vs@cambs.test",
        subject="PEP for A. Pupil",
        body_text="Plain words",
        body_html="<p>Plain words</p>",
        attachment_name="pep.pdf",
        attachment_type="application/pdf",
        attachment=b"%PDF-1.7 fake",
        next_attempt_at=NOW,
    )

    assert message_send(message_pk=message.pk, now=NOW) == SendOutcome.SENT

    [email] = mail.outbox
    assert email.to == ["vs@cambs.test"]
    assert email.from_email == "Harbour <harbour@fenbridge.test>"
    assert email.subject == "PEP for A. Pupil"
    assert email.body == "Plain words"
    assert email.alternatives[0][:2] == ("<p>Plain words</p>", "text/html")
    assert email.attachments[0][:3] == ("pep.pdf", b"%PDF-1.7 fake", "application/pdf")
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert message.attempts == 1
    assert message.claimed_at == NOW
    assert message.sent_at is not None


def test_a_message_without_html_is_sent_as_text_only():
    message = OutboxMessageFactory(body_html="", next_attempt_at=NOW)

    message_send(message_pk=message.pk, now=NOW)

    assert mail.outbox[0].alternatives == []


@pytest.mark.parametrize(
    "state",
    [OutboxMessage.State.SENT, OutboxMessage.State.SENDING, OutboxMessage.State.FAILED],
)
def test_a_message_that_is_not_queued_is_not_claimed_and_not_sent(state):
    message = OutboxMessageFactory(state=state, attempts=1, next_attempt_at=NOW)

    assert message_send(message_pk=message.pk, now=NOW) == SendOutcome.NOT_CLAIMED

    assert mail.outbox == []
    message.refresh_from_db()
    assert (message.state, message.attempts) == (state, 1)


def test_a_message_whose_next_attempt_is_not_due_waits():
    message = OutboxMessageFactory(next_attempt_at=NOW + dt.timedelta(seconds=1))

    assert message_send(message_pk=message.pk, now=NOW) == SendOutcome.NOT_CLAIMED

    assert mail.outbox == []
    assert OutboxMessage.objects.get(pk=message.pk).state == OutboxMessage.State.QUEUED


def test_a_message_that_no_longer_exists_is_not_claimed():
    assert message_send(message_pk=987654, now=NOW) == SendOutcome.NOT_CLAIMED


@pytest.mark.parametrize(("attempts_before", "wait_seconds"), [(0, 60), (1, 120), (3, 480)])
def test_a_failed_attempt_is_retried_after_a_doubling_wait(
    refusing_smtp, settings, django_capture_on_commit_callbacks, attempts_before, wait_seconds
):
    settings.OUTBOX_MAX_ATTEMPTS = 5
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    message = OutboxMessageFactory(attempts=attempts_before, next_attempt_at=NOW)

    with django_capture_on_commit_callbacks() as enqueued:
        outcome = message_send(message_pk=message.pk, now=NOW)

    assert outcome == SendOutcome.RETRY_SCHEDULED
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.QUEUED
    assert message.attempts == attempts_before + 1
    assert message.next_attempt_at == NOW + dt.timedelta(seconds=wait_seconds)
    assert "Connection refused" in message.last_error
    assert len(enqueued) == 1  # the retry's task, with that countdown


def test_the_last_attempt_failing_marks_the_message_failed_and_schedules_nothing(
    refusing_smtp, settings, django_capture_on_commit_callbacks, caplog
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    message = OutboxMessageFactory(attempts=2, next_attempt_at=NOW)

    with (
        caplog.at_level(logging.INFO, "notifications"),
        django_capture_on_commit_callbacks() as enqueued,
    ):
        outcome = message_send(message_pk=message.pk, now=NOW)

    assert outcome == SendOutcome.FAILED
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxMessage.State.FAILED, 3)
    assert "ConnectionRefusedError" in message.last_error
    assert enqueued == []
    [record] = [r for r in caplog.records if r.name == "notifications.services"]
    assert record.levelno == logging.ERROR
    assert (record.outbox_message, record.attempt, record.outcome) == (message.pk, 3, "failed")


def test_sent_at_is_when_the_email_left():
    message = OutboxMessageFactory(next_attempt_at=NOW)
    before = timezone.now()

    message_send(message_pk=message.pk, now=NOW)

    message.refresh_from_db()
    assert message.sent_at >= before
