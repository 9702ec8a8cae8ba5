"""The one door to a PEP and the rows that hang off it: a PEP of another school is a 404."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from accounts.access import for_school
from peps.models import AttainmentRecord, PepAttendee, PepTarget, PersonalEducationPlan
from peps.selectors import pep_with_parts


def pep_for(request: HttpRequest, pk: int) -> PersonalEducationPlan:
    return for_school(
        request,
        pep_with_parts(PersonalEducationPlan.objects.all()),
        pk=pk,
        school_path="pupil__school",
    )


def target_for(pep: PersonalEducationPlan, pk: int) -> PepTarget:
    return get_object_or_404(PepTarget.objects.filter(pep=pep), pk=pk)


def attendee_for(pep: PersonalEducationPlan, pk: int) -> PepAttendee:
    return get_object_or_404(PepAttendee.objects.filter(pep=pep), pk=pk)


def attainment_for(pep: PersonalEducationPlan, pk: int) -> AttainmentRecord:
    return get_object_or_404(AttainmentRecord.objects.filter(pep=pep), pk=pk)
