import factory

from notifications.models import OutboxMessage


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    """A row in the outbox as ``message_queue`` leaves it, without queueing a task."""

    class Meta:
        model = OutboxMessage

    recipient = factory.Sequence(lambda n: f"adviser{n}@virtualschool.test")
    subject = factory.Sequence(lambda n: f"PEP meeting {n} recorded")
    body_text = "The PEP meeting was recorded in Harbour."
    body_html = "<p>The PEP meeting was recorded in Harbour.</p>"
    dedupe_key = factory.Sequence(lambda n: f"test-message-{n}")
