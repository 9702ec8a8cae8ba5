"""The session-marks import as a kind of ``imports.ImportRun``: registered once when the
attendance app loads (``AttendanceConfig.ready``)."""

import datetime as dt

from django.urls import reverse

from accounts.roles import Capability
from attendance.imports import MarksFileError, ParsedMarks, marks_read, marks_replace
from imports.registry import ImportFileUnreadable, ImportKind, KindOutcome, Progress, register

KIND = "attendance_marks"
IMPORTERS = (Capability.EDIT_ATTENDANCE_EXCLUSIONS, Capability.MANAGE_SCHOOL)


def _read(school, data: bytes, progress) -> ParsedMarks:
    try:
        return marks_read(school=school, data=data, progress=progress)
    except MarksFileError as error:
        raise ImportFileUnreadable(error.message) from error


def _outcome(parsed: ParsedMarks, *, committed: bool = False, replaced: int = 0) -> KindOutcome:
    counts = {
        "marks": len(parsed.marks),
        "pupils": len(parsed.pupil_ids),
        "refused": parsed.refused_count,
    }
    if committed:
        counts["replaced"] = replaced
    notices = []
    if parsed.first and parsed.last:
        notices.append(
            f"The file's marks run from {parsed.first:%-d %B %Y} to {parsed.last:%-d %B %Y}. "
            "Importing replaces the marks Harbour holds for these children over those dates."
        )
    if parsed.refused_count > len(parsed.refused):
        notices.append(
            f"The first {len(parsed.refused)} of {parsed.refused_count} rows that cannot be "
            "imported are listed."
        )
    return KindOutcome(
        rows=parsed.refused,
        counts=counts,
        notices=notices,
        file_format="csv",
        can_commit=not parsed.refused_count and bool(parsed.marks),
        committed=committed,
    )


def preview(
    *, school, name: str, data: bytes, today: dt.date, progress: Progress | None = None
) -> KindOutcome:
    return _outcome(_read(school, data, progress))


def commit(
    *, school, by, name: str, data: bytes, today: dt.date, progress: Progress | None = None
) -> KindOutcome:
    parsed = _read(school, data, progress)
    if parsed.refused_count or not parsed.marks:
        return _outcome(parsed)
    replaced = marks_replace(school=school, parsed=parsed)
    return _outcome(parsed, committed=True, replaced=replaced)


def _summary(counts: dict[str, int], done: bool) -> str:
    marks, pupils, refused = (
        counts.get("marks", 0),
        counts.get("pupils", 0),
        counts.get("refused", 0),
    )
    if refused:
        return f"{refused} row{'s' if refused != 1 else ''} cannot be imported"
    verb = "imported" if done else "to import"
    return f"{marks:,} session marks for {pupils:,} children {verb}"


register(
    ImportKind(
        name=KIND,
        title="Import attendance marks",
        capabilities=IMPORTERS,
        record_capability=Capability.VIEW_COHORT,
        upload_url="attendance:upload",
        preview=preview,
        commit=commit,
        summary=_summary,
        done_url=lambda request: reverse("attendance:concerns"),
    )
)
