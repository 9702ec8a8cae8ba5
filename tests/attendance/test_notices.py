"""The designated teacher decides each notice a concern proposes, through the pages: sent once
through the outbox, or not sent with an allow-listed reason; and the school's thresholds."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from attendance.models import AttendanceConcern, AttendanceNotice, AttendanceSettings
from core.models import AuditEvent
from notifications.models import OutboxMessage
from tests.pupil_factories import ContactFactory

D = dt.date
State = AttendanceNotice.State
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_the_day():
    with time_machine.travel(dt.datetime(2026, 10, 14, 10, 0), tick=False):
        yield


@pytest.fixture
def concern(school, child):
    found = AttendanceConcern.objects.create(
        school=school, pupil=child, kind="term", period="1", figure=80, opened_on=D(2026, 10, 14)
    )
    for recipient in ("social_worker", "virtual_school"):
        AttendanceNotice.objects.create(concern=found, recipient=recipient)
    return found


def _notice(concern, recipient) -> AttendanceNotice:
    return concern.notices.get(recipient=recipient)


def _url(concern, notice, action) -> str:
    return f"/attendance/concerns/{concern.pk}/notices/{notice.pk}/{action}/"


def test_the_dt_sends_the_social_worker_s_notice_once(dt_client, concern, child):
    worker = ContactFactory(pupil=child, email="dan.price@socialcare.test")
    notice = _notice(concern, "social_worker")
    response = dt_client.post(_url(concern, notice, "send"), follow=True)
    assert "Notice sent." in response.content.decode()
    again = dt_client.post(_url(concern, notice, "send"), follow=True)
    assert "already been decided" in again.content.decode()
    [email] = OutboxMessage.objects.all()
    assert email.recipient == worker.email and child.legal_forename in email.body_text
    notice.refresh_from_db()
    assert notice.state == State.SENT and notice.decided_by is not None
    event = AuditEvent.objects.get(action="attendance.notice_sent")
    assert event.pupil_id == child.pk
    assert event.changes == {"recipient": "social_worker", "state": "sent"}


def test_without_an_address_nothing_is_sent_and_the_dt_is_told_why(dt_client, concern):
    notice = _notice(concern, "social_worker")
    response = dt_client.post(_url(concern, notice, "send"), follow=True)
    assert "no email address for the child" in response.content.decode()
    assert not OutboxMessage.objects.exists()
    notice.refresh_from_db()
    assert notice.state == State.PROPOSED


def test_an_unconfirmed_virtual_school_address_is_not_sent_to(dt_client, concern):
    notice = _notice(concern, "virtual_school")
    response = dt_client.post(_url(concern, notice, "send"), follow=True)
    assert "not confirmed" in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_the_dt_records_why_a_notice_was_not_sent(dt_client, concern, child):
    notice = _notice(concern, "virtual_school")
    response = dt_client.post(
        _url(concern, notice, "not-sent"), {"reason": "already_told"}, follow=True
    )
    assert "Recorded why the notice was not sent." in response.content.decode()
    notice.refresh_from_db()
    assert (notice.state, notice.reason) == (State.NOT_SENT, "already_told")
    event = AuditEvent.objects.get(action="attendance.notice_not_sent")
    assert event.changes["reason"] == "already_told" and event.pupil_id == child.pk
    # Decided: it can be neither sent nor decided again.
    dt_client.post(_url(concern, notice, "send"))
    dt_client.post(_url(concern, notice, "not-sent"), {"reason": "explained"})
    notice.refresh_from_db()
    assert notice.reason == "already_told" and not OutboxMessage.objects.exists()


def test_a_reason_outside_the_list_is_refused(dt_client, concern):
    notice = _notice(concern, "virtual_school")
    response = dt_client.post(
        _url(concern, notice, "not-sent"), {"reason": "Mum said he was at the dentist"}, follow=True
    )
    assert "Choose why the notice is not sent." in response.content.decode()
    notice.refresh_from_db()
    assert notice.state == State.PROPOSED
    assert not AuditEvent.objects.filter(action="attendance.notice_not_sent").exists()


def test_another_school_s_notice_is_a_404(other_school_dt_client, concern):
    notice = _notice(concern, "virtual_school")
    response = other_school_dt_client.post(
        _url(concern, notice, "not-sent"), {"reason": "already_told"}
    )
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.state == State.PROPOSED


def test_the_head_sets_the_thresholds_and_the_change_is_audited(head_client, school):
    response = head_client.post(
        "/attendance/thresholds/", {"threshold_percent": "92.5", "unexplained_sessions": "6"}
    )
    assert response.status_code == 302
    saved = AttendanceSettings.objects.get(school=school)
    assert (saved.threshold_percent, saved.unexplained_sessions) == (Decimal("92.5"), 6)
    event = AuditEvent.objects.get(action="attendance.settings_changed")
    assert event.changes == {"threshold_percent": "92.5", "unexplained_sessions": "6"}
    page = head_client.get("/attendance/").content.decode()
    assert "(92.5%)" in page and "a run of 6 unexplained sessions" in page


@pytest.mark.parametrize("threshold,sessions", [("49", "4"), ("100.1", "4"), ("90", "0")])
def test_a_threshold_out_of_range_is_refused(dt_client, school, threshold, sessions):
    response = dt_client.post(
        "/attendance/thresholds/",
        {"threshold_percent": threshold, "unexplained_sessions": sessions},
    )
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert not AttendanceSettings.objects.filter(school=school).exists()
