"""A school year of session marks for every child (12,000 x about 380: about 4.5 million),
loaded with PostgreSQL's COPY, and each school's whole-roll figures (the peers every group is
compared with) for every term of 2024 to 2026.

The year is the twelve months up to "today", so the current term has marks for the daily sweep
and the dashboard. Most children attend; one in ten has a poor run (absent one day in four this
term, and four unexplained sessions in a row before "today") so the attendance sweep opens
concerns as it would in a real local authority.
"""

from __future__ import annotations

import datetime as dt
import io

from django.db import connection

from attendance.models import PeerFigures, SessionMark
from benchmarks.context import Context
from benchmarks.generators.core import BATCH
from benchmarks.registry import generator
from pupils.models import Pupil
from schools.models import School, Term
from schools.schooldays import SchoolCalendar

# A child who attends: present, with the odd illness, appointment and late mark.
GOOD = ["/"] * 27 + ["I", "M", "L"]
POOR = ["/", "\\", "N", "/", "O", "/", "I", "\\"]
# COPY's text format reads a backslash as an escape: the "\\" code (present, afternoon) is doubled.
ESCAPED = {code: code.replace("\\", "\\\\") for code in {*GOOD, *POOR, "N"}}


def school_year_dates(ctx: Context) -> list[dt.date]:
    """Every school in the generated authority has the same terms: the school days of the
    twelve months before "today"."""
    calendar = SchoolCalendar.for_school(School.objects.get(pk=ctx.largest_school_id))
    return calendar.school_dates_in(ctx.today - dt.timedelta(days=365), ctx.today - dt.timedelta(1))


def _marks(ctx: Context, days: list[dt.date], pupils: list[tuple[int, int]]):
    """The COPY text, a child at a time (tab-separated, as COPY's text format reads)."""
    term_start = min(d for d in days if d >= dt.date(ctx.today.year, 1, 1))
    iso = [d.isoformat() for d in days]
    for n, (pk, school_id) in enumerate(pupils):
        poor = n % 10 == 7
        lines = []
        for j, (day, text) in enumerate(zip(days, iso, strict=True)):
            if poor and day >= term_start:
                # The last days before "today": N four sessions in a row (the sweep's rule).
                am = pm = "N" if day >= days[-2] else POOR[(n + j) % len(POOR)]
            else:
                am = GOOD[(n * 7 + j) % len(GOOD)]
                pm = "\\" if am == "/" else am
            lines.append(f"{school_id}\t{pk}\t{text}\tAM\t{ESCAPED[am]}\tdemo\n")
            lines.append(f"{school_id}\t{pk}\t{text}\tPM\t{ESCAPED[pm]}\tdemo\n")
        yield "".join(lines)


@generator("attendance", after=["pupils"])
def attendance(ctx: Context) -> None:
    days = school_year_dates(ctx)
    table = SessionMark._meta.db_table
    rows = 0
    # Read before COPY starts: the connection runs one statement at a time.
    pupils = list(Pupil.objects.order_by("pk").values_list("pk", "school_id"))
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3's cursor: COPY streams the text
        with raw.copy(
            f"COPY {table} (school_id, pupil_id, date, session, code, source) FROM STDIN"
        ) as copy:
            buffer = io.StringIO()
            for n, chunk in enumerate(_marks(ctx, days, pupils), start=1):
                buffer.write(chunk)
                rows += chunk.count("\n")
                if n % 500 == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
    ctx.extra["attendance_days"] = days
    # The whole roll's figures, every school and term (peers for every group).
    terms = Term.objects.filter(academic_year__start_year__in=(2024, 2025)).values_list(
        "pk", "academic_year__school_id"
    )
    figures = [
        PeerFigures(
            school_id=school_id,
            term_id=term_id,
            possible_sessions=380 * 100,
            attended_sessions=380 * 93 + (term_id % 7) * 10,
            persistently_absent=14 + term_id % 5,
            on_roll=600 + school_id % 400,
        )
        for term_id, school_id in terms
    ]
    PeerFigures.objects.bulk_create(figures, batch_size=BATCH)
    ctx.count(session_marks=rows, peer_figures=len(figures))
