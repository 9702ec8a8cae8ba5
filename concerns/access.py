"""The one door to a concern: the DSL team and the head reach every concern of the school; anyone
else who may raise one reaches only those they raised (``core.access.for_school_or_own``), and
another's is a 404, as another school's is. Fetching on a GET is reading: one audit event per
child the concern is about."""

from django.http import HttpRequest

from accounts.roles import Capability
from concerns.audit import ConcernAction
from concerns.models import Concern, ConcernPupil
from core.access import for_school, for_school_or_own, has_capability
from core.audit import audit_record
from pupils.access import READ_METHODS


def concern_for(request: HttpRequest, pk: int, *, write: bool = False) -> Concern:
    """The concern ``pk`` the user may open, or 404. ``write``: only the DSL team's (the raiser
    reads their own, never adds to it)."""
    if write:
        concern = for_school(request, Concern, pk=pk)
    else:
        concern = for_school_or_own(
            request, Concern, full_capability=Capability.ACT_ON_CONCERNS, pk=pk
        )
    if request.method in READ_METHODS:
        match = getattr(request, "resolver_match", None)
        children = list(
            ConcernPupil.objects.filter(concern=concern)
            .order_by("pk")
            .values_list("pupil_id", flat=True)
        )
        audit_record(
            action=ConcernAction.VIEWED,
            request=request,
            obj=concern,
            # A concern named by typing and not yet linked is about no child in Harbour yet.
            **({"pupil_ids": children} if children else {}),
            values={"page": match.view_name if match else ""},
        )
    return concern


def may_act(request: HttpRequest) -> bool:
    return has_capability(request, Capability.ACT_ON_CONCERNS)
