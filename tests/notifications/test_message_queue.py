"""``message_queue``: one row per dedupe key, and a task only once the caller's change commits.

These tests commit for real (``transactional_db``) and look at the Redis queue itself: a task
in it is a message that will be sent.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import transaction

from notifications.models import OutboxMessage
from notifications.services import Attachment, message_queue
from tests.notifications.conftest import queued_task_count
from tests.pupil_factories import PupilFactory


def _queue(school, dedupe_key="pep-41-v2-virtual-school", **kwargs):
    return message_queue(
        recipient="vs@cambs.test",
        template="test_message",
        context={},
        dedupe_key=dedupe_key,
        school=school,
        **kwargs,
    )


@pytest.mark.django_db(transaction=True)
def test_the_message_is_rendered_from_its_templates_and_queued_on_commit(broker, school):
    with transaction.atomic():
        message = _queue(
            school, about=school, attachment=Attachment("pep.pdf", "application/pdf", b"%PDF")
        )
        assert queued_task_count(broker) == 0  # not before the commit

    assert queued_task_count(broker) == 1
    message.refresh_from_db()
    assert message.subject == "Test message from Harbour for Fenbridge Academy"
    assert "send email to vs@cambs.test" in message.body_text
    assert "<p>This is a test message from Harbour for Fenbridge Academy." in message.body_html
    assert message.about_label == "Fenbridge Academy"
    assert (message.attachment_name, bytes(message.attachment)) == ("pep.pdf", b"%PDF")
    assert (message.state, message.attempts) == (OutboxMessage.State.QUEUED, 0)


@pytest.mark.django_db(transaction=True)
def test_queueing_the_same_key_twice_gives_one_row_and_one_task(broker, school):
    first = _queue(school)
    second = _queue(school)

    assert second.pk == first.pk
    assert OutboxMessage.objects.count() == 1
    assert queued_task_count(broker) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_message_and_queues_nothing(broker, school):
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue(school)
        raise RuntimeError("the change that caused the message failed")

    assert not OutboxMessage.objects.exists()
    assert queued_task_count(broker) == 0


@pytest.mark.django_db
def test_subject_and_text_body_are_plain_text_and_only_the_html_is_escaped(school):
    # A subject is plain text: "O&#x27;Brien" in a teacher's inbox is a bug, and so is "&amp;".
    school.name = "St Mary & St John"
    school.save()
    child = PupilFactory(school=school, legal_forename="Aoife", legal_surname="O'Brien")

    message = message_queue(
        recipient="vs@cambs.test",
        template="pep_overdue_virtual_school",
        context={
            "pupil": child,
            "status": SimpleNamespace(
                term="autumn term 2026", deadline=dt.date(2026, 11, 2), school_days_overdue=12
            ),
            "virtual_school": None,
            "teachers": "",
        },
        dedupe_key="overdue-obrien",
        school=school,
        pupil=child,
    )

    assert message.subject == "PEP overdue for Aoife O'Brien: St Mary & St John"
    assert "Aoife O'Brien" in message.body_text
    assert "at St Mary & St John" in message.body_text
    assert "Aoife O&#x27;Brien" in message.body_html
    assert "St Mary &amp; St John" in message.body_html


@pytest.mark.django_db
def test_a_text_body_without_autoescape_off_is_not_escaped_either(school):
    # test_message.txt has no {% autoescape off %}: message_queue decides, not the template.
    school.name = "St Mary & St John"
    school.save()

    message = _queue(school)

    assert message.subject == "Test message from Harbour for St Mary & St John"
    assert "from Harbour for St Mary & St John." in message.body_text
    assert "for St Mary &amp; St John." in message.body_html
