"""The attendance imports as kinds of ``imports.ImportRun``: session marks from a CSV
(``attendance_marks``) and the attendance in a Common Transfer File (``attendance_ctf``),
registered once when the attendance app loads (``AttendanceConfig.ready``)."""

import datetime as dt
import hashlib

from django.urls import reverse

from accounts.roles import Capability
from attendance.ctf_import import (
    CtfAttendanceError,
    ParsedCtfAttendance,
    ctf_attendance_read,
    ctf_attendance_save,
)
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
        done_text="Go to the attendance concerns",
    )
)


# --- The attendance in a Common Transfer File (attendance.ctf_import) -------------------------

CTF_KIND = "attendance_ctf"


def _ctf_read(school, data: bytes, today: dt.date) -> ParsedCtfAttendance:
    try:
        return ctf_attendance_read(school=school, data=data, today=today)
    except CtfAttendanceError as error:
        raise ImportFileUnreadable(error.message) from error


def _ctf_outcome(
    parsed: ParsedCtfAttendance, *, saved: dict[str, int] | None = None
) -> KindOutcome:
    counts = {
        "years": len(parsed.years),
        "pupils": len(parsed.pupil_ids),
        "marks": parsed.marks_count,
        "refused": parsed.refused_count,
    }
    if saved is not None:
        counts.update(saved)
    return KindOutcome(
        rows=parsed.rows,
        counts=counts,
        notices=list(parsed.notices),
        file_format="ctf",
        can_commit=not parsed.refused_count and bool(parsed.years),
        committed=saved is not None,
    )


def ctf_preview(
    *, school, name: str, data: bytes, today: dt.date, progress: Progress | None = None
) -> KindOutcome:
    return _ctf_outcome(_ctf_read(school, data, today))


def ctf_commit(
    *, school, by, name: str, data: bytes, today: dt.date, progress: Progress | None = None
) -> KindOutcome:
    parsed = _ctf_read(school, data, today)
    if parsed.refused_count or not parsed.years:
        return _ctf_outcome(parsed)
    saved = ctf_attendance_save(
        school=school, by=by, parsed=parsed, sha256=hashlib.sha256(data).hexdigest()
    )
    return _ctf_outcome(parsed, saved=saved)


def _ctf_summary(counts: dict[str, int], done: bool) -> str:
    years, pupils, marks, refused = (
        counts.get("years", 0),
        counts.get("pupils", 0),
        counts.get("marks", 0),
        counts.get("refused", 0),
    )
    if refused:
        return f"{refused} entr{'ies' if refused != 1 else 'y'} cannot be imported"
    verb = "imported" if done else "to import"
    text = (
        f"{years} yearly attendance summar{'ies' if years != 1 else 'y'} for {pupils} "
        f"child{'ren' if pupils != 1 else ''}"
    )
    if marks:
        text += f" and {marks:,} session marks"
    return f"{text} {verb}"


register(
    ImportKind(
        name=CTF_KIND,
        title="Import attendance from a CTF",
        capabilities=IMPORTERS,
        record_capability=Capability.VIEW_COHORT,
        upload_url="attendance:upload_ctf",
        preview=ctf_preview,
        commit=ctf_commit,
        summary=_ctf_summary,
        done_url=lambda request: reverse("attendance:concerns"),
        done_text="Go to the attendance concerns",
    )
)
