"""The attendance app's entries in a child's chronology: each attendance concern opened, and
each care placement move recorded. Two queries."""

from django.urls import reverse

from attendance.models import AttendanceConcern, PlacementMove
from pupils.chronology import ChronologyEntry, register


@register("attendance")
def attendance_entries(pupil, request) -> list[ChronologyEntry]:
    url = reverse("attendance:pupil", args=[pupil.pk])
    entries = [
        ChronologyEntry(
            when=c.opened_on,
            kind="attendance",
            title=f"Attendance concern: {c.get_kind_display()}",
            detail=f"{c.figure}"
            + (f"; back above the line on {c.recovered_on:%-d %B %Y}" if c.recovered_on else ""),
            url=reverse("attendance:concern", args=[c.pk]),
        )
        for c in AttendanceConcern.objects.filter(pupil=pupil)
    ]
    entries += [
        ChronologyEntry(
            when=m.first_day,
            kind="attendance",
            title="Care placement move",
            detail=f"{m.first_day:%-d %B %Y} to {m.last_day:%-d %B %Y}",
            url=url,
        )
        for m in PlacementMove.objects.filter(pupil=pupil)
    ]
    return entries
