"""The outbox pages: who may open them, what a school sees, and sending a failed message again."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent
from core.sensitivity import Sensitivity
from notifications.models import OutboxMessage
from notifications.services import STUCK_ERROR
from tests.notifications.factories import OutboxMessageFactory
from tests.pupil_factories import PupilFactory

pytestmark = pytest.mark.django_db

OUTBOX = reverse("notifications:outbox")


def _message_url(message):
    return reverse("notifications:outbox_message", args=[message.pk])


def _retry_url(message):
    return reverse("notifications:outbox_retry", args=[message.pk])


# --- Who may open the outbox ------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.HEADTEACHER, Role.ADMINISTRATOR])
def test_head_and_school_administrator_see_the_outbox_and_a_message(make_client, school, role):
    client = make_client(school, role)
    message = OutboxMessageFactory(school=school)

    assert client.get(OUTBOX).status_code == 200
    assert client.get(_message_url(message)).status_code == 200


@pytest.mark.parametrize(
    "role", [Role.DESIGNATED_TEACHER, Role.DSL, Role.DEPUTY_DSL, Role.GOVERNOR, Role.STAFF]
)
def test_other_roles_are_refused_the_outbox(make_client, school, role):
    client = make_client(school, role)
    message = OutboxMessageFactory(school=school, state=OutboxMessage.State.FAILED)

    assert client.get(OUTBOX).status_code == 403
    assert client.get(_message_url(message)).status_code == 403
    assert client.post(_retry_url(message)).status_code == 403
    assert OutboxMessage.objects.get(pk=message.pk).state == OutboxMessage.State.FAILED


def test_a_signed_out_visitor_is_sent_to_sign_in(client, school):
    message = OutboxMessageFactory(school=school)

    for url in (OUTBOX, _message_url(message)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_message_of_another_school_is_not_found(head_client, other_school):
    message = OutboxMessageFactory(school=other_school, state=OutboxMessage.State.FAILED)

    assert head_client.get(_message_url(message)).status_code == 404
    assert head_client.post(_retry_url(message)).status_code == 404
    assert OutboxMessage.objects.get(pk=message.pk).state == OutboxMessage.State.FAILED


def test_a_message_without_a_school_is_not_found(head_client):
    # A password reset: only a superuser sees it, in the Django admin.
    message = OutboxMessageFactory(school=None)

    assert head_client.get(_message_url(message)).status_code == 404


# --- The list ---------------------------------------------------------------------------------


def test_the_list_shows_only_this_schools_messages(head_client, school, other_school):
    OutboxMessageFactory(school=school, subject="PEP recorded for this school")
    OutboxMessageFactory(school=other_school, subject="PEP recorded elsewhere")
    OutboxMessageFactory(school=None, subject="Reset your Harbour password")

    page = head_client.get(OUTBOX).content.decode()

    assert "PEP recorded for this school" in page
    assert "PEP recorded elsewhere" not in page
    assert "Reset your Harbour password" not in page


def test_the_list_shows_state_attempts_last_error_and_what_it_is_about(head_client, school):
    OutboxMessageFactory(
        school=school,
        state=OutboxMessage.State.FAILED,
        attempts=5,
        last_error="SMTPRecipientsRefused: mailbox unavailable",
        about_label="PEP, autumn 2026: Amelia Stone",
    )
    OutboxMessageFactory(school=school, state=OutboxMessage.State.SENT, attempts=1)

    page = head_client.get(OUTBOX).content.decode()

    assert '<strong class="govuk-tag govuk-tag--red">Failed</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--green">Sent</strong>' in page
    assert "SMTPRecipientsRefused: mailbox unavailable" in page
    assert "PEP, autumn 2026: Amelia Stone" in page
    assert ">5</td>" in page


def test_the_list_filters_by_state(head_client, school):
    OutboxMessageFactory(school=school, subject="Failed one", state=OutboxMessage.State.FAILED)
    OutboxMessageFactory(school=school, subject="Sent one", state=OutboxMessage.State.SENT)

    page = head_client.get(OUTBOX, {"state": "failed"}).content.decode()

    assert "Failed one" in page
    assert "Sent one" not in page


def test_the_list_searches_recipient_and_subject(head_client, school):
    OutboxMessageFactory(school=school, subject="Suspension notice", recipient="sw@cambs.test")
    OutboxMessageFactory(school=school, subject="PEP recorded", recipient="vs@norfolk.test")

    by_recipient = head_client.get(OUTBOX, {"q": "SW@CAMBS"}).content.decode()
    by_subject = head_client.get(OUTBOX, {"q": "pep rec"}).content.decode()

    assert "Suspension notice" in by_recipient and "PEP recorded" not in by_recipient
    assert "PEP recorded" in by_subject and "Suspension notice" not in by_subject


def test_an_unknown_state_shows_the_error_and_filters_nothing_by_it(head_client, school):
    OutboxMessageFactory(school=school, subject="Any message")

    response = head_client.get(OUTBOX, {"state": "lost"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "lost is not one of the available choices" in page


def test_the_list_is_paginated_by_50_and_keeps_the_filters(head_client, school):
    OutboxMessageFactory.create_batch(51, school=school, state=OutboxMessage.State.SENT)

    first = head_client.get(OUTBOX, {"state": "sent"})
    second = head_client.get(OUTBOX, {"state": "sent", "page": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 1
    assert "?state=sent&amp;page=2" in first.content.decode()


@pytest.mark.parametrize("count", [1, 50])
def test_the_list_takes_the_same_number_of_queries_however_many_messages(
    head_client, school, count, django_assert_max_num_queries
):
    OutboxMessageFactory.create_batch(count, school=school, about_label="A pupil's PEP")
    # 1 session, 2 user, 3 the verified TOTP device, 4 memberships with their schools (the
    # current school), 5 count of the school's messages, 6 the page of up to 50 messages,
    # 7-9 saving the session (SESSION_SAVE_EVERY_REQUEST): savepoint, update, release.
    with django_assert_max_num_queries(9):
        response = head_client.get(OUTBOX)
    assert response.status_code == 200


# --- One message and sending it again -------------------------------------------------------


def test_a_message_shows_its_text_and_is_audited_as_read(head_client, school):
    message = OutboxMessageFactory(school=school, body_text="The PEP for Amelia is attached.")

    page = head_client.get(_message_url(message)).content.decode()

    assert "The PEP for Amelia is attached." in page
    assert "Send it again" not in page
    assert AuditEvent.objects.filter(action="outbox.viewed", object_id=str(message.pk)).exists()


def test_reading_a_message_about_a_child_is_on_the_childs_trail(head_client, school):
    child = PupilFactory(school=school)
    message = OutboxMessageFactory(school=school, about_pupil_id=child.pk)

    assert head_client.get(_message_url(message)).status_code == 200

    event = AuditEvent.objects.get(action="outbox.viewed", object_id=str(message.pk))
    assert event.pupil_id == child.pk


def test_reading_a_safeguarding_message_leaves_no_child_to_find_it_by(head_client, school):
    child = PupilFactory(school=school)
    message = OutboxMessageFactory(
        school=school, about_pupil_id=child.pk, sensitivity=Sensitivity.SAFEGUARDING
    )

    head_client.get(_message_url(message))

    event = AuditEvent.objects.get(action="outbox.viewed", object_id=str(message.pk))
    assert event.pupil_id is None


def test_a_failed_message_offers_to_send_it_again(head_client, school):
    message = OutboxMessageFactory(
        school=school, state=OutboxMessage.State.FAILED, attempts=5, last_error="Timed out"
    )

    page = head_client.get(_message_url(message)).content.decode()

    assert "Send it again" in page
    assert "Timed out" in page


def test_a_message_a_stopped_worker_may_have_sent_warns_to_check_first(head_client, school):
    message = OutboxMessageFactory(
        school=school, state=OutboxMessage.State.FAILED, attempts=1, last_error=STUCK_ERROR
    )

    page = head_client.get(_message_url(message)).content.decode()

    assert "may have reached" in page


def test_retrying_a_failed_message_queues_it_again_and_is_audited(
    make_client, school, django_capture_on_commit_callbacks
):
    client = make_client(school, Role.ADMINISTRATOR)
    message = OutboxMessageFactory(
        school=school, state=OutboxMessage.State.FAILED, attempts=5, last_error="Timed out"
    )

    with django_capture_on_commit_callbacks() as enqueued:
        response = client.post(_retry_url(message), follow=True)

    assert response.redirect_chain[-1][0] == _message_url(message)
    assert "will be sent again" in response.content.decode()
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.QUEUED
    assert message.attempts == 5  # kept: this is one more attempt, not five more
    assert len(enqueued) == 1
    event = AuditEvent.objects.get(action="outbox.retried")
    assert event.object_id == str(message.pk)
    assert event.school == school
    assert event.actor == response.wsgi_request.user
    assert event.changes == {"state": ["failed", "queued"]}


@pytest.mark.parametrize(
    "state",
    [OutboxMessage.State.SENT, OutboxMessage.State.QUEUED, OutboxMessage.State.SENDING],
)
def test_retrying_a_message_that_has_not_failed_is_refused(
    head_client, school, state, django_capture_on_commit_callbacks
):
    message = OutboxMessageFactory(school=school, state=state, attempts=1)

    with django_capture_on_commit_callbacks() as enqueued:
        response = head_client.post(_retry_url(message), follow=True)

    assert "Only a message that failed can be sent again" in response.content.decode()
    assert OutboxMessage.objects.get(pk=message.pk).state == state
    assert enqueued == []
    assert not AuditEvent.objects.filter(action="outbox.retried").exists()


def test_retry_is_a_post(head_client, school):
    message = OutboxMessageFactory(school=school, state=OutboxMessage.State.FAILED)

    assert head_client.get(_retry_url(message)).status_code == 405
    assert OutboxMessage.objects.get(pk=message.pk).state == OutboxMessage.State.FAILED
