"""The attendance register codes in force in England since 19 August 2024, as data.

Source: the School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208),
regulation 10, and "Working together to improve school attendance" (August 2024); DOMAIN.md
1.2 gives each code its statistical category, 1.4 the figures built on them.

Two-character codes (``C1``, ``C2``, ``J1``, ``Y1`` to ``Y7``) are codes like any other: a mark
is stored as its code, never as one character a session. ``Q``, ``Y1``-``Y7`` and ``D`` are not
possible sessions (DOMAIN.md 1.2 flags this as understood, not confirmed in primary text: the
pre-2024 treatment of ``Y`` and ``D``); the withdrawn ``H``, ``J``, ``F`` and ``Y`` are refused.
"""

from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    PRESENT = "present"
    AEA = "aea"  # attending an approved educational activity: counts as attendance
    AUTHORISED = "authorised"
    UNAUTHORISED = "unauthorised"
    NOT_POSSIBLE = "not_possible"  # left out of possible sessions

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    Category.PRESENT: "Present",
    Category.AEA: "Approved educational activity",
    Category.AUTHORISED: "Authorised absence",
    Category.UNAUTHORISED: "Unauthorised absence",
    Category.NOT_POSSIBLE: "Not a possible session",
}


@dataclass(frozen=True)
class Code:
    code: str
    meaning: str
    category: Category


_P, _A, _AU, _U, _N = (
    Category.PRESENT,
    Category.AEA,
    Category.AUTHORISED,
    Category.UNAUTHORISED,
    Category.NOT_POSSIBLE,
)

CODES: dict[str, Code] = {
    c.code: c
    for c in (
        Code("/", "Present at morning registration", _P),
        Code("\\", "Present at afternoon registration", _P),
        Code("L", "Late, arrived before the register closed", _P),
        Code("K", "Attending education arranged by the local authority", _A),
        Code("V", "Educational visit or trip", _A),
        Code("P", "Approved sporting activity", _A),
        Code("W", "Work experience", _A),
        Code("B", "Other approved, supervised off-site educational activity", _A),
        Code("D", "Dual registered: attending the other school", _N),
        Code("C1", "Leave: licensed performance or employment abroad", _AU),
        Code("M", "Leave: medical or dental appointment", _AU),
        Code("J1", "Leave: interview for employment or admission", _AU),
        Code("S", "Leave: study leave", _AU),
        Code("X", "Non-compulsory school age, not required to attend", _N),
        Code("C2", "Leave: part-time timetable", _AU),
        Code("C", "Leave: exceptional circumstances", _AU),
        Code("T", "Parent travelling for occupational purposes", _AU),
        Code("R", "Religious observance", _AU),
        Code("I", "Illness (not medical or dental appointments)", _AU),
        Code("E", "Suspended or excluded, no alternative provision", _AU),
        Code("Q", "Unable to attend: local authority access arrangements not made", _N),
        Code("Y1", "Unable to attend: transport not available", _N),
        Code("Y2", "Unable to attend: widespread travel disruption", _N),
        Code("Y3", "Unable to attend: part of the premises closed", _N),
        Code("Y4", "Unable to attend: whole school site unexpectedly closed", _N),
        Code("Y5", "Unable to attend: in criminal justice detention", _N),
        Code("Y6", "Unable to attend: public health guidance or law", _N),
        Code("Y7", "Unable to attend: any other unavoidable cause", _N),
        Code("G", "Holiday not granted by the school", _U),
        Code("N", "Reason for absence not yet provided", _U),
        Code("O", "Absent in other or unknown circumstances", _U),
        Code("U", "Arrived after the register closed", _U),
        Code("Z", "Prospective pupil not yet on the admission register", _N),
        Code("#", "Planned whole-school closure", _N),
    )
}

WITHDRAWN = {"H", "J", "F", "Y"}  # DOMAIN.md 1.3: refused with a message naming the new code

LATE_BEFORE_CLOSE = "L"
LATE_AFTER_CLOSE = "U"
ILLNESS = "I"  # DOMAIN.md 1.5: 15 school days of it is a return to the local authority
# Absences whose reason nobody has given: a run of them starts the concern pathway
# (DOMAIN.md 1.5, guidance para 52: unexplained absence of a child with a social worker is
# reported to them).
UNEXPLAINED = frozenset({"N", "O", "U"})


def codes_in(category: Category) -> list[str]:
    return [c.code for c in CODES.values() if c.category == category]


ATTENDED = codes_in(Category.PRESENT) + codes_in(Category.AEA)
ABSENT = codes_in(Category.AUTHORISED) + codes_in(Category.UNAUTHORISED)
POSSIBLE = ATTENDED + ABSENT


def category_of(code: str) -> Category:
    return CODES[code].category
