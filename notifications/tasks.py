from celery import shared_task


@shared_task
def outbox_send(message_pk: int) -> None:
    from notifications.services import message_send

    message_send(message_pk=message_pk)
