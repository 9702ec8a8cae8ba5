"""The one door to the pathway's records: each is reached through its child's school, so a
record of another school is a 404."""

from django.db.models import QuerySet

from core.access import for_school
from exclusions.models import Exclusion, ReducedTimetable, StatutoryNotice, SuspensionRisk


def _through_child(request, rows: QuerySet, pk: int):
    return for_school(
        request, rows.select_related("pupil__school"), pk=pk, school_path="pupil__school"
    )


def risk_for(request, pk: int) -> SuspensionRisk:
    return _through_child(request, SuspensionRisk.objects.all(), pk)


def exclusion_for(request, pk: int) -> Exclusion:
    return _through_child(request, Exclusion.objects.all(), pk)


def notice_for(request, pk: int) -> StatutoryNotice:
    return _through_child(request, StatutoryNotice.objects.select_related("message"), pk)


def timetable_for(request, pk: int) -> ReducedTimetable:
    return _through_child(request, ReducedTimetable.objects.all(), pk)
