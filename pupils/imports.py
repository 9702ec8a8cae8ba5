"""Importing pupils and their care status from a CSV file or a DfE Common Transfer File.

The file formats are documented for schools in ``docs/imports.md``. An import runs in steps,
as the tasks of an ``imports.ImportRun`` (``pupils/import_kinds.py``):

1. ``import_file_read`` turns the uploaded bytes into ``ImportRow``s: each cell parsed, and
   whatever is wrong with a row on its own (no UPN, a bad date, a UPN on two rows) recorded
   as a problem. A file that cannot be read at all raises ``ImportFileError``.
2. ``pupils_import_preview`` matches each row to a pupil of the school by UPN and works out
   what applying it would do, against rows loaded in four queries however long the file is,
   with the rules of ``pupils.services`` (``pupil_problems``, ``episode_problems``). It writes
   nothing and calls no audited service.
3. ``pupils_import(commit=True)`` previews again against the database as it is then and, when
   no row is refused, applies every row through ``pupils.services`` (``pupil_create``,
   ``pupil_update``, ``care_episode_add``, ``care_episode_update``) in one transaction: all or
   nothing. Only what differs from Harbour is written, so importing the same file twice
   changes nothing the second time (no updates, no episodes, no audit events).

An empty cell never removes anything: it leaves what Harbour holds (on a new pupil, the
default). So a file with fewer columns, or a CTF without a child's SEN record, cannot wipe what
a teacher entered by hand.
"""

import copy
import csv
import datetime as dt
import hashlib
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.formats import date_format

from core.audit import audit_record
from pupils.audit import PupilAction
from pupils.cohort import nc_year_for, nc_year_for_age, nc_year_label
from pupils.ctf import MAX_CTF_BYTES, CtfError, CtfFile, ctf_read
from pupils.models import CareEpisode, EpisodeKind, LegalBasis, Pupil, SenStatus, Sex
from pupils.services import (
    care_episode_add,
    care_episode_update,
    episode_problems,
    pupil_create,
    pupil_problems,
    pupil_update,
)
from pupils.upn import normalise_upn, upn_problem
from schools.models import VirtualSchool
from schools.schooldays import academic_year_of

MAX_FILE_BYTES = MAX_CTF_BYTES
CSV = "csv"
CTF = "ctf"


class ImportFileError(Exception):
    """The whole file is unusable; ``message`` says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- The CSV format ------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    meaning: str
    example: str


CSV_COLUMNS = [
    Column("upn", True, "Unique pupil number, 13 characters, from your MIS", "N873400025001"),
    Column("legal_forename", True, "Legal first name", "Amelia"),
    Column("legal_surname", True, "Legal last name", "Thornbury"),
    Column("preferred_forename", False, "First name the child goes by, if different", "Millie"),
    Column("preferred_surname", False, "Last name the child goes by, if different", ""),
    Column("middle_names", False, "Middle names", "Rose"),
    Column("date_of_birth", True, "Date of birth: YYYY-MM-DD or DD/MM/YYYY", "2014-03-09"),
    Column("sex", False, "M, F or U (not known), as on the CTF", "F"),
    Column(
        "nc_year",
        False,
        "Only for a child taught outside their age group: the year they are in this school "
        "year (R for Reception, N for Nursery, 1 to 13)",
        "",
    ),
    Column("admission_date", False, "Date the child joined the school", "2025-09-03"),
    Column(
        "sen_status",
        False,
        "none, sen_support or ehc_plan (or the CTF codes N, K or E)",
        "sen_support",
    ),
    Column(
        "ehc_plan_review_date",
        False,
        "EHC plan's annual review date (only with ehc_plan)",
        "",
    ),
    Column("free_school_meals", False, "yes or no", "yes"),
    Column(
        "status",
        False,
        "in_care, previously_in_care, child_in_need_plan, child_protection_plan, kinship_care, "
        "or empty for no status on this row",
        "in_care",
    ),
    Column("status_start", False, "Date the status started (needed with a status)", "2024-11-18"),
    Column("status_end", False, "Date it ended; empty if it has not ended", ""),
    Column(
        "legal_basis",
        False,
        "In care: s20, s31, s38, s44, s46 or s21. Previously in care: adoption, sgo, cao or "
        "adopted_abroad. Empty for plans and kinship care",
        "s31",
    ),
    Column(
        "responsible_authority_code",
        False,
        "3-digit DfE code of the local authority responsible (its Virtual School)",
        "873",
    ),
]
COLUMN_NAMES = [c.name for c in CSV_COLUMNS]
REQUIRED_COLUMNS = [c.name for c in CSV_COLUMNS if c.required]


def csv_template() -> str:
    """The downloadable template: the header and one fictional example row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    writer.writerow([c.example for c in CSV_COLUMNS])
    return out.getvalue()


# --- Rows -------------------------------------------------------------------------------------


@dataclass
class EpisodeRow:
    kind: str
    # None for a CTF's "in care", which has no start date: pupils_import chooses one.
    start_date: dt.date | None
    end_date: dt.date | None = None
    legal_basis: str = ""
    authority_code: str = ""


@dataclass
class ImportRow:
    label: str  # "Row 4" (the spreadsheet row) or "Pupil 3" (the third in a CTF)
    upn: str = ""
    name: str = ""
    # The pupil fields the row gives, parsed; ``nc_year`` is this school year's year group.
    pupil: dict[str, Any] = field(default_factory=dict)
    episode: EpisodeRow | None = None
    # A CTF that says the child is not in care (Harbour changes no episode then).
    not_in_care: bool = False
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportFile:
    name: str
    sha256: str
    kind: str  # CSV or CTF
    rows: list[ImportRow]
    notices: list[str] = field(default_factory=list)  # about the whole file
    # A CTF's Header/DateTime: the start of an "in care" with no date when nothing better.
    created: dt.date | None = None

    @property
    def kind_label(self) -> str:
        return "CSV file" if self.kind == CSV else "Common Transfer File"


def import_file_read(*, name: str, data: bytes, today: dt.date) -> ImportFile:
    """Read an uploaded file (CSV or CTF, told apart by name and content), or raise
    ``ImportFileError``."""
    if not data:
        raise ImportFileError("The file is empty. Choose the file again, or export it again.")
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(_too_big())
    sha256 = hashlib.sha256(data).hexdigest()
    name = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    if _looks_like_xml(name, data):
        try:
            ctf = ctf_read(data)
        except CtfError as error:
            raise ImportFileError(error.message) from error
        upload = _rows_from_ctf(ctf, name=name, sha256=sha256, today=today)
    else:
        upload = _rows_from_csv(_csv_text(data), name=name, sha256=sha256, today=today)
    if not upload.rows:
        raise ImportFileError(
            "The file has no pupils in it: only column names. Add a row for each pupil."
        )
    _refuse_repeated_upns(upload.rows)
    return upload


def _too_big() -> str:
    return (
        f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB. Split it into smaller "
        "files (for example one year group each) and import them one after another."
    )


def _looks_like_xml(name: str, data: bytes) -> bool:
    if name.lower().endswith(".xml"):
        return True
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return start == b"<"


def _csv_text(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            "This looks like an Excel workbook (.xlsx), not a CSV file. In Excel choose File, "
            "Save As, and the type 'CSV UTF-8 (comma delimited)', then upload that file."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            "This file is saved as UTF-16 ('Unicode text'). Save it as 'CSV UTF-8 (comma "
            "delimited)' and upload it again."
        )
    if b"\x00" in data:
        raise ImportFileError(
            "This is not a CSV or CTF file: it contains binary data (it may be a spreadsheet, "
            "a PDF or an image). Save your spreadsheet as 'CSV UTF-8 (comma delimited)' and "
            "upload that file."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            "The file is not saved as UTF-8, so names with accents would come out wrong. In "
            "Excel choose File, Save As, and the type 'CSV UTF-8 (comma delimited)', then "
            "upload that file."
        ) from error


def _refuse_repeated_upns(rows: list[ImportRow]) -> None:
    seen = Counter(row.upn for row in rows if row.upn)
    for row in rows:
        if row.upn and seen[row.upn] > 1:
            others = ", ".join(r.label for r in rows if r.upn == row.upn and r is not row)
            row.problems.append(
                f"UPN {row.upn} is also on {others}: each pupil must be in the file once"
            )


# --- Parsing one value ----------------------------------------------------------------------


def _date(raw: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{raw}' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY")


def _sex(raw: str) -> str:
    value = {"male": "M", "female": "F", "not known": "U", "unknown": "U"}.get(
        raw.lower(), raw.upper()
    )
    if value not in Sex.values:
        raise ValueError(f"'{raw}' is not a sex Harbour records: use M, F or U (not known)")
    return value


_SEN_CODES = {"n": SenStatus.NONE, "k": SenStatus.SEN_SUPPORT, "e": SenStatus.EHC_PLAN}


def _sen(raw: str) -> str:
    value = _code(raw)
    value = _SEN_CODES.get(value, value)
    if value not in SenStatus.values:
        raise ValueError(
            f"'{raw}' is not an SEN status: use none, sen_support or ehc_plan (or N, K or E)"
        )
    return value


def _yes_no(raw: str) -> bool:
    value = {"yes": True, "y": True, "true": True, "1": True}.get(raw.lower())
    if value is None:
        value = {"no": False, "n": False, "false": False, "0": False}.get(raw.lower())
    if value is None:
        raise ValueError(f"'{raw}' is not yes or no")
    return value


def _nc_year(raw: str) -> int:
    value = raw.lower().removeprefix("year").strip()
    if value in ("r", "reception"):
        return 0
    if value in ("n", "n1", "n2", "nursery"):
        return -1
    if value.isdigit() and 1 <= int(value) <= 13:
        return int(value)
    raise ValueError(f"'{raw}' is not a year group: use R, N or a number from 1 to 13")


def _kind(raw: str) -> str:
    value = _code(raw)
    if value not in EpisodeKind.values:
        raise ValueError(
            f"'{raw}' is not a status Harbour knows: use one of {', '.join(EpisodeKind.values)}"
        )
    return value


def _legal_basis(raw: str) -> str:
    value = _code(raw)
    if value not in LegalBasis.values:
        raise ValueError(
            f"'{raw}' is not a legal basis Harbour knows: use one of {', '.join(LegalBasis.values)}"
        )
    return value


def _la_code(raw: str) -> str:
    if not (raw.isdigit() and len(raw) == 3):
        raise ValueError(f"'{raw}' is not a local authority code: it is 3 digits, such as 873")
    return raw


def _code(raw: str) -> str:
    """``"In care"``, ``"in-care"`` and ``"IN_CARE"`` all read as ``"in_care"``."""
    return "_".join(raw.lower().replace("-", " ").split())


class _Cells:
    """The cells of one row, read by column name; a problem is recorded against the row
    instead of stopping at the first."""

    def __init__(self, row: ImportRow, values: dict[str, str], columns: dict[str, str]):
        self.row = row
        self.values = values
        self.columns = columns  # field or cell name -> what the user calls it in the file

    def raw(self, name: str) -> str:
        return (self.values.get(name) or "").strip()

    def parse(self, name: str, parser=None, *, required: str = ""):
        raw = self.raw(name)
        if not raw:
            if required:
                self.row.problems.append(f"{self.columns[name]}: {required}")
            return None
        if parser is None:
            return raw
        try:
            return parser(raw)
        except ValueError as error:
            self.row.problems.append(f"{self.columns[name]}: {error}")
            return None

    def text(self, name: str, model_field: str, *, required: str = "") -> None:
        """A name field of the pupil, checked against the column's length."""
        value = self.parse(name, required=required)
        if value is None:
            return
        limit = getattr(Pupil._meta.get_field(model_field), "max_length", None)
        if limit and len(value) > limit:
            self.row.problems.append(
                f"{self.columns[name]}: longer than {limit} characters, the most Harbour keeps"
            )
            return
        self.row.pupil[model_field] = value

    def value(self, name: str, model_field: str, parser, *, required: str = "") -> Any:
        value = self.parse(name, parser, required=required)
        if value is not None:
            self.row.pupil[model_field] = value
        return value

    def upn(self, name: str) -> None:
        upn = normalise_upn(self.raw(name))
        if not upn:
            self.row.problems.append(
                f"{self.columns[name]}: empty. Harbour matches pupils by UPN, so every pupil "
                "needs one"
            )
        elif problem := upn_problem(upn):
            self.row.problems.append(f"{self.columns[name]} {upn}: {problem}")
        else:
            self.row.upn = upn


def _display_name(pupil: dict[str, Any]) -> str:
    forename = pupil.get("preferred_forename") or pupil.get("legal_forename") or ""
    surname = pupil.get("preferred_surname") or pupil.get("legal_surname") or ""
    return f"{forename} {surname}".strip()


# --- CSV ------------------------------------------------------------------------------------


def _rows_from_csv(text: str, *, name: str, sha256: str, today: dt.date) -> ImportFile:
    records = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next((r for r in records if any(cell.strip() for cell in r)), None)
        if header is None:
            raise ImportFileError("The file is empty. Choose the file again, or export it again.")
        columns = [_code(cell) for cell in header]
        _check_header(columns)
        upload = ImportFile(name=name, sha256=sha256, kind=CSV, rows=[])
        unknown = [c for c in columns if c and c not in COLUMN_NAMES]
        if unknown:
            upload.notices.append(
                "Harbour ignored these columns, which are not in its template: "
                + ", ".join(unknown)
            )
        number = 1
        for record in records:
            number += 1
            if not any(cell.strip() for cell in record):
                continue
            upload.rows.append(_csv_row(f"Row {number}", columns, record))
    except csv.Error as error:
        raise ImportFileError(
            f"Harbour cannot read this CSV file ({error}). Save it from your spreadsheet as "
            "'CSV UTF-8 (comma delimited)' and upload it again."
        ) from error
    return upload


def _check_header(columns: list[str]) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ImportFileError(
            f"The file is missing the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}. The first row must hold the column names of Harbour's "
            "template: download the template and copy your data into it."
        )
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        raise ImportFileError(
            f"The column{'s' if len(repeated) > 1 else ''} {', '.join(repeated)} "
            f"appear{'' if len(repeated) > 1 else 's'} more than once in the first row. Keep "
            "one of each."
        )


def _csv_row(label: str, columns: list[str], record: list[str]) -> ImportRow:
    row = ImportRow(label=label)
    if len(record) > len(columns) and any(cell.strip() for cell in record[len(columns) :]):
        row.problems.append("has more cells than there are column names: check for a stray comma")
    values = {c: v for c, v in zip(columns, record, strict=False) if c in COLUMN_NAMES}
    cells = _Cells(row, values, {c: c for c in COLUMN_NAMES})
    cells.upn("upn")
    cells.text("legal_forename", "legal_forename", required="empty: enter the legal first name")
    cells.text("legal_surname", "legal_surname", required="empty: enter the legal last name")
    cells.text("preferred_forename", "preferred_forename")
    cells.text("preferred_surname", "preferred_surname")
    cells.text("middle_names", "middle_names")
    cells.value("date_of_birth", "date_of_birth", _date, required="empty: enter the date of birth")
    cells.value("sex", "sex", _sex)
    cells.value("nc_year", "nc_year", _nc_year)
    cells.value("admission_date", "admission_date", _date)
    cells.value("sen_status", "sen_status", _sen)
    cells.value("ehc_plan_review_date", "ehc_plan_review_date", _date)
    cells.value("free_school_meals", "free_school_meals", _yes_no)
    row.name = _display_name(row.pupil)
    _csv_episode(row, cells)
    return row


def _csv_episode(row: ImportRow, cells: _Cells) -> None:
    kind = cells.parse("status", _kind)
    start = cells.parse("status_start", _date)
    end = cells.parse("status_end", _date)
    basis = cells.parse("legal_basis", _legal_basis)
    code = cells.parse("responsible_authority_code", _la_code)
    if kind is None:
        given = [
            n
            for n in ("status_start", "status_end", "legal_basis", "responsible_authority_code")
            if cells.raw(n)
        ]
        if given and not cells.raw("status"):
            row.problems.append(
                f"status: empty, but {', '.join(given)} {'is' if len(given) == 1 else 'are'} "
                "filled in. Enter the status, or empty those cells"
            )
        return
    if start is None:
        if not cells.raw("status_start"):
            row.problems.append("status_start: empty: enter the date the status started")
        return
    row.episode = EpisodeRow(
        kind=kind,
        start_date=start,
        end_date=end,
        legal_basis=basis or "",
        authority_code=code or "",
    )


# --- CTF ------------------------------------------------------------------------------------

_CTF_NAMES = {
    "upn": "UPN",
    "surname": "Surname",
    "forename": "Forename",
    "dob": "DOB",
    "sex": "Sex/Gender",
    "preferred_surname": "PreferredSurname",
    "preferred_forename": "PreferredForename",
    "middle_names": "MiddleNames",
    "nc_year_actual": "NCyearActual",
    "sen_provision": "SENprovision",
    "in_care": "InCare",
    "care_authority": "CareAuthority",
}


def _ctf_nc_year(raw: str) -> int | None:
    # CBDS code "X": not following the national curriculum. Harbour keeps the age group.
    return None if raw.upper() == "X" else _nc_year(raw)


def _rows_from_ctf(ctf: CtfFile, *, name: str, sha256: str, today: dt.date) -> ImportFile:
    header = ctf.header
    upload = ImportFile(name=name, sha256=sha256, kind=CTF, rows=[], created=header.created)
    source = header.source_school or "a school"
    if header.source_lea and header.source_estab:
        source += f" ({header.source_lea}/{header.source_estab})"
    made = f", made on {date_format(header.created, 'j F Y')}" if header.created else ""
    version = f" version {header.version}" if header.version else ""
    upload.notices.append(f"Common Transfer File{version} from {source}{made}.")
    # NCyearActual is the year group in the file's school year, which may not be this one.
    file_year = header.academic_year or academic_year_of(header.created or today)
    for pupil in ctf.pupils:
        row = ImportRow(label=f"Pupil {pupil.position}")
        cells = _Cells(row, {k: getattr(pupil, k) for k in _CTF_NAMES}, _CTF_NAMES)
        cells.upn("upn")
        cells.text("forename", "legal_forename", required="empty: the file has no first name")
        cells.text("surname", "legal_surname", required="empty: the file has no last name")
        cells.text("preferred_forename", "preferred_forename")
        cells.text("preferred_surname", "preferred_surname")
        cells.text("middle_names", "middle_names")
        dob = cells.value("dob", "date_of_birth", _date, required="empty: no date of birth")
        cells.value("sex", "sex", _sex)
        cells.value("sen_provision", "sen_status", _sen)
        year = cells.parse("nc_year_actual", _ctf_nc_year)
        if year is not None and dob is not None:
            offset = year - nc_year_for_age(dob, file_year)
            row.pupil["nc_year"] = nc_year_for(dob, offset, today)
        row.name = _display_name(row.pupil)
        in_care = cells.parse("in_care", _yes_no)
        if in_care:
            code = cells.parse("care_authority", _la_code)
            row.episode = EpisodeRow(
                kind=EpisodeKind.IN_CARE, start_date=None, authority_code=code or ""
            )
            if not cells.raw("care_authority"):
                row.notes.append(
                    "The file does not say which local authority looks after the child: add "
                    "the responsible authority on the child's page."
                )
        elif in_care is False:
            row.not_in_care = True
        upload.rows.append(row)
    return upload


# --- Matching, previewing and applying ----------------------------------------------------------

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
REFUSED = "refused"

_LABELS = {
    "legal_forename": "Legal first name",
    "middle_names": "Middle names",
    "legal_surname": "Legal last name",
    "preferred_forename": "Preferred first name",
    "preferred_surname": "Preferred last name",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "nc_year": "Year group",
    "admission_date": "Admission date",
    "sen_status": "SEN",
    "ehc_plan_review_date": "EHC plan review date",
    "free_school_meals": "Free school meals",
    "end_date": "End date",
    "legal_basis": "Legal basis",
    "responsible_authority": "Responsible authority",
}

# What a person who may not see the child's record is told instead of a reason that comes
# from Harbour's record of that child (see ``imports.selectors``).
RECORD_REASON = (
    "What Harbour holds about this child does not allow this row. Ask the designated teacher "
    "to check it"
)


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class RowOutcome:
    row: ImportRow
    action: str  # CREATE, UPDATE, UNCHANGED or REFUSED
    changes: list[Change] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Where the file and Harbour's record disagree and Harbour keeps its own (shown, not
    # applied): a CTF's "in care" for a child whose time in care has ended, and so on.
    disagreements: list[str] = field(default_factory=list)
    # The row matched a child Harbour already holds (by UPN), or was refused because of
    # another child's record: what it shows then comes from the record, not only the file.
    existing: bool = False
    from_record: bool = False
    pupil: Pupil | None = None  # the child matched, for the commit

    @property
    def file_reasons(self) -> list[str]:
        """The reasons that come from the file alone (a bad date, a missing UPN)."""
        return list(self.row.problems)

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.row.label,
            "upn": self.row.upn,
            "name": self.row.name,
            "action": self.action,
            "changes": [[c.label, c.old, c.new] for c in self.changes],
            "reasons": self.reasons,
            "file_reasons": self.file_reasons,
            "file_notes": list(self.row.notes),
            "notes": self.notes,
            "disagreements": self.disagreements,
            "existing": self.existing,
            "from_record": self.from_record,
        }


@dataclass
class ImportResult:
    upload: ImportFile
    outcomes: list[RowOutcome]
    committed: bool = False

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def refused(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.action == REFUSED]

    @property
    def disagreeing(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.disagreements]

    @property
    def has_changes(self) -> bool:
        return any(o.action in (CREATE, UPDATE) for o in self.outcomes)

    @property
    def can_confirm(self) -> bool:
        return not self.refused and self.has_changes

    def counts(self) -> dict[str, int]:
        counts = {a: self.count(a) for a in (CREATE, UPDATE, UNCHANGED, REFUSED)}
        counts["disagree"] = len(self.disagreeing)
        return counts

    def summary(self, *, done: bool = False) -> str:
        """The counts, as "12 to create, 3 to update, 2 unchanged, 1 refused" or, once done,
        "12 created, 3 updated, 2 unchanged"."""
        return counts_summary(self.counts(), done=done)


def counts_summary(counts: dict[str, int], *, done: bool = False) -> str:
    words = (
        {CREATE: "created", UPDATE: "updated", UNCHANGED: "unchanged"}
        if done
        else {CREATE: "to create", UPDATE: "to update", UNCHANGED: "unchanged", REFUSED: "refused"}
    )
    text = ", ".join(f"{counts.get(action, 0)} {word}" for action, word in words.items())
    if counts.get("disagree"):
        text += f" ({counts['disagree']} disagree with Harbour)"
    return text


@dataclass
class _RowPlan:
    """What committing one row does, worked out without writing anything."""

    outcome: RowOutcome
    create: dict[str, Any] | None = None
    update: dict[str, Any] | None = None
    episode_add: dict[str, Any] | None = None
    episode_update: tuple[CareEpisode, dict[str, Any]] | None = None


@dataclass
class _Known:
    """What Harbour holds that the file's rows are matched against: loaded in a fixed number
    of queries however long the file is."""

    pupils: dict[str, Pupil]  # by UPN, each with ``episodes`` (every kind, newest first)
    unnumbered: dict[tuple[str, str, dt.date], Pupil]  # pupils with no UPN
    authorities: dict[str, VirtualSchool]


def _known(school, upload: ImportFile) -> _Known:
    upns = [row.upn for row in upload.rows if row.upn]
    episodes = CareEpisode.objects.select_related("responsible_authority").order_by(
        "-start_date", "-pk"
    )
    pupils = {
        p.upn: p
        for p in Pupil.objects.filter(school=school, upn__in=upns).prefetch_related(
            Prefetch("care_episodes", queryset=episodes, to_attr="episodes")
        )
    }
    unnumbered: dict[tuple[str, str, dt.date], Pupil] = {}
    if any(not row.upn or row.upn not in pupils for row in upload.rows):
        for twin in Pupil.objects.filter(school=school, upn="").order_by("pk"):
            key = (twin.legal_forename.lower(), twin.legal_surname.lower(), twin.date_of_birth)
            unnumbered.setdefault(key, twin)
    codes = {row.episode.authority_code for row in upload.rows if row.episode}
    authorities = {v.la_code: v for v in VirtualSchool.objects.filter(la_code__in=codes)}
    return _Known(pupils=pupils, unnumbered=unnumbered, authorities=authorities)


def pupils_import_preview(
    *,
    school,
    upload: ImportFile,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[ImportResult, list[_RowPlan]]:
    """What importing ``upload`` would do, row by row: reads Harbour (four queries, however
    many rows) and writes nothing. The rules are those of ``pupils.services``
    (``pupil_problems``, ``episode_problems``), so the preview refuses what the commit would."""
    known = _known(school, upload)
    plans = []
    total = len(upload.rows)
    for number, row in enumerate(upload.rows, start=1):
        plans.append(
            _plan_row(row, school=school, known=known, today=today, created=upload.created)
        )
        if progress and (number % PROGRESS_EVERY == 0 or number == total):
            progress(number, total)
    return ImportResult(upload=upload, outcomes=[p.outcome for p in plans]), plans


PROGRESS_EVERY = 500


def pupils_import(
    *,
    school,
    by,
    upload: ImportFile,
    today: dt.date,
    commit: bool,
    request: HttpRequest | None = None,
) -> ImportResult:
    """Apply ``upload`` to the school's pupils; keep the result only when ``commit`` is true
    and no row is refused (all or nothing). With ``commit`` false it is the preview, which
    writes nothing at all."""
    if not commit:
        return pupils_import_preview(school=school, upload=upload, today=today)[0]
    with transaction.atomic():
        # The services lock each child's row and check again as they write, so a record
        # changed since this preview refuses the row and the whole file is rolled back.
        result, plans = pupils_import_preview(school=school, upload=upload, today=today)
        if result.refused or not result.has_changes:
            return result
        for plan in plans:
            try:
                _apply_plan(plan, school=school, by=by, today=today, request=request)
            except ValidationError as error:
                # The record changed between the preview and this write (another person saved
                # the same child at the same moment): nothing of the file is kept.
                transaction.set_rollback(True)
                plan.outcome.action = REFUSED
                plan.outcome.from_record = True
                plan.outcome.reasons = [
                    "Harbour's record of this child changed while the file was being imported: "
                    + "; ".join(_messages(error))
                ]
                return result
            except (IntegrityError, DataError):
                transaction.set_rollback(True)
                plan.outcome.action = REFUSED
                plan.outcome.from_record = True
                plan.outcome.reasons = [
                    "Harbour could not save this row: it clashes with a record saved at the same "
                    "moment. Upload the file again"
                ]
                return result
        audit_record(
            action=PupilAction.IMPORTED,
            actor=by,
            school=school,
            # Not the file's name: whoever saved it may have named a child in it.
            values={
                "sha256": upload.sha256,
                "format": upload.kind,
                "rows": {
                    "created": result.count(CREATE),
                    "updated": result.count(UPDATE),
                    "unchanged": result.count(UNCHANGED),
                },
            },
            request=request,
        )
        result.committed = True
        return result


def _apply_plan(plan: _RowPlan, *, school, by, today: dt.date, request) -> None:
    row = plan.outcome.row
    pupil = None
    if plan.create is not None:
        pupil = pupil_create(
            school=school, by=by, today=today, upn=row.upn, request=request, **plan.create
        )
    elif plan.update:
        pupil = pupil_update(
            pupil=plan.outcome.pupil,  # type: ignore[arg-type]
            by=by,
            today=today,
            request=request,
            **plan.update,
        )
    if plan.episode_add is not None:
        care_episode_add(
            pupil=pupil or plan.outcome.pupil,  # type: ignore[arg-type]
            by=by,
            request=request,
            **plan.episode_add,
        )
    if plan.episode_update is not None:
        episode, updates = plan.episode_update
        care_episode_update(episode=episode, by=by, request=request, **updates)


def _plan_row(
    row: ImportRow, *, school, known: _Known, today: dt.date, created: dt.date | None
) -> _RowPlan:
    pupil = known.pupils.get(row.upn) if row.upn else None
    outcome = RowOutcome(
        row, UNCHANGED, notes=list(row.notes), existing=pupil is not None, pupil=pupil
    )
    plan = _RowPlan(outcome)
    reasons = list(row.problems)
    authority = None
    if row.episode and row.episode.authority_code:
        authority = known.authorities.get(row.episode.authority_code)
        if authority is None:
            reasons.append(
                f"The local authority code {row.episode.authority_code} is not in Harbour's "
                "Virtual School directory. Ask your school administrator to add that local "
                "authority's Virtual School (Virtual Schools page), then upload the file again"
            )
    if pupil is None and not reasons and (twin := _unnumbered_twin(known, row)):
        outcome.from_record = True
        reasons.append(
            f"Harbour already has {twin.display_name}, born "
            f"{date_format(twin.date_of_birth, 'j F Y')}, with no UPN. Add this UPN to their "
            "record first, so the import updates them instead of adding the child twice"
        )
    if reasons:
        return _refuse(plan, reasons)

    if pupil is None:
        fields = dict(row.pupil)
        nc_year = fields.pop("nc_year", None)
        after = Pupil(school=school, upn=row.upn, **fields)
        after.nc_year_offset = _nc_year_offset(after.date_of_birth, nc_year, today)
        problems = pupil_problems(after, today=today, upn_holder=None)
        if problems:
            return _refuse(plan, list(problems.values()))
        outcome.action = CREATE
        outcome.changes = [Change(_LABELS[n], "", _shown(n, v)) for n, v in row.pupil.items()]
        plan.create = dict(row.pupil)
        episodes: list[CareEpisode] = []
    else:
        updates, changes = _pupil_updates(pupil, row.pupil, today)
        after = copy.copy(pupil)
        for name, value in updates.items():
            if name != "nc_year":
                setattr(after, name, value)
        if "nc_year" in updates:
            after.nc_year_offset = _nc_year_offset(after.date_of_birth, updates["nc_year"], today)
        problems = pupil_problems(after, today=today, upn_holder=None)
        if problems:
            outcome.from_record = True
            return _refuse(plan, list(problems.values()))
        if updates:
            outcome.action = UPDATE
            outcome.changes = changes
            plan.update = updates
        episodes = list(pupil.episodes)  # type: ignore[attr-defined]

    try:
        episode_changes = _plan_episode(
            plan, after, episodes, authority=authority, created=created, today=today
        )
    except ValidationError as error:
        outcome.from_record = outcome.existing
        return _refuse(plan, ["Status: " + m for m in _messages(error)])
    if episode_changes and outcome.action == UNCHANGED:
        outcome.action = UPDATE
    outcome.changes += episode_changes
    return plan


def _refuse(plan: _RowPlan, reasons: list[str]) -> _RowPlan:
    plan.outcome.action = REFUSED
    plan.outcome.reasons = reasons
    plan.outcome.changes = []
    plan.create = plan.update = plan.episode_add = plan.episode_update = None
    return plan


def _nc_year_offset(date_of_birth: dt.date, nc_year: int | None, today: dt.date) -> int:
    return 0 if nc_year is None else nc_year - nc_year_for(date_of_birth, 0, today)


def _unnumbered_twin(known: _Known, row: ImportRow) -> Pupil | None:
    """A pupil of the school with no UPN who looks like this row's child."""
    given = row.pupil
    if not all(given.get(n) for n in ("legal_forename", "legal_surname", "date_of_birth")):
        return None
    key = (
        given["legal_forename"].lower(),
        given["legal_surname"].lower(),
        given["date_of_birth"],
    )
    return known.unnumbered.get(key)


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)


def _pupil_updates(
    pupil: Pupil, given: dict[str, Any], today: dt.date
) -> tuple[dict[str, Any], list[Change]]:
    """The arguments for ``pupil_update`` that make the pupil match the row, and the changes
    to show. Fields the row leaves empty are not in ``given``, so they are kept."""
    updates = {
        name: value
        for name, value in given.items()
        if name != "nc_year" and getattr(pupil, name) != value
    }
    changes = [
        Change(_LABELS[n], _shown(n, getattr(pupil, n)), _shown(n, v)) for n, v in updates.items()
    ]
    # A review date belongs only to an EHC plan (pupils.services): when the file says the
    # plan has gone, so has its review date.
    if (
        updates.get("sen_status", SenStatus.EHC_PLAN) != SenStatus.EHC_PLAN
        and pupil.ehc_plan_review_date
        and "ehc_plan_review_date" not in given
    ):
        updates["ehc_plan_review_date"] = None
        changes.append(
            Change(
                _LABELS["ehc_plan_review_date"],
                _shown("ehc_plan_review_date", pupil.ehc_plan_review_date),
                "",
            )
        )
    if "nc_year" in given:
        date_of_birth = updates.get("date_of_birth", pupil.date_of_birth)
        if given["nc_year"] - nc_year_for(date_of_birth, 0, today) != pupil.nc_year_offset:
            updates["nc_year"] = given["nc_year"]
            old = nc_year_for(pupil.date_of_birth, pupil.nc_year_offset, today)
            changes.append(
                Change(_LABELS["nc_year"], nc_year_label(old), nc_year_label(given["nc_year"]))
            )
    return updates, changes


def _check(episode: CareEpisode, pupil: Pupil, episodes: list[CareEpisode]) -> None:
    problems = episode_problems(episode, pupil, others=episodes)
    if problems:
        raise ValidationError(problems)


def _plan_episode(
    plan: _RowPlan,
    pupil: Pupil,
    episodes: list[CareEpisode],
    *,
    authority: VirtualSchool | None,
    created: dt.date | None,
    today: dt.date,
) -> list[Change]:
    row, outcome = plan.outcome.row, plan.outcome
    episode = row.episode
    in_care = [e for e in episodes if e.kind == EpisodeKind.IN_CARE]
    if episode is None:
        current = next((e for e in in_care if _in_force_or_open(e, today)), None)
        if row.not_in_care and current:
            outcome.disagreements.append(
                f"The file says the child is not in care, but Harbour records them in care "
                f"since {_day(current.start_date)}. Harbour has not changed that: if the time "
                "in care has ended, record the end on the child's page."
            )
        return []
    if episode.start_date is None:
        return _plan_ctf_in_care(
            plan, pupil, in_care, authority=authority, created=created, today=today
        )

    existing = next(
        (e for e in episodes if e.kind == episode.kind and e.start_date == episode.start_date),
        None,
    )
    if existing is None:
        new = CareEpisode(
            kind=episode.kind,
            start_date=episode.start_date,
            end_date=episode.end_date,
            legal_basis=episode.legal_basis,
            responsible_authority=authority,
        )
        _check(new, pupil, episodes)
        plan.episode_add = {
            "kind": episode.kind,
            "start_date": episode.start_date,
            "end_date": episode.end_date,
            "legal_basis": episode.legal_basis,
            "responsible_authority": authority,
        }
        return [Change("Status", "", _episode_text(episode, authority))]
    updates: dict[str, Any] = {}
    if episode.end_date and existing.end_date != episode.end_date:
        updates["end_date"] = episode.end_date
    if episode.legal_basis and existing.legal_basis != episode.legal_basis:
        updates["legal_basis"] = episode.legal_basis
    if authority and existing.responsible_authority_id != authority.pk:
        updates["responsible_authority"] = authority
    if not updates:
        return []
    after = copy.copy(existing)
    for name, value in updates.items():
        setattr(after, name, value)
    _check(after, pupil, episodes)
    plan.episode_update = (existing, updates)
    what = f"{EpisodeKind(existing.kind).label} from {_day(existing.start_date)}"
    return [
        Change(f"{what}: {_LABELS[n].lower()}", _shown(n, getattr(existing, n)), _shown(n, v))
        for n, v in updates.items()
    ]


def _in_force_or_open(episode: CareEpisode, on: dt.date) -> bool:
    return episode.end_date is None or episode.in_force_on(on)


def _plan_ctf_in_care(
    plan: _RowPlan,
    pupil: Pupil,
    in_care: list[CareEpisode],
    *,
    authority: VirtualSchool | None,
    created: dt.date | None,
    today: dt.date,
) -> list[Change]:
    """A CTF says the child is in care but not since when. When Harbour has them in care now,
    that is the same time in care. When Harbour records a time in care that has ended, the
    two disagree and Harbour keeps its own. Otherwise the time in care starts on the admission
    date, or failing that the day the file was made, marked as a guess (not confirmed) until
    the designated teacher confirms it, and the preview says so."""
    outcome = plan.outcome
    current = next((e for e in in_care if _in_force_or_open(e, today)), None)
    if current is not None:
        recorded = current.responsible_authority
        if authority is None or recorded == authority:
            return []
        if recorded is None:
            plan.episode_update = (current, {"responsible_authority": authority})
            return [
                Change(
                    f"In care from {_day(current.start_date)}: responsible authority",
                    "",
                    str(authority),
                )
            ]
        outcome.disagreements.append(
            f"The file says {authority.local_authority_name} looks after the child; Harbour "
            f"records {recorded.local_authority_name}. Harbour has not "
            "changed that: if the child has moved to another authority's care, record it on "
            "the child's page."
        )
        return []
    if in_care:
        ended = max(in_care, key=lambda e: e.end_date or dt.date.max)
        outcome.disagreements.append(
            f"The file says the child is in care, but Harbour records that their time in care "
            f"ended on {_day(ended.end_date)}. Harbour has not changed that: if the child is "  # type: ignore[arg-type]
            "in care again, add the new time in care on the child's page."
        )
        return []
    if pupil.admission_date:
        start, why = pupil.admission_date, "the admission date"
    elif created:
        start, why = created, "the day the file was made"
    else:
        start, why = today, "today, as the file does not say when it was made"
    new = CareEpisode(kind=EpisodeKind.IN_CARE, start_date=start, responsible_authority=authority)
    _check(new, pupil, in_care)
    plan.episode_add = {
        "kind": EpisodeKind.IN_CARE,
        "start_date": start,
        "responsible_authority": authority,
        "start_date_confirmed": False,
        "notes": (
            "Imported from a Common Transfer File, which gives no start date or legal basis: "
            f"the start date is {why}, not confirmed."
        ),
    }
    outcome.notes.append(
        f"The file says the child is in care but not since when: the time in care will start "
        f"on {_day(start)}, {why}, marked as not confirmed. No PEP reminder or notice counts "
        "from it until the designated teacher confirms or corrects it on the child's page. "
        "The legal basis is not in the file either."
    )
    return [
        Change(
            "Status",
            "",
            f"In care from {_day(start)} (not confirmed)" + _authority_text(authority),
        )
    ]


def _day(value: dt.date) -> str:
    return date_format(value, "j F Y")


def _authority_text(authority: VirtualSchool | None) -> str:
    return f", {authority.local_authority_name}" if authority else ""


def _episode_text(episode: EpisodeRow, authority: VirtualSchool | None) -> str:
    text = f"{EpisodeKind(episode.kind).label} from {_day(episode.start_date)}"  # type: ignore[arg-type]
    if episode.end_date:
        text += f" to {_day(episode.end_date)}"
    if episode.legal_basis:
        text += f", {LegalBasis(episode.legal_basis).label}"
    return text + _authority_text(authority)


def _shown(name: str, value: Any) -> str:
    """A value as the preview shows it."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return _day(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name == "sex":
        return Sex(value).label
    if name == "sen_status":
        return SenStatus(value).label
    if name == "legal_basis":
        return LegalBasis(value).label
    if name == "nc_year":
        return nc_year_label(value)
    return str(value)
