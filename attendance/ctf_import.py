"""Importing the attendance in a Common Transfer File (DOMAIN.md 6.2): each pupil's
``Attendance/YearData`` becomes a ``CtfYearSummary``, and its ``AttendanceMarks`` become
session marks only when the string can be read without guessing.

* Pupils are matched by UPN within the school. A pupil whose UPN no child of this school has,
  or a ``YearData`` whose figures cannot be read or do not add up, refuses the whole file, each
  listed with its reasons (all or nothing, as every import).
* Importing replaces a child's summary for the same year and establishment, so the same file
  imported twice leaves one summary (idempotent), and a corrected file corrects it.
* ``AttendanceMarks``: how CTF 24 and later encode the two-character 2024 codes (``C1``,
  ``J1``, ``Y1`` to ``Y7``) is NOT confirmed (DOMAIN.md 6.2 ⚠). Harbour reads the string as one
  character a session (morning then afternoon) on each school day of this school's calendar from
  ``AttendanceStartDate``, and imports the marks only when all of these hold:
  the year's establishment is this school (another school's term dates are not Harbour's, and
  its marks are not this school's register); every character is a one-character code of
  DOMAIN.md 1.2; and the string's length is exactly two a school day from the start date to the
  earlier of the end of that school year and the day the file was made (its header's
  ``DateTime``; the day it is imported when the header has none). Otherwise the summary
  alone is imported, and the outcome page says why the marks were not. Harbour never guesses.

Nothing here decides access: the import run's pages do (``imports.views``).
"""

import datetime as dt
from dataclasses import dataclass, field

from attendance.audit import AttendanceAction
from attendance.codes import CODES
from attendance.models import CtfYearSummary, Session, SessionMark
from core.audit import audit_record
from pupils.ctf import CtfError, CtfFile, CtfYearData, ctf_read
from pupils.models import Pupil
from pupils.upn import normalise_upn
from schools.schooldays import SchoolCalendar, TermDatesMissing

MAX_LISTED = 200

ENCODING_NOTICE = (
    "Session marks not imported: the file's encoding of two-character codes is not confirmed "
    "(DOMAIN.md 6.2). Harbour imported the yearly summaries only, for the children listed with "
    "a note below; import those children's marks as a CSV file instead."
)
ANOTHER_SCHOOL_NOTICE = (
    "Session marks recorded at another school are not imported: they are not this school's "
    "register and Harbour does not hold that school's term dates. Those years' summaries are "
    "imported and shown on each child's attendance page."
)

# One character a session: the codes of DOMAIN.md 1.2 that are one character long.
SINGLE_CHARACTER_CODES = frozenset(code for code in CODES if len(code) == 1)

# The figures of a summary, with the words a teacher sees.
FIGURES = (
    ("sessions_possible", "Possible sessions"),
    ("sessions_attended", "Sessions attended"),
    ("sessions_authorised", "Authorised absence"),
    ("sessions_unauthorised", "Unauthorised absence"),
)


class CtfAttendanceError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class YearRow:
    """One ``YearData`` ready to save, with its marks when they could be read."""

    pupil_id: int
    values: dict  # the CtfYearSummary fields
    action: str  # create, update, unchanged
    marks: list[tuple[dt.date, str, str]] = field(default_factory=list)  # (date, session, code)
    marks_first: dt.date | None = None
    marks_last: dt.date | None = None


@dataclass
class ParsedCtfAttendance:
    years: list[YearRow] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # for the outcome page
    refused_count: int = 0
    pupils_without_attendance: int = 0
    notices: list[str] = field(default_factory=list)

    @property
    def pupil_ids(self) -> set[int]:
        return {y.pupil_id for y in self.years}

    @property
    def marks_count(self) -> int:
        return sum(len(y.marks) for y in self.years)


def _count(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _year_label(year: int) -> str:
    return f"{year} to {year + 1}"


def ctf_attendance_read(*, school, data: bytes, today: dt.date) -> ParsedCtfAttendance:
    """Read and check every pupil's attendance; write nothing."""
    try:
        ctf = ctf_read(data)
    except CtfError as error:
        raise CtfAttendanceError(error.message) from error
    pupils = {
        p.upn: p
        for p in Pupil.objects.filter(school=school)
        .exclude(upn="")
        .only("pk", "upn", "legal_forename", "legal_surname")
    }
    existing = {
        (s.pupil_id, s.year, s.lea, s.estab): s
        for s in CtfYearSummary.objects.filter(school=school, pupil__in=pupils.values())
    }
    out = ParsedCtfAttendance()
    calendar = None
    seen: set[tuple] = set()
    why_not: set[str] = set()
    for pupil in ctf.pupils:
        upn = normalise_upn(pupil.upn)
        name = " ".join(p for p in (pupil.forename, pupil.surname) if p)
        base = {"upn": upn, "name": name}
        child = pupils.get(upn)
        if not upn or child is None:
            reason = (
                "The UPN is missing."
                if not upn
                else "No child of this school has this UPN in Harbour. Import the child "
                "(Import pupils) first, or leave them out of the file."
            )
            _refuse(out, {**base, "label": f"Pupil {pupil.position} in the file"}, [reason])
            continue
        if not pupil.attendance:
            out.pupils_without_attendance += 1
            continue
        for year_data in pupil.attendance:
            label = f"Pupil {pupil.position} in the file, year {year_data.year or '(none)'}"
            row = {**base, "label": label, "existing": True}
            values, reasons = _summary_values(year_data, ctf)
            if values is not None:
                key = (child.pk, values["year"], values["lea"], values["estab"])
                if key in seen:
                    reasons.append(
                        "This child's attendance for this year and school is in the file twice."
                    )
                seen.add(key)
            if reasons or values is None:
                _refuse(out, row, reasons)
                continue
            row["label"] = f"Pupil {pupil.position} in the file, {_year_label(values['year'])}"
            before = existing.get(key)
            action, changes = _compare(before, values)
            year_row = YearRow(pupil_id=child.pk, values=values, action=action)
            notes: list[str] = []
            if year_data.marks:
                if calendar is None:
                    calendar = SchoolCalendar.for_school(school)
                problem, why = _read_marks(year_row, year_data, school, ctf, calendar, today)
                if problem:
                    notes.append(problem)
                    why_not.add(why)
                elif year_row.marks:
                    notes.append(
                        f"{len(year_row.marks)} session marks from "
                        f"{year_row.marks_first:%-d %B %Y} to {year_row.marks_last:%-d %B %Y}: "
                        "Harbour's marks for the child over those dates are replaced."
                    )
            out.years.append(year_row)
            if year_row.marks and action == "unchanged":
                action = "update"
            out.rows.append(
                {
                    **row,
                    "action": action,
                    "changes": changes,
                    "notes": notes,
                    "file_notes": notes,
                    "reasons": [],
                    "file_reasons": [],
                }
            )
    if "encoding" in why_not:
        out.notices.append(ENCODING_NOTICE)
    if "another_school" in why_not:
        out.notices.append(ANOTHER_SCHOOL_NOTICE)
    if "term_dates" in why_not:
        out.notices.append(
            "Session marks not imported for some years: this school's term dates for those "
            "years are not entered, so Harbour cannot tell which days the marks are for."
        )
    if out.pupils_without_attendance:
        n = out.pupils_without_attendance
        out.notices.append(
            f"{n} pupil{'s' if n != 1 else ''} in the file {'have' if n != 1 else 'has'} no "
            "attendance in it."
        )
    if out.refused_count > MAX_LISTED:
        out.notices.append(
            f"The first {MAX_LISTED} of {out.refused_count} entries that cannot be imported are "
            "listed."
        )
    return out


def _refuse(out: ParsedCtfAttendance, row: dict, reasons: list[str]) -> None:
    out.refused_count += 1
    if out.refused_count <= MAX_LISTED:
        out.rows.append({**row, "action": "refused", "reasons": reasons, "file_reasons": reasons})


def _summary_values(year: CtfYearData, ctf: CtfFile) -> tuple[dict | None, list[str]]:
    reasons = []
    number = int(year.year) if year.year.isdigit() and len(year.year) == 4 else None
    if number is None:
        reasons.append("The Year must be a year such as 2024.")
    counts: dict[str, int | None] = {}
    for name, words in FIGURES:
        text = getattr(year, name)
        value = _count(text)
        if name == "sessions_attended" and not text:
            counts[name] = None
            continue
        if value is None:
            reasons.append(
                f"{words} must be a whole number of sessions"
                + (f", not {text[:20]!r}." if text else ": it is missing.")
            )
        counts[name] = value
    start = None
    if year.start_date:
        try:
            start = dt.date.fromisoformat(year.start_date)
        except ValueError:
            reasons.append("The AttendanceStartDate must be a date written as 2025-09-03.")
    possible = counts["sessions_possible"]
    authorised, unauthorised = counts["sessions_authorised"], counts["sessions_unauthorised"]
    attended = counts["sessions_attended"]
    if not reasons and possible is not None and authorised is not None and unauthorised is not None:
        absent = authorised + unauthorised
        if absent > possible:
            reasons.append(
                f"The absences ({absent} sessions) are more than the possible sessions "
                f"({possible})."
            )
        elif attended is not None and attended + absent != possible:
            reasons.append(
                f"The sessions do not add up: {attended} attended and {absent} absent, but "
                f"{possible} possible."
            )
    if reasons:
        return None, reasons
    header = ctf.header
    # An empty LEA, Estab or SchoolName is the file's own school (its header's SourceSchool).
    lea, estab = year.lea or header.source_lea, year.estab or header.source_estab
    if lea and not (lea.isdigit() and len(lea) == 3):
        reasons.append("The LEA must be a local authority's three-digit code, such as 873.")
    # "LLLL" stands for the establishment when a local authority sent the file (DOMAIN.md 6.1).
    if estab and not ((estab.isdigit() and len(estab) == 4) or estab == "LLLL"):
        reasons.append("The Estab must be a four-digit establishment number, such as 4001.")
    if reasons:
        return None, reasons
    values = {
        "year": number,
        "lea": lea,
        "estab": estab,
        "school_name": (year.school_name or header.source_school)[:200],
        "attendance_start_date": start,
        **counts,
    }
    return values, []


def _compare(before: CtfYearSummary | None, values: dict) -> tuple[str, list[list[str]]]:
    shown = [("school_name", "School"), *FIGURES]
    if before is None:
        return "create", [
            [words, "", "" if values[n] is None else str(values[n])] for n, words in shown
        ]
    changes = []
    for name, words in [*shown, ("attendance_start_date", "Attendance start date")]:
        old, new = getattr(before, name), values[name]
        if old != new:
            changes.append(
                [words, "" if old is None else str(old), "" if new is None else str(new)]
            )
    return ("update" if changes else "unchanged"), changes


def _read_marks(
    row: YearRow,
    year: CtfYearData,
    school,
    ctf: CtfFile,
    calendar: SchoolCalendar,
    today: dt.date,
) -> tuple[str, str]:
    """Fill ``row.marks`` from ``AttendanceMarks`` when it reads unambiguously; else return
    (the note for the row, why) and leave the marks empty. See the module docstring."""
    values = row.values
    if (values["lea"], values["estab"]) != (school.la_code, school.establishment_number):
        return (
            "Session marks not imported: they were recorded at another school "
            f"({values['lea'] or '?'}/{values['estab'] or '?'}).",
            "another_school",
        )
    start = values["attendance_start_date"]
    if start is None:
        return (
            "Session marks not imported: the file gives no AttendanceStartDate, so Harbour "
            "cannot tell which day the first mark is for.",
            "encoding",
        )
    unknown = sorted({c for c in year.marks if c not in SINGLE_CHARACTER_CODES})
    if unknown:
        shown = ", ".join(repr(c) for c in unknown[:8])
        return (
            "Session marks not imported: the marks hold characters that are not one-character "
            f"attendance codes ({shown}), which may be part of a two-character code such as C1 "
            "or Y1, whose encoding in a CTF is not confirmed (DOMAIN.md 6.2).",
            "encoding",
        )
    year_end = dt.date(values["year"] + 1, 8, 31)
    last = min(year_end, ctf.header.created or today)
    if start.year != values["year"] + (start.month < 9) or start > last:
        return (
            f"Session marks not imported: the AttendanceStartDate {start:%-d %B %Y} is not in "
            f"the school year {_year_label(values['year'])} before the file was made.",
            "encoding",
        )
    try:
        days = calendar.school_dates_in(start, last)
    except TermDatesMissing:
        return (
            f"Session marks not imported: this school's term dates for "
            f"{_year_label(values['year'])} are not entered.",
            "term_dates",
        )
    expected = 2 * len(days)
    if len(year.marks) != expected:
        return (
            f"Session marks not imported: the file has {len(year.marks)} marks, where one a "
            f"session on the {len(days)} school days from {start:%-d %B %Y} to "
            f"{last:%-d %B %Y} would be {expected}. Without a confirmed encoding Harbour "
            "cannot tell which session each mark is for (DOMAIN.md 6.2).",
            "encoding",
        )
    marks = year.marks
    row.marks = [
        (day, session, marks[2 * i + offset])
        for i, day in enumerate(days)
        for offset, session in enumerate((Session.AM, Session.PM))
    ]
    if days:
        row.marks_first, row.marks_last = days[0], days[-1]
    return "", ""


def ctf_attendance_save(*, school, by, parsed: ParsedCtfAttendance, sha256: str) -> dict[str, int]:
    """Save the summaries and readable marks; the caller holds the transaction (all or
    nothing). One audit event a summary, about its child. Returns counts."""
    counts: dict[str, int] = {"created": 0, "updated": 0, "marks": 0, "marks_replaced": 0}
    for row in parsed.years:
        values = row.values
        summary, created = CtfYearSummary.objects.update_or_create(
            school=school,
            pupil_id=row.pupil_id,
            year=values["year"],
            lea=values["lea"],
            estab=values["estab"],
            defaults={
                **{k: v for k, v in values.items() if k not in ("year", "lea", "estab")},
                "source_sha256": sha256,
                "imported_by": by,
            },
        )
        counts["created" if created else "updated"] += 1
        if row.marks:
            removed, _ = SessionMark.objects.filter(
                school=school,
                pupil_id=row.pupil_id,
                date__gte=row.marks_first,
                date__lte=row.marks_last,
            ).delete()
            SessionMark.objects.bulk_create(
                [
                    SessionMark(
                        school=school,
                        pupil_id=row.pupil_id,
                        date=day,
                        session=session,
                        code=code,
                        source=SessionMark.Source.CTF,
                    )
                    for day, session, code in row.marks
                ]
            )
            counts["marks"] += len(row.marks)
            counts["marks_replaced"] += removed
        audit_record(
            action=AttendanceAction.CTF_IMPORTED,
            actor=by,
            school=school,
            obj=summary,
            pupil_id=row.pupil_id,
            fields=[n for n in values if n not in ("year", "lea", "estab")],
            values={
                "year": values["year"],
                "lea": values["lea"],
                "estab": values["estab"],
                "marks": len(row.marks),
                "sha256": sha256,
                "format": "ctf",
            },
        )
    return counts
