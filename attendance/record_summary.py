"""The term's attendance on the child's main record page (``pupils.record_summaries``, the
registry below both apps): the term so far, its flags and the open attendance concerns, with a
link to the attendance page. Three queries: the term, the figures, the open concerns."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from accounts.roles import Capability
from attendance.models import AttendanceConcern
from attendance.selectors import figures_for
from pupils.record_summaries import SummaryRow
from schools.models import Term


def current_term(school_id: int, today: dt.date) -> Term | None:
    """The term ``today`` falls in, else the latest that has started."""
    return (
        Term.objects.filter(academic_year__school_id=school_id, first_day__lte=today)
        .order_by("-first_day")
        .first()
    )


def flags_text(figures) -> str:
    flags = []
    if figures.severe:
        flags.append("severe absence (50% or more missed)")
    elif figures.persistent:
        flags.append("persistent absence (10% or more missed)")
    return ", ".join(flags)


def attendance_record_summary(pupil, *, capabilities, today: dt.date) -> list[SummaryRow]:
    if Capability.VIEW_COHORT not in capabilities:
        return []
    url = reverse("attendance:pupil", args=[pupil.pk])
    term = current_term(pupil.school_id, today)
    if term is None:
        return []
    last = min(term.last_day, today)
    figures = figures_for(pupil, term.first_day, last)
    if not figures.possible:
        value = f"No register marks yet this term ({term})."
    else:
        value = f"{figures.percent}% of {figures.possible} possible sessions, {term} so far"
        flags = flags_text(figures)
        if flags:
            value += f". Flag: {flags}"
    rows = [SummaryRow("Attendance this term", value, url, "Attendance")]
    open_concerns = AttendanceConcern.objects.filter(pupil=pupil, recovered_on__isnull=True).count()
    if open_concerns:
        rows.append(
            SummaryRow(
                "Open attendance concerns",
                str(open_concerns),
                reverse("attendance:concerns"),
                "Attendance concerns",
            )
        )
    return rows
