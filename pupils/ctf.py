"""Reading a DfE Common Transfer File (CTF): the few facts Harbour keeps about each pupil.

The element names are those of DOMAIN.md 6.2 (CTF 20 to 25): ``CTfile/Header`` and
``CTfile/CTFpupilData/Pupil`` with ``UPN``, ``Surname``, ``Forename``, ``DOB``, ``Gender`` (or
``Sex``: which one CTF 24 and 25 use is not confirmed, so either is read),
``BasicDetails/PreferredSurname``, ``PreferredForename``, ``MiddleNames``, ``NCyearActual``,
``LookedAfter/InCare`` and ``CareAuthority``, and ``SENhistory/SEN/SENprovision``; and each
``Attendance/YearData`` (read as strings for ``attendance.ctf_import``; the pupil import ignores
them). Everything else in the file (addresses, contacts, assessments) is ignored and never
stored.

A CTF arrives from outside the school, so it is parsed as hostile: the size is checked before
parsing, and defusedxml refuses any document type declaration, entity or external reference
(a "billion laughs" expansion, or an entity pointing at ``file:///etc/passwd``). A real CTF
needs none of them. Every failure becomes a ``CtfError`` whose message a teacher can act on.

This module only reads XML into plain strings; ``pupils.imports`` decides what they mean.
"""

import datetime as dt
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from defusedxml import (
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from defusedxml import ElementTree as SafeElementTree

MAX_CTF_BYTES = 5 * 1024 * 1024

_EXPORT_AGAIN = "Export the file from your management information system again and upload that."


class CtfError(Exception):
    """The file cannot be read as a CTF; ``message`` says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CtfHeader:
    version: str = ""
    qualifier: str = ""  # "full" or "partial"
    created: dt.date | None = None  # the date part of Header/DateTime
    source_school: str = ""
    source_lea: str = ""
    source_estab: str = ""
    academic_year: int | None = None  # SourceSchool/AcademicYear: 2025 for 2025 to 2026


@dataclass(frozen=True)
class CtfYearData:
    """One ``Attendance/YearData`` element, every value the stripped text ("" when absent)."""

    year: str = ""
    lea: str = ""
    estab: str = ""
    school_name: str = ""
    sessions_possible: str = ""
    sessions_attended: str = ""  # SessionsAttended, or AttendSessions (DOMAIN.md 6.2)
    sessions_authorised: str = ""
    sessions_unauthorised: str = ""
    start_date: str = ""  # AttendanceStartDate
    marks: str = ""  # AttendanceMarks, unstripped: its encoding is not confirmed


@dataclass(frozen=True)
class CtfPupil:
    """One ``Pupil`` element, every value the stripped text of its element ("" when absent)."""

    position: int  # 1 for the first pupil in the file
    upn: str = ""
    surname: str = ""
    forename: str = ""
    dob: str = ""
    sex: str = ""  # from Sex, or Gender when there is no Sex
    preferred_surname: str = ""
    preferred_forename: str = ""
    middle_names: str = ""
    nc_year_actual: str = ""
    in_care: str = ""  # LookedAfter/InCare: "true", "false" or ""
    care_authority: str = ""
    sen_provision: str = ""  # of the latest SENhistory/SEN
    attendance: tuple[CtfYearData, ...] = ()


@dataclass(frozen=True)
class CtfFile:
    header: CtfHeader
    pupils: list[CtfPupil] = field(default_factory=list)


def ctf_read(data: bytes) -> CtfFile:
    """Parse ``data`` as a CTF, or raise ``CtfError``."""
    if len(data) > MAX_CTF_BYTES:
        raise CtfError(
            f"The file is larger than {MAX_CTF_BYTES // (1024 * 1024)} MB. Export only the "
            "pupils you need (for example one year group at a time) and upload each file."
        )
    if not data.strip():
        raise CtfError("The file is empty. " + _EXPORT_AGAIN)
    root = _parse(data)
    _drop_namespaces(root)
    if root.tag != "CTfile":
        raise CtfError(
            f"This XML file is not a Common Transfer File: it starts with <{root.tag[:50]}>, "
            "where a CTF starts with <CTfile>. " + _EXPORT_AGAIN
        )
    pupil_data = root.find("CTFpupilData")
    pupils = pupil_data.findall("Pupil") if pupil_data is not None else []
    if not pupils:
        raise CtfError(
            "This Common Transfer File has no pupils in it (no <CTFpupilData> with <Pupil> "
            "elements). " + _EXPORT_AGAIN
        )
    return CtfFile(
        header=_header(root.find("Header")),
        pupils=[_pupil(element, position) for position, element in enumerate(pupils, start=1)],
    )


def _parse(data: bytes) -> Element:
    try:
        return SafeElementTree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DTDForbidden as error:
        raise CtfError(
            "Harbour cannot read this file: it contains a document type declaration "
            "(<!DOCTYPE ...>). A Common Transfer File never has one, and one can be used to "
            "attack the server (entity expansion or external entities). " + _EXPORT_AGAIN
        ) from error
    except EntitiesForbidden as error:
        raise CtfError(
            "Harbour cannot read this file: it declares XML entities, which a Common Transfer "
            "File never needs and which can be used to attack the server. " + _EXPORT_AGAIN
        ) from error
    except ExternalReferenceForbidden as error:
        raise CtfError(
            "Harbour cannot read this file: it refers to other files or addresses, which a "
            "Common Transfer File never does. " + _EXPORT_AGAIN
        ) from error
    except DefusedXmlException as error:
        raise CtfError(
            "Harbour cannot read this file: it uses XML features a Common Transfer File never "
            "needs. " + _EXPORT_AGAIN
        ) from error
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise CtfError(
            f"This is not a readable XML file: it is broken at line {line}, column {column + 1}. "
            "Check that you chose the right file (a CTF ends in .xml). " + _EXPORT_AGAIN
        ) from error
    except (LookupError, ValueError) as error:  # an encoding expat cannot use
        raise CtfError(
            "This is not a readable XML file: its character encoding is not one Harbour can "
            "read. " + _EXPORT_AGAIN
        ) from error


def _drop_namespaces(root: Element) -> None:
    # CTF files carry no namespace, but a supplier that adds one should not break the import.
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]


def _text(element: Element | None, path: str) -> str:
    if element is None:
        return ""
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _header(header: Element | None) -> CtfHeader:
    created = None
    stamp = _text(header, "DateTime")
    try:
        created = dt.date.fromisoformat(stamp[:10]) if stamp else None
    except ValueError:
        created = None
    year = _text(header, "SourceSchool/AcademicYear")
    return CtfHeader(
        version=_text(header, "CTFversion") or _text(header, "CTFVersion"),
        qualifier=_text(header, "DocumentQualifier"),
        created=created,
        source_school=_text(header, "SourceSchool/SchoolName"),
        source_lea=_text(header, "SourceSchool/LEA"),
        source_estab=_text(header, "SourceSchool/Estab"),
        academic_year=int(year) if year.isdigit() and len(year) == 4 else None,
    )


def _pupil(pupil: Element, position: int) -> CtfPupil:
    details = pupil.find("BasicDetails")
    sex = (
        _text(pupil, "Sex")
        or _text(pupil, "Gender")
        or _text(details, "Sex")
        or _text(details, "Gender")
    )
    return CtfPupil(
        position=position,
        upn=_text(pupil, "UPN"),
        surname=_text(pupil, "Surname"),
        forename=_text(pupil, "Forename"),
        dob=_text(pupil, "DOB"),
        sex=sex,
        preferred_surname=_text(details, "PreferredSurname"),
        preferred_forename=_text(details, "PreferredForename"),
        middle_names=_text(details, "MiddleNames"),
        nc_year_actual=_text(details, "NCyearActual") or _text(pupil, "NCyearActual"),
        in_care=_text(pupil, "LookedAfter/InCare"),
        care_authority=_text(pupil, "LookedAfter/CareAuthority"),
        sen_provision=_latest_sen_provision(pupil.find("SENhistory")),
        attendance=tuple(_year_data(y) for y in pupil.findall("Attendance/YearData")),
    )


def _year_data(year: Element) -> CtfYearData:
    marks = year.find("AttendanceMarks")
    return CtfYearData(
        year=_text(year, "Year"),
        lea=_text(year, "LEA"),
        estab=_text(year, "Estab"),
        school_name=_text(year, "SchoolName"),
        sessions_possible=_text(year, "SessionsPossible"),
        sessions_attended=_text(year, "SessionsAttended") or _text(year, "AttendSessions"),
        sessions_authorised=_text(year, "SessionsAuthorised"),
        sessions_unauthorised=_text(year, "SessionsUnauthorised"),
        start_date=_text(year, "AttendanceStartDate"),
        # Not stripped: a space may be a session's mark in some encoding; the reader decides.
        marks=(marks.text or "") if marks is not None else "",
    )


def _latest_sen_provision(history: Element | None) -> str:
    """The provision of the SEN record that started last (the last one when none is dated)."""
    if history is None:
        return ""
    records = [
        (_text(sen, "StartDate"), position, _text(sen, "SENprovision"))
        for position, sen in enumerate(history.findall("SEN"))
    ]
    records = [r for r in records if r[2]]
    if not records:
        return ""
    return max(records)[2]
