"""Reads for accounts: a school's staff and its audit log."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.utils.text import capfirst

from accounts.models import Membership, User
from accounts.redaction import can_see_children, pupil_labels_for
from accounts.roles import Role
from core.models import AuditEvent
from core.sensitivity import (
    EXISTS_TEXT,
    Detail,
    Sensitivity,
    marks_of,
    safeguarding_actions,
    safeguarding_models,
    safeguarding_report_kinds,
    visible_detail,
)
from schools.models import School

# The first word of an action names what the event is about. These are about the school's
# staff and calendar, never a child, so a viewer who may not see children still reads what
# they say; every other event shows them only which fields changed.
_ABOUT_STAFF_OR_SCHOOL = frozenset({"user", "staff", "school", "term_dates", "virtual_school"})


def staff_for_school(school: School) -> QuerySet[User]:
    """Everyone with a role in ``school``, each with ``school_memberships``: their roles there
    (not at their other schools). Two queries however many people."""
    return (
        User.objects.filter(memberships__school=school)
        .distinct()
        .order_by("full_name", "email")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(school=school).order_by("role"),
                to_attr="school_memberships",
            )
        )
    )


def role_labels(memberships: list[Membership]) -> list[str]:
    """Role names in the order of the role table, not alphabetical."""
    held = {m.role for m in memberships}
    return [role.label for role in Role if role in held]


def audit_events_for_school(
    school: School, capabilities: Collection[str] | None = None
) -> QuerySet[AuditEvent]:
    """The school's audit log as a viewer holding ``capabilities`` may see it. One who may not
    know that a safeguarding record exists (``Detail.NOTHING``: the administrator) gets no event
    about one at all: not a row saying "concern.viewed" by someone on some day, which, filtered
    by a child's record number, would tell them the child has a concern. Without
    ``capabilities`` (a caller that cuts the rows itself), every event of the school."""
    events = AuditEvent.objects.filter(school=school).select_related("actor", "content_type")
    if capabilities is not None and (
        visible_detail(Sensitivity.SAFEGUARDING, capabilities) is Detail.NOTHING
    ):
        marked = ContentType.objects.get_for_models(*safeguarding_models()).values()
        events = events.exclude(
            Q(content_type__in=[ct.pk for ct in marked])
            | Q(action__in=sorted(safeguarding_actions()))
            # has_key first: on an event with no "kind", the IN alone is NULL, and NOT NULL
            # would leave the event out.
            | (
                Q(changes__has_key="kind")
                & Q(changes__kind__in=sorted(safeguarding_report_kinds()))
            )
        )
    return events


@dataclass(frozen=True)
class AuditRow:
    """One line of the audit page, already cut to what the viewer may see."""

    event: AuditEvent
    record: str  # "Care episode: Child Protection plan from 1 May 2025", or "Care episode 12"
    child: str  # "Jane Smith · record 41", "J.S. · record 41", or ""
    change_lines: list[str]


def audit_rows_for(
    capabilities: Collection[str], *, school: School, events: Iterable[AuditEvent]
) -> list[AuditRow]:
    """The audit page's rows for a viewer holding ``capabilities``.

    A viewer who may not see children (the administrator) sees a child as initials and a
    record number, rendered from ``pupil_id`` and never from the stored ``object_repr`` (rows
    written before Harbour stopped storing it can hold a child's name or status); and of any
    event not about staff or the school, which fields changed but not what they now say.
    Rows of both shapes render: ``fields`` with allow-listed ``changes`` (core.audit), and
    those written before core migration 0002, whose ``changes`` is ``{"field": [old, new]}``
    and may hold text typed about a child: that viewer sees their field names only.
    One query for the children's labels, however many rows.

    An event about a record marked SAFEGUARDING (``core.sensitivity``: a concern) is cut by
    ``visible_detail``: in full to those who may act on concerns; to one who sees children but
    not concerns, the child and "a safeguarding record exists"; to anyone else (the
    administrator), who did what and when, but no child, no record and no fields. Such a viewer
    should not be given those events at all: ``audit_events_for_school(school, capabilities)``
    leaves them out; this cut is the second line of defence.
    """
    events = list(events)
    labels = pupil_labels_for(capabilities, school=school, pupil_ids=(e.pupil_id for e in events))
    sees_children = can_see_children(capabilities)
    marks = marks_of(
        (e.content_type.model_class() if e.content_type else None, e.object_id) for e in events
    )
    rows = []
    for event in events:
        model = event.content_type.model_class() if event.content_type else None
        detail = visible_detail(marks[(model, event.object_id)], capabilities)
        if detail is not Detail.FULL:
            rows.append(
                AuditRow(
                    event=event,
                    record=EXISTS_TEXT if detail is Detail.EXISTS else "",
                    child=labels.get(event.pupil_id, "") if detail is Detail.EXISTS else "",
                    change_lines=[],
                )
            )
            continue
        full = sees_children or (
            event.pupil_id is None and event.action.split(".")[0] in _ABOUT_STAFF_OR_SCHOOL
        )
        kind = capfirst(event.content_type.name) if event.content_type else ""
        if full and event.object_repr:
            record = f"{kind}: {event.object_repr}" if kind else event.object_repr
        else:
            record = f"{kind} {event.object_id}".strip() if kind else ""
        rows.append(
            AuditRow(
                event=event,
                record=record,
                child=labels.get(event.pupil_id, ""),
                change_lines=(
                    _change_lines(event.fields, event.changes)
                    if full
                    else [f"{name} changed" for name in _names(event.fields, event.changes)]
                ),
            )
        )
    return rows


def _names(fields: list[str], changes: dict[str, Any]) -> list[str]:
    """Every field or key an event names, each once: ``fields`` first."""
    return list(dict.fromkeys([*fields, *changes]))


def _change_lines(fields: list[str], changes: dict[str, Any]) -> list[str]:
    """``{"roles": [["dsl"], ["dsl", "staff"]]}`` → ``["roles: dsl → dsl, staff"]``; a field
    named without a value kept → ``"notes changed"``."""

    def show(value: Any) -> str:
        if isinstance(value, list):
            return ", ".join(str(v) for v in value) or "(none)"
        if isinstance(value, dict):
            return ", ".join(f"{k} {show(v)}" for k, v in value.items()) or "(none)"
        return "(none)" if value in (None, "") else str(value)

    lines = []
    for field in _names(fields, changes):
        if field not in changes:
            lines.append(f"{field} changed")
            continue
        value = changes[field]
        if isinstance(value, list) and len(value) == 2:
            lines.append(f"{field}: {show(value[0])} → {show(value[1])}")
        else:
            lines.append(f"{field}: {show(value)}")
    return lines
