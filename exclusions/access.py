"""The one door to the pathway's records: each is reached through its child's school, so a
record of another school is a 404."""

from core.access import for_school
from exclusions.models import Exclusion, ReducedTimetable, StatutoryNotice, SuspensionRisk


def risk_for(request, pk: int) -> SuspensionRisk:
    return for_school(
        request,
        SuspensionRisk.objects.select_related("pupil__school"),
        pk=pk,
        school_path="pupil__school",
    )


def exclusion_for(request, pk: int) -> Exclusion:
    return for_school(
        request,
        Exclusion.objects.select_related("pupil__school"),
        pk=pk,
        school_path="pupil__school",
    )


def notice_for(request, pk: int) -> StatutoryNotice:
    return for_school(
        request,
        StatutoryNotice.objects.select_related("pupil__school", "message"),
        pk=pk,
        school_path="pupil__school",
    )


def timetable_for(request, pk: int) -> ReducedTimetable:
    return for_school(
        request,
        ReducedTimetable.objects.select_related("pupil__school"),
        pk=pk,
        school_path="pupil__school",
    )
