"""Writing the audit log: the one contract every app keeps.

The log is kept forever and no one can correct it (the table refuses UPDATE and DELETE), while
a child's record is kept only as long as the law says (DOMAIN.md 7.2). So an event says *which*
fields changed and, of their values, only those Harbour chose itself: never text typed about
a child.

``audit_record(*, action, request=None, actor=None, school=None, obj=None, pupil_id=None,
pupil_ids=None, fields=(), values=None)``

- ``action`` is a member of the app's ``AuditAction`` enum (``pupils/audit.py``:
  ``PupilAction.CREATED = "pupil.created"``), one enum per app, named in the school's words.
  A plain string is refused.
- ``fields`` are the NAMES of the fields that changed (``["notes", "legal_surname"]``). Any
  field may be named; its value is not kept.
- ``values`` holds only keys the record's model allows in its ``audit_values`` class
  attribute (``CareEpisode.audit_values = frozenset({"kind", "legal_basis", ...})``), or one
  of the generic keys in ``GENERIC_VALUES`` (a page's name, counts, whether a search was
  made, the cohort filter's choices). Free text (notes, reasons, descriptions, names) is
  never allow-listed, nor a child's date of birth: name it in ``fields``. A changed field's
  value is ``[old, new]`` (``changed_fields`` gives it; ``audit_diff`` splits it into
  ``fields`` and the allowed ``values``).
- Values are JSON-plain: dates become ISO strings, decimals strings, a record its primary
  key, an enum its value. Anything else is refused.
- ``pupil_id`` is the child an event is about; ``pupil_ids`` writes one event per child in
  one insert (a concern about two pupils), each carrying the record's school.

A key outside the allow-list or a non-enum action raises ``ValueError``: a programming error
that the tests catch, never silently stored.

Rows written before core migration 0003 have no ``fields`` and hold ``changes`` as
``{"field": [old, new]}``, some with text typed about a child (see that migration).
"""

import datetime as dt
import enum
import ipaddress
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from core.models import AuditEvent


class AuditAction(enum.StrEnum):
    """The base of each app's enum of audit actions (``class PupilAction(AuditAction)``).
    Values are dotted, the first word naming what the event is about: ``"pupil.created"``."""


# Keys any event may carry, whatever its record: Harbour's own words, numbers and choices.
GENERIC_VALUES = frozenset(
    {
        "page",  # the URL name of a page that was read, never its query string
        "pupils",  # how many children a list or export showed
        "searched",  # whether a name or UPN was searched for, never the words
        "filters",  # the cohort filter's choices (each one of Harbour's own options)
        "term",  # the term a report is for, in Harbour's words: "Autumn term 2025 to 2026"
        "rows",  # counts of an import's rows by outcome
        "sha256",  # of an uploaded file, which says which file without its name
        "format",  # of an uploaded file: "csv", "ctf"
    }
)


def audit_record(
    *,
    action: AuditAction,
    request: HttpRequest | None = None,
    actor=None,
    school=None,
    obj: models.Model | None = None,
    pupil_id: int | None = None,
    pupil_ids: Iterable[int] | None = None,
    fields: Iterable[str] = (),
    values: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Write one event (or one per child of ``pupil_ids``); see the module docstring. Returns
    the (first) event written."""
    if not isinstance(action, AuditAction):
        raise ValueError(f"audit action {action!r} is not a member of an app's AuditAction enum")
    if pupil_id is not None and pupil_ids is not None:
        raise ValueError("pass pupil_id or pupil_ids, not both")
    fields = list(dict.fromkeys(fields))
    if not all(isinstance(name, str) and name for name in fields):
        raise ValueError(f"audit fields are field names: {fields!r}")
    values = dict(values or {})
    allowed = GENERIC_VALUES | audit_values_of(obj)
    refused = sorted(set(values) - allowed)
    if refused:
        where = obj._meta.label if obj is not None else "an event with no record"
        raise ValueError(
            f"{', '.join(refused)} may not be kept in the audit log for {where}: "
            "name the field in fields=, or add it to the model's audit_values if it is "
            "one of Harbour's own values and never text typed about a child"
        )
    plain_values = {key: _plain(key, value) for key, value in values.items()}
    if request is not None:
        actor = actor or (request.user if request.user.is_authenticated else None)
        school = school or getattr(request, "school", None)
    children = [pupil_id] if pupil_ids is None else list(dict.fromkeys(pupil_ids))
    if not children:
        raise ValueError("pupil_ids is empty: an event about children needs at least one")
    events = [
        AuditEvent(
            actor=actor,
            school=school,
            action=action.value,
            content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=_object_repr(obj, child),
            pupil_id=child,
            fields=fields,
            changes=plain_values,
            ip_address=client_ip(request) if request is not None else None,
        )
        for child in children
    ]
    if len(events) == 1:
        events[0].save()
        return events[0]
    return AuditEvent.objects.bulk_create(events)[0]


def audit_values_of(obj: models.Model | None) -> frozenset[str]:
    """The keys whose values the audit log may keep for ``obj``: its model's
    ``audit_values``."""
    if obj is None:
        return frozenset()
    # Through _meta, not type(): request.user is a lazy wrapper around the User.
    return frozenset(getattr(obj._meta.model, "audit_values", ()))


def audit_diff(diff: Mapping[str, Any], obj: models.Model | None) -> dict[str, Any]:
    """``fields`` and ``values`` for ``audit_record`` from a ``changed_fields`` diff: every
    changed field by name, and ``[old, new]`` only for those ``obj``'s model allows."""
    allowed = audit_values_of(obj)
    return {
        "fields": list(diff),
        "values": {name: change for name, change in diff.items() if name in allowed},
    }


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


def _plain(key: str, value: Any) -> Any:
    """``value`` as JSON: Harbour's own values only, so anything unexpected is refused."""
    if value is None or isinstance(value, bool | int | float | str):
        return value.value if isinstance(value, enum.Enum) else value
    if isinstance(value, dt.date):  # a datetime too
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(key, v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, Mapping):
        return {str(k): _plain(key, v) for k, v in value.items()}
    raise ValueError(f"the audit value {key}={value!r} is not JSON-plain")
