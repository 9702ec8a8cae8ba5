"""Writing the audit log. Services call ``audit_record`` for every change to a case record;
views call it when they show a sensitive record (a pupil, a concern, a PDF)."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from core.models import AuditEvent


def audit_record(
    *,
    action: str,
    actor=None,
    school=None,
    obj: models.Model | None = None,
    pupil_id: int | None = None,
    changes: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    if request is not None:
        actor = actor or (request.user if request.user.is_authenticated else None)
        school = school or getattr(request, "school", None)
    return AuditEvent.objects.create(
        actor=actor,
        school=school,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=_object_repr(obj, pupil_id),
        pupil_id=pupil_id,
        changes=_jsonable(changes or {}),
        ip_address=client_ip(request) if request is not None else None,
    )


def _object_repr(obj: models.Model | None, pupil_id: int | None) -> str:
    # The log is kept forever; a child's record is not (DOMAIN.md 7.2). A row about a child
    # keeps no name or status ("Child Protection plan from 1 May 2025"): pages show the child
    # from ``pupil_id``, cut to what the viewer may see (accounts.redaction).
    if obj is None or pupil_id is not None:
        return ""
    return str(obj)[:200]


def changed_fields(before: models.Model, after: models.Model, fields: list[str]) -> dict:
    """``{"field": [old, new]}`` for each of ``fields`` whose value differs."""
    return {
        name: [getattr(before, name), getattr(after, name)]
        for name in fields
        if getattr(before, name) != getattr(after, name)
    }


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is set by whoever sends the request. Behind a proxy,
    # the proxy is configured to set REMOTE_ADDR (gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR") or None


def _jsonable(changes: dict[str, Any]) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if value is None or isinstance(value, bool | int | float | str):
            return value
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, models.Model):
            return str(value)
        return str(value)

    return {key: plain(value) for key, value in changes.items()}
