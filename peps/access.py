"""The one door to a PEP and the rows that hang off it: a PEP of another school is a 404.

Fetching a PEP on a GET records the read of its child (``pupils.access.record_read``), once
per request, with the PEP's version and state.
"""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from core.access import for_school
from core.audit import AuditAction
from peps.audit import PepAction
from peps.models import AttainmentRecord, PepAttendee, PepTarget, PersonalEducationPlan
from peps.selectors import pep_with_parts
from pupils.access import record_read


def pep_for(
    request: HttpRequest, pk: int, *, read: AuditAction = PepAction.VIEWED, parts: bool = True
) -> PersonalEducationPlan:
    """The PEP ``pk`` of the request's school; with its attendees, attainment, targets and
    reviews unless ``parts=False`` (a page about the PEP that shows none of them)."""
    plans = PersonalEducationPlan.objects.all()
    plans = (
        pep_with_parts(plans)
        if parts
        else plans.select_related("pupil__school", "term__academic_year")
    )
    plan = for_school(
        request,
        plans,
        pk=pk,
        school_path="pupil__school",
    )
    record_read(
        request,
        action=read,
        obj=plan,
        pupil_id=plan.pupil_id,
        values={"version": plan.version, "status": plan.status},
    )
    return plan


def target_for(pep: PersonalEducationPlan, pk: int) -> PepTarget:
    return get_object_or_404(PepTarget.objects.filter(pep=pep), pk=pk)


def attendee_for(pep: PersonalEducationPlan, pk: int) -> PepAttendee:
    return get_object_or_404(PepAttendee.objects.filter(pep=pep), pk=pk)


def attainment_for(pep: PersonalEducationPlan, pk: int) -> AttainmentRecord:
    return get_object_or_404(AttainmentRecord.objects.filter(pep=pep), pk=pk)
