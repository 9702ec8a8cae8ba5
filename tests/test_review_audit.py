"""Review: what the audit log keeps. The administrator reads it and may not see children's
records, so a PEP's audit entries name what changed, never what the teacher typed."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from tests.peps.matrix import pep_records

pytestmark = pytest.mark.django_db


def test_starting_a_correction_is_audited_without_the_reason_typed(dt_client, school):
    completed = pep_records(school)["completed"]
    reason = "Amelia disclosed at the meeting that her placement is breaking down"
    response = dt_client.post(reverse("peps:pep_correct", args=[completed.pk]), {"reason": reason})
    assert response.status_code == 302

    event = AuditEvent.objects.get(action="pep.correction_started")
    assert event.changes == {"corrects_version": 1}
    assert "placement" not in str(event.changes)


def test_the_reason_stays_with_the_correction_itself(dt_client, school):
    completed = pep_records(school)["completed"]
    dt_client.post(reverse("peps:pep_correct", args=[completed.pk]), {"reason": "Wrong day"})
    completed.refresh_from_db()
    assert completed.superseded_by.correction_reason == "Wrong day"


def test_an_administrator_reading_the_audit_log_does_not_see_a_correction_reason(
    dt_client, school_admin_client, school
):
    completed = pep_records(school)["completed"]
    dt_client.post(
        reverse("peps:pep_correct", args=[completed.pk]),
        {"reason": "Tutoring moved after the social worker's visit on Monday"},
    )
    page = school_admin_client.get(reverse("accounts:audit"), {"action": "correction"})
    assert page.status_code == 200
    assert "pep.correction_started" in page.content.decode()
    assert "social worker" not in page.content.decode()
