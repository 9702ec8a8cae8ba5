"""Pupil CSV files of any size, with valid UPNs, for the import's tests and benchmarks."""

import datetime as dt

from pupils.imports import COLUMN_NAMES
from pupils.upn import check_letter

HEADER = ",".join(COLUMN_NAMES)


def upn(n: int) -> str:
    tail = f"873400{n:06d}"
    return check_letter(tail) + tail


def pupils_csv(count: int, *, start: int = 0, in_care_every: int = 10) -> bytes:
    """``count`` pupils, one in ``in_care_every`` in care with a start date."""
    lines = [HEADER]
    for n in range(start, start + count):
        born = dt.date(2010, 9, 1) + dt.timedelta(days=n % 2500)
        status = (
            ("in_care", "2024-11-18", "", "s31", "873") if n % in_care_every == 0 else ("",) * 5
        )
        cells = {
            "upn": upn(n),
            "legal_forename": f"Child{n}",
            "legal_surname": "Example",
            "date_of_birth": born.isoformat(),
            "sex": "F" if n % 2 else "M",
            "admission_date": "2022-09-05",
            "sen_status": "none",
            "free_school_meals": "no",
            "status": status[0],
            "status_start": status[1],
            "status_end": status[2],
            "legal_basis": status[3],
            "responsible_authority_code": status[4],
        }
        lines.append(",".join(cells.get(name, "") for name in COLUMN_NAMES))
    return ("\r\n".join(lines) + "\r\n").encode()
