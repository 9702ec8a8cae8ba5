"""The PEP's attendance section, filled from the register (``pupils.pep_hooks``): the school year
to the meeting date, with the figure without placement-move days beside it.
``AttendanceConfig.ready`` registers it there, neither app importing the other."""

import datetime as dt

from attendance.selectors import figures_for
from schools.schooldays import academic_year_of


def attendance_summary(*, pupil, until: dt.date) -> list[tuple[str, str]]:
    first = dt.date(academic_year_of(until), 9, 1)
    figures = figures_for(pupil, first, until)
    if not figures.possible:
        return []
    adjusted = figures_for(pupil, first, until, without_placement_moves=True)
    rows = [
        (
            "Attendance from the register",
            f"{figures.percent}% of {figures.possible} possible sessions, "
            f"1 September to {until:%-d %B %Y}",
        )
    ]
    if adjusted.possible != figures.possible:
        rows.append(("Without care placement move days", f"{adjusted.percent}%"))
    flags = [
        n
        for n, on in (
            ("persistent absence", figures.persistent),
            ("severe absence", figures.severe),
        )
        if on
    ]
    if flags:
        rows.append(("Flags", ", ".join(flags)))
    return rows
