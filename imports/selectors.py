"""Reading import runs: the door (``import_run_for``) and what a viewer may see of a run's rows.

Redaction is decided here, once (STYLE.md): a person who may import but may not see the
children's records (the school administrator: no ``Capability.VIEW_COHORT``) sees, for a row
that matched a child Harbour holds, only its outcome and what is wrong in the file itself:
never the child's current values, nor a reason or note drawn from the record. A row that adds
a new child shows only what the file says, which the uploader already has.
"""

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from core.access import for_school
from imports.models import ImportRun
from imports.registry import ImportKind

# Said instead of a reason drawn from Harbour's record of a child.
RECORD_REASON = (
    "What Harbour holds about this child does not allow this row. Ask the designated teacher "
    "(or someone else who can see the child's record) to check it."
)


def import_run_for(request: HttpRequest, pk: int) -> ImportRun:
    """A run of the user's school, or 404."""
    return for_school(request, ImportRun.objects.select_related("school"), pk=pk)


@dataclass(frozen=True)
class RowView:
    label: str
    upn: str
    name: str
    action: str
    changes: list[list[str]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    withheld: bool = False  # values of the child's record were left out for this viewer


def import_rows_for_viewer(rows: list[dict[str, Any]], *, sees_records: bool) -> list[RowView]:
    return [_row_view(row, sees_records=sees_records) for row in rows]


def _row_view(row: dict[str, Any], *, sees_records: bool) -> RowView:
    base = {
        "label": row.get("label", ""),
        "upn": row.get("upn", ""),
        "name": row.get("name", ""),
        "action": row.get("action", ""),
    }
    touches_record = row.get("existing") or row.get("from_record")
    if sees_records or not touches_record:
        return RowView(
            **base,
            changes=row.get("changes", []),
            reasons=row.get("reasons", []),
            notes=row.get("notes", []),
            disagreements=row.get("disagreements", []),
        )
    file_reasons = list(row.get("file_reasons", []))
    reasons = file_reasons
    if row.get("action") == "refused" and len(row.get("reasons", [])) > len(file_reasons):
        reasons = [*file_reasons, RECORD_REASON]
    return RowView(
        **base,
        reasons=reasons,
        notes=list(row.get("file_notes", [])),
        disagreements=(
            ["The file and Harbour's record of this child disagree: Harbour keeps its own."]
            if row.get("disagreements")
            else []
        ),
        withheld=True,
    )


def sees_records(request: HttpRequest, kind: ImportKind) -> bool:
    return kind.record_capability in getattr(request, "capabilities", frozenset())
