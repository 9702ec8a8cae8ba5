"""Writing the audit log. Services call ``audit_record`` for every change to a case record;
views call it when they show a sensitive record (a pupil, a concern, a PDF)."""

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
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


Values = models.Model | Mapping[str, Any]


def field_values(obj: Values, fields: Iterable[str]) -> dict[str, Any]:
    """``{"field": value}`` for each of ``fields``: what ``obj`` says before it is changed."""
    if isinstance(obj, Mapping):
        return {name: obj[name] for name in fields}
    return {name: getattr(obj, name) for name in fields}


def changed_fields(before: Values, after: Values, fields: Iterable[str]) -> dict[str, Any]:
    """``{"field": [old, new]}`` for each of ``fields`` whose value differs: the one way a
    service works out what an edit changed. ``before`` and ``after`` are each a model instance
    or a mapping of field to value (``field_values`` of the instance before it changed, or the
    values a service is asked to set). A service that must not log the values (free text about
    a child) logs ``list(changed_fields(...))``, the names alone."""
    fields = list(fields)
    old, new = field_values(before, fields), field_values(after, fields)
    return {name: [old[name], new[name]] for name in fields if old[name] != new[name]}


def client_ip(request: HttpRequest) -> str | None:
    """The address of the person making the request, for the audit log and django-axes.

    ``REMOTE_ADDR`` is the machine that connected to Harbour. When that is one of
    ``HARBOUR_TRUSTED_PROXIES``, the person is further back: each proxy appends the address it
    received the request from to X-Forwarded-For, so reading from the right and skipping our own
    proxies, the first other address is the one a trusted proxy saw connect. Everything to its
    left was written by the client and may be invented. From any other machine X-Forwarded-For
    is ignored entirely: anyone can send it.
    """
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    if not _trusted_proxy(remote):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    nearest = remote
    for item in reversed(forwarded.split(",")):
        address = _address(item)
        if address is None:
            # A hop our proxy would not write: stop at the last address we can vouch for.
            break
        nearest = address
        if not _trusted_proxy(address):
            break
    return str(nearest)


def _address(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(raw.strip())
    except ValueError:
        return None
    # An IPv4 client reaching an IPv6 socket appears as ::ffff:a.b.c.d.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted_proxy(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in network for network in settings.HARBOUR_TRUSTED_PROXIES)


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
