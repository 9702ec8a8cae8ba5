"""The administrator oversees the audit log and the outbox but sees no child's record: not the
values changed on a child's record, nor what an email about a child says. The head sees both."""

import pytest

from core.models import AuditEvent
from notifications.models import OutboxMessage


@pytest.fixture
def changed_date_of_birth(school):
    # A row written before core migration 0002: today a date of birth is kept by name only.
    return AuditEvent.objects.create(
        action="pupil.updated",
        school=school,
        pupil_id=41,
        changes={"date_of_birth": ["2015-03-02", "2015-03-12"]},
    )


@pytest.mark.django_db
def test_administrator_sees_which_fields_of_a_child_changed_but_not_their_values(
    school_admin_client, changed_date_of_birth
):
    page = school_admin_client.get("/accounts/audit/").content.decode()
    assert "date_of_birth changed" in page
    assert "2015-03-12" not in page


@pytest.mark.django_db
def test_head_sees_the_values_changed_on_a_childs_record(head_client, changed_date_of_birth):
    page = head_client.get("/accounts/audit/").content.decode()
    assert "2015-03-02 → 2015-03-12" in page


@pytest.fixture
def pep_email(school):
    return OutboxMessage.objects.create(
        school=school,
        recipient="virtualschool@la.test",
        subject="PEP overdue",
        body_text="Leila's placement has changed twice this term.",
        dedupe_key="pep-overdue-1",
    )


@pytest.mark.django_db
def test_administrator_does_not_read_what_an_email_says(school_admin_client, pep_email):
    page = school_admin_client.get(f"/outbox/{pep_email.pk}/").content.decode()
    assert "placement has changed" not in page
    assert "Only staff who can see children's records" in page


@pytest.mark.django_db
def test_head_reads_what_an_email_says(head_client, pep_email):
    page = head_client.get(f"/outbox/{pep_email.pk}/").content.decode()
    assert "placement has changed twice" in page
