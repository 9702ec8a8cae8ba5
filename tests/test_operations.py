"""Operations: the health check, the append-only audit log, the Django admin's door."""

import pytest
from django.db import DatabaseError, connection, transaction

from core.audit import audit_record
from core.models import AuditEvent
from pupils.audit import PupilAction


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_says_unhealthy_when_the_broker_is_unreachable(client):
    from config.celery import app

    # Celery resolved broker_url into broker_write_url when it loaded; the check writes.
    saved = app.conf.broker_write_url
    app.conf.broker_write_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_write_url = saved
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_audit_log_refuses_update_in_the_database(school):
    event = audit_record(action=PupilAction.VIEWED, school=school)
    sql = "UPDATE accounts_auditevent SET action = 'nothing.happened' WHERE id = %s"
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "pupil.viewed"


@pytest.mark.django_db
def test_audit_log_refuses_delete_in_the_database(school):
    event = audit_record(action=PupilAction.VIEWED, school=school)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM accounts_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_audit_log_has_no_update_or_delete_in_the_application(school):
    event = audit_record(action=PupilAction.VIEWED, school=school)
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        event.delete()
    event.action = "x"
    with pytest.raises(PermissionError):
        event.save()
