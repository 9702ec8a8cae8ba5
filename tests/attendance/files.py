"""Session-marks CSV files for the import tests and the benchmark."""

import datetime as dt


def marks_csv(rows) -> bytes:
    """``rows``: (upn, date, session, code)."""
    lines = ["UPN,date,session,code"]
    for upn, day, session, code in rows:
        text = day.isoformat() if isinstance(day, dt.date) else day
        lines.append(f"{upn},{text},{session},{code}")
    return ("\n".join(lines) + "\n").encode()
