"""Importing session marks: a CSV of ``UPN,date,session,code`` as a kind of the shared import
run (``imports.registry``; registered from ``AttendanceConfig.ready``).

* Every row is checked before anything is written: an unknown UPN (not a child of this school),
  an unknown or withdrawn code, a date or session that cannot be read, or the same session twice
  in the file refuses the whole file, each bad row listed with its reasons (all or nothing).
* Importing replaces, for each child in the file, every mark Harbour holds from the file's first
  date to its last: the same file imported twice leaves the same marks (idempotent), and a
  corrected file replaces the marks it corrects.
* Loading is in bulk: PostgreSQL's COPY (psycopg 3 ``cursor.copy``) on PostgreSQL, batched
  ``bulk_create`` elsewhere (SQLite in ``make run``). A school year for 2,000 children
  (760,000 marks) is measured in ``benchmarks/test_bench_attendance.py``.

The commit runs inside the import run's transaction (``imports.services``), so a failure part
way leaves Harbour's marks as they were.
"""

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection

from attendance.codes import CODES, WITHDRAWN
from attendance.models import Session, SessionMark
from pupils.models import Pupil
from pupils.upn import normalise_upn

COLUMNS = ("UPN", "date", "session", "code")
MAX_LISTED = 200  # bad rows listed on the page; the count says how many more
BATCH = 5000
SESSIONS = {"AM": Session.AM, "PM": Session.PM, "A": Session.AM, "P": Session.PM}


class MarksFileError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ParsedMarks:
    # (pupil_id, date, session, code)
    marks: list[tuple[int, dt.date, str, str]] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)
    refused_count: int = 0
    first: dt.date | None = None
    last: dt.date | None = None
    pupil_ids: set[int] = field(default_factory=set)
    codes: Counter = field(default_factory=Counter)


def _date(text: str, cache: dict) -> dt.date | None:
    if text in cache:
        return cache[text]
    value = None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            value = dt.datetime.strptime(text, fmt).date()
            break
        except ValueError:
            continue
    cache[text] = value
    return value


def marks_read(*, school, data: bytes, progress=None) -> ParsedMarks:
    """Read and check every row; write nothing."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MarksFileError(
            "The file is not UTF-8 text: save it from your MIS as CSV (UTF-8)."
        ) from error
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header[:4]] != [c.lower() for c in COLUMNS]:
        raise MarksFileError(
            "The first row must name the columns UPN, date, session, code (in that order)."
        )
    pupils = dict(Pupil.objects.filter(school=school).exclude(upn="").values_list("upn", "pk"))
    out = ParsedMarks()
    seen: set[tuple[int, dt.date, str]] = set()
    dates: dict = {}
    line = 1
    for line, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        reasons = []
        upn, day_text, session_text, code = ([c.strip() for c in row[:4]] + ["", "", "", ""])[:4]
        upn = normalise_upn(upn)
        pupil_id = pupils.get(upn)
        if not upn:
            reasons.append("The UPN is missing.")
        elif pupil_id is None:
            reasons.append("No child of this school has this UPN in Harbour.")
        day = _date(day_text, dates)
        if day is None:
            reasons.append("The date must be written as 2026-09-14 or 14/09/2026.")
        session = SESSIONS.get(session_text.upper())
        if session is None:
            reasons.append("The session must be AM or PM.")
        if code.upper() in CODES and code not in CODES:
            code = code.upper()
        if code not in CODES:
            if code.upper() in WITHDRAWN:
                reasons.append(
                    f"The code {code} was withdrawn in August 2024 (use C, J1 or Y1 to Y7)."
                )
            else:
                reasons.append(f"{code or 'An empty code'} is not an attendance code.")
        if not reasons:
            key = (pupil_id, day, session)
            if key in seen:
                reasons.append("This child's session is in the file twice.")
            seen.add(key)
        if reasons:
            out.refused_count += 1
            if len(out.refused) < MAX_LISTED:
                out.refused.append(
                    {
                        "label": f"Row {line}",
                        "upn": upn,
                        "name": "",
                        "action": "refused",
                        "reasons": reasons,
                        "file_reasons": reasons,
                    }
                )
            continue
        out.marks.append((pupil_id, day, session, code))
        out.pupil_ids.add(pupil_id)
        out.codes[code] += 1
        if out.first is None or day < out.first:
            out.first = day
        if out.last is None or day > out.last:
            out.last = day
        if progress and line % 50000 == 0:
            progress(line, 0)
    return out


def marks_replace(*, school, parsed: ParsedMarks, source: str = SessionMark.Source.CSV) -> int:
    """Replace the file's children's marks over the file's period with the file's marks.
    The caller holds the transaction: all or nothing. Returns the number of marks replaced."""
    if not parsed.marks:
        return 0
    removed, _ = SessionMark.objects.filter(
        school=school,
        pupil_id__in=parsed.pupil_ids,
        date__gte=parsed.first,
        date__lte=parsed.last,
    ).delete()
    if connection.vendor == "postgresql":
        _copy(school.pk, parsed.marks, source)
    else:
        for start in range(0, len(parsed.marks), BATCH):
            SessionMark.objects.bulk_create(
                [
                    SessionMark(
                        school_id=school.pk,
                        pupil_id=p,
                        date=d,
                        session=s,
                        code=c,
                        source=source,
                    )
                    for p, d, s, c in parsed.marks[start : start + BATCH]
                ]
            )
    return removed


def _copy(school_id: int, marks, source: str) -> None:
    table = SessionMark._meta.db_table
    with connection.cursor() as cursor:
        # Django's wrapper holds psycopg 3's cursor: COPY streams rows without one INSERT each.
        raw = cursor.cursor
        with raw.copy(
            f"COPY {table} (school_id, pupil_id, date, session, code, source) FROM STDIN"
        ) as copy:
            for p, d, s, c in marks:
                copy.write_row((school_id, p, d, s, c, source))
