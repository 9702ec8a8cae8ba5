"""Small Common Transfer Files with attendance, written for the tests (element names of
DOMAIN.md 6.2; not copies of a DfE sample)."""

from xml.sax.saxutils import escape


def year_data(
    *,
    year: int = 2025,
    lea: str = "873",
    estab: str = "2001",
    school: str = "Riverside Primary School",
    possible: int | str = 320,
    authorised: int | str = 20,
    unauthorised: int | str = 8,
    attended: int | str | None = None,
    start: str = "",
    marks: str | None = None,
) -> str:
    parts = [
        f"<Year>{year}</Year><LEA>{lea}</LEA><Estab>{estab}</Estab>",
        f"<SchoolName>{escape(school)}</SchoolName>",
        f"<SessionsPossible>{possible}</SessionsPossible>",
    ]
    if attended is not None:
        parts.append(f"<SessionsAttended>{attended}</SessionsAttended>")
    parts.append(f"<SessionsAuthorised>{authorised}</SessionsAuthorised>")
    parts.append(f"<SessionsUnauthorised>{unauthorised}</SessionsUnauthorised>")
    if start:
        parts.append(f"<AttendanceStartDate>{start}</AttendanceStartDate>")
    if marks is not None:
        parts.append(f"<AttendanceMarks>{escape(marks)}</AttendanceMarks>")
    return "<YearData>" + "".join(parts) + "</YearData>"


def pupil(upn: str, *years: str, forename: str = "Amelia", surname: str = "Test") -> str:
    attendance = f"<Attendance>{''.join(years)}</Attendance>" if years else ""
    return (
        f"<Pupil><UPN>{upn}</UPN><Surname>{surname}</Surname><Forename>{forename}</Forename>"
        f"<DOB>2014-02-14</DOB><Gender>F</Gender>{attendance}</Pupil>"
    )


def ctf(*pupils: str, made: str = "2026-09-18T10:15:00") -> bytes:
    header = (
        "<Header><DocumentName>Common Transfer File</DocumentName>"
        f"<CTFversion>25.0</CTFversion><DateTime>{made}</DateTime>"
        "<DocumentQualifier>full</DocumentQualifier>"
        "<SourceSchool><LEA>873</LEA><Estab>2001</Estab>"
        "<SchoolName>Riverside Primary School</SchoolName><AcademicYear>2026</AcademicYear>"
        "</SourceSchool></Header>"
    )
    body = "".join(pupils)
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f"<CTfile>{header}<CTFpupilData>{body}</CTFpupilData></CTfile>"
    ).encode()
