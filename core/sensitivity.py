"""The sensitivity mark on a record, and the one rule for what a viewer may see of it.

A record says how sensitive it is; this module alone says what each viewer sees of it. Every
place that shows records asks ``visible_detail``: the child's chronology
(``pupils.chronology``), the outbox (``notifications.selectors``), the audit page
(``accounts.selectors``), CSV and XLSX exports (``core.exports``) and PDFs (``shown`` in a
document's builder). None of them decides for itself, so a new page cannot forget.

How a record declares its mark
------------------------------
A model whose every row is sensitive says so on the class; one whose rows differ has a field
of the same name::

    class Concern(models.Model):
        sensitivity = Sensitivity.SAFEGUARDING  # every concern, its actions and outcome

    class OutboxMessage(models.Model):
        sensitivity = models.CharField(choices=Sensitivity.choices, default=Sensitivity.ORDINARY)

``sensitivity_of(model_or_row)`` reads either (a model without the attribute is ORDINARY).

The rule (DESIGN.md's role table, "read concerns and act on them")
--------------------------------------------------------------------
A SAFEGUARDING record is shown in full to a viewer who may act on concerns (the DSL, deputy
DSLs, the head). A viewer who sees children but not concerns (the designated teacher) learns
only that one exists and whom to speak to: "A safeguarding record exists – speak to the DSL".
Anyone else (the school administrator, a governor, a member of staff) sees nothing of it, not
even that it exists. Status episodes (a Child Protection plan) are not marked: they are what
puts a child in the cohort the DT keeps, so the DT sees them (``pupils.chronology``).

core sits below accounts, so the capabilities are compared by their values; a test holds them
equal to ``accounts.roles.Capability``.
"""

import enum
from collections import defaultdict
from collections.abc import Collection, Iterable

from django.apps import apps
from django.db import models

# accounts.roles.Capability.ACT_ON_CONCERNS and .VIEW_COHORT (a str enum): equal by value.
ACT_ON_CONCERNS = "act_on_concerns"
VIEW_COHORT = "view_cohort"

EXISTS_TEXT = "A safeguarding record exists – speak to the DSL"


class Sensitivity(models.TextChoices):
    ORDINARY = "ordinary", "Ordinary"
    # A safeguarding concern, its actions and outcome, and anything that tells of one (the
    # email telling the DSL team a concern was raised).
    SAFEGUARDING = "safeguarding", "Safeguarding"


class Detail(enum.Enum):
    """How much of a marked record a viewer may see."""

    FULL = "full"
    EXISTS = "exists"  # that it exists, its date and the child: no content, no link
    NOTHING = "nothing"  # not even that it exists


def visible_detail(sensitivity: str, capabilities: Collection[str]) -> Detail:
    """What a viewer holding ``capabilities`` may see of a record marked ``sensitivity``."""
    if sensitivity == Sensitivity.ORDINARY:
        return Detail.FULL
    if sensitivity == Sensitivity.SAFEGUARDING:
        if ACT_ON_CONCERNS in capabilities:
            return Detail.FULL
        if VIEW_COHORT in capabilities:
            return Detail.EXISTS
        return Detail.NOTHING
    # An unknown mark (a typo, a value from a newer release) shows nothing rather than all.
    return Detail.NOTHING


def sensitivity_of(record: models.Model | type[models.Model] | None) -> str:
    """The mark a model (or one of its rows) declares; ORDINARY when it declares none."""
    if record is None:
        return Sensitivity.ORDINARY
    value = getattr(record, "sensitivity", Sensitivity.ORDINARY)
    # On the class, a field is a descriptor, not a value: the rows differ, so the class as a
    # whole is treated as its most sensitive row could be (``marks_of`` reads the rows).
    if not isinstance(value, str):
        return Sensitivity.SAFEGUARDING
    return value


def marks_of(
    records: Iterable[tuple[type[models.Model] | None, str]],
) -> dict[tuple[type[models.Model] | None, str], str]:
    """The mark of each ``(model, primary key)``, for pages that hold references to records
    rather than the records (the audit log). A model marked on the class costs no query; one
    with a per-row ``sensitivity`` field costs one query for all its rows; a row that no longer
    exists keeps the class's worst case."""
    wanted: dict[type[models.Model], set[str]] = defaultdict(set)
    marks: dict[tuple[type[models.Model] | None, str], str] = {}
    for model, pk in records:
        if model is not None and not isinstance(getattr(model, "sensitivity", ""), str):
            wanted[model].add(pk)
        marks[(model, pk)] = sensitivity_of(model)
    for model, pks in wanted.items():
        ids = [pk for pk in pks if pk]
        for pk, mark in model._default_manager.filter(pk__in=ids).values_list("pk", "sensitivity"):
            marks[(model, str(pk))] = mark
    return marks


def shown(
    sensitivity: str, capabilities: Collection[str], full: str, *, exists: str = EXISTS_TEXT
) -> str | None:
    """``full`` when the viewer may see it, ``exists`` (the "speak to the DSL" line) when they
    may know only that the record exists, ``None`` when they may not know even that: the caller
    leaves the item out. For PDFs and any text built for one viewer."""
    detail = visible_detail(sensitivity, capabilities)
    if detail is Detail.FULL:
        return full
    if detail is Detail.EXISTS:
        return exists
    return None


# The audit actions that tell of a safeguarding record even when the event's record is not one
# (the download of a concern chronology's PDF is an event about a report run). Registered by the
# app that owns them, from its ``AppConfig.ready``.
_SAFEGUARDING_ACTIONS: set[str] = set()


def register_safeguarding_actions(actions: Iterable[str]) -> None:
    """Mark every one of ``actions`` (an app's ``AuditAction`` enum) as telling of a
    safeguarding record: a viewer who may not know one exists does not see such an event."""
    _SAFEGUARDING_ACTIONS.update(str(action) for action in actions)


def safeguarding_actions() -> frozenset[str]:
    return frozenset(_SAFEGUARDING_ACTIONS)


# Report run kinds (``core.report_runs``) whose documents are safeguarding records: the shared
# report-run events ("report_run.requested", with the run's ``kind`` among their values) tell
# of one as surely as the document does.
_SAFEGUARDING_REPORT_KINDS: set[str] = set()


def register_safeguarding_report_kind(kind: str) -> None:
    _SAFEGUARDING_REPORT_KINDS.add(kind)


def safeguarding_report_kinds() -> frozenset[str]:
    return frozenset(_SAFEGUARDING_REPORT_KINDS)


def safeguarding_models() -> list[type[models.Model]]:
    """Every model whose every row is marked SAFEGUARDING on the class (a concern, its actions)."""
    return [
        model
        for model in apps.get_models()
        if getattr(model, "sensitivity", None) == Sensitivity.SAFEGUARDING
    ]
