"""What a viewer may see of a child on the pages that oversee records (the audit log, the
outbox), decided here and nowhere else.

DESIGN.md's role table: the school administrator oversees the audit log and the outbox but sees
no child, "children shown as initials and a record number". Anyone whose roles lack
``Capability.VIEW_COHORT`` sees a child as ``J.S. · record 41``; anyone who holds it sees the
child's name. Pages ask these functions and never decide in a template.
"""

from collections.abc import Callable, Collection, Iterable
from typing import Protocol

from accounts.roles import Capability


class NamedChild(Protocol):
    pk: int
    forename: str
    surname: str


# (school, pupil ids) -> the school's children among them. accounts sits below pupils, so the
# pupils app registers how to find them (``PupilsConfig.ready``) rather than being imported.
_children_of: Callable[..., Iterable[NamedChild]] | None = None


def register_children_lookup(lookup: Callable[..., Iterable[NamedChild]]) -> None:
    global _children_of
    _children_of = lookup


def can_see_children(capabilities: Collection[str]) -> bool:
    """Whether the viewer may see a child's name, status and what a record says."""
    return Capability.VIEW_COHORT in capabilities


def pupil_label_for(capabilities: Collection[str], pupil: NamedChild) -> str:
    """``Jane Smith · record 41`` for a viewer who may see children, ``J.S. · record 41`` for
    anyone else."""
    if can_see_children(capabilities):
        return f"{pupil.forename} {pupil.surname} · record {pupil.pk}"
    return f"{_initials(pupil.forename, pupil.surname)} · record {pupil.pk}"


def pupil_labels_for(
    capabilities: Collection[str], *, school, pupil_ids: Iterable[int | None]
) -> dict[int | None, str]:
    """Labels for the children of ``school`` among ``pupil_ids``, in one query. An id that is
    not a child of this school (a mistyped filter, another school's id) gets only its number,
    so a label never says whether another school has such a child."""
    wanted = {pk for pk in pupil_ids if pk is not None}
    if not wanted:
        return {}
    found = _children_of(school, wanted) if _children_of is not None else []
    labels = {pupil.pk: pupil_label_for(capabilities, pupil) for pupil in found}
    return {pk: labels.get(pk, f"record {pk}") for pk in wanted}


def _initials(*names: str) -> str:
    return "".join(f"{name.strip()[:1].upper()}." for name in names if name.strip())
