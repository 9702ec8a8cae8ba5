"""The Django admin shows every message, the schoolless ones too, and changes none."""

import pytest
from django.urls import reverse

from tests.conftest import sign_in
from tests.factories import UserFactory
from tests.notifications.factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    return sign_in(client, UserFactory(is_staff=True, is_superuser=True))


def test_a_superuser_sees_every_message_including_password_resets(superuser_client, school):
    OutboxMessageFactory(school=None, subject="Reset your Harbour password")
    OutboxMessageFactory(school=school, subject="PEP recorded")

    page = superuser_client.get(reverse("admin:notifications_outboxmessage_changelist"))

    assert page.status_code == 200
    assert "Reset your Harbour password" in page.content.decode()
    assert "PEP recorded" in page.content.decode()


def test_the_admin_cannot_add_change_or_delete_a_message(superuser_client, school):
    message = OutboxMessageFactory(school=school, attachment=b"%PDF", attachment_name="pep.pdf")
    change = reverse("admin:notifications_outboxmessage_change", args=[message.pk])

    assert superuser_client.get(change).status_code == 200  # view only
    assert superuser_client.post(change, {"subject": "Changed"}).status_code == 403
    assert superuser_client.get(reverse("admin:notifications_outboxmessage_add")).status_code == 403
    delete = reverse("admin:notifications_outboxmessage_delete", args=[message.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    message.refresh_from_db()
    assert message.subject != "Changed"
