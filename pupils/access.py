"""The one door to a pupil and the records that hang off them.

Every view (of this app and of later ones: PEPs, PP+, attendance, exclusions, concerns) finds
a pupil with ``pupil_for(request, pk)``: a pupil of another school is a 404, so its existence
does not leak. Which pupils a role may see at all is decided by the view's ``@requires``.

Fetching is reading: on a GET the door also writes the read to the audit log
(``record_read``), once per child per request, so a new page cannot forget to. A POST writes
no read: the service it calls writes the change, and a form shown again with its errors is
the page the person already opened (and was recorded) with the GET.
"""

from django.http import HttpRequest

from core.access import for_school
from core.audit import AuditAction, audit_record
from pupils.audit import PupilAction
from pupils.models import CareEpisode, Contact, LeavingTask, Pupil

# A GET (or HEAD) is a page view; anything else is a change the services audit.
READ_METHODS = frozenset({"GET", "HEAD"})


def pupil_for(request: HttpRequest, pk: int, *, read: AuditAction = PupilAction.VIEWED) -> Pupil:
    """The pupil ``pk`` of the user's school, or 404. On a GET, recorded as read with the
    action ``read``."""
    pupil = for_school(request, Pupil.objects.select_related("school"), pk=pk)
    record_read(request, action=read, obj=pupil, pupil_id=pupil.pk)
    return pupil


def record_read(
    request: HttpRequest, *, action: AuditAction, obj, pupil_id: int, values=None
) -> None:
    """Write the one read event of this request for the child ``pupil_id``.

    The event names the page (its URL name, never its query string) and carries ``pupil_id``,
    so the child's audit trail shows who looked at what. A second fetch of the same child in
    one request (a PEP and its pupil, say) writes nothing more. ``values`` are keys of
    ``obj``'s ``audit_values`` (versions, states), never text typed about the child.
    """
    if request.method not in READ_METHODS:
        return
    done: set[int] = request.__dict__.setdefault("_harbour_children_read", set())
    if pupil_id in done:
        return
    done.add(pupil_id)
    match = getattr(request, "resolver_match", None)
    audit_record(
        action=action,
        request=request,
        obj=obj,
        pupil_id=pupil_id,
        values={"page": match.view_name if match else ""} | (values or {}),
    )


def care_episode_for(request: HttpRequest, pupil: Pupil, pk: int) -> CareEpisode:
    return for_school(
        request, CareEpisode.objects.filter(pupil=pupil), pk=pk, school_path="pupil__school"
    )


def contact_for(request: HttpRequest, pupil: Pupil, pk: int) -> Contact:
    return for_school(
        request,
        Contact.objects.filter(pupil=pupil).select_related("user"),
        pk=pk,
        school_path="pupil__school",
    )


def leaving_task_for(request: HttpRequest, pupil: Pupil, pk: int) -> LeavingTask:
    return for_school(
        request, LeavingTask.objects.filter(pupil=pupil), pk=pk, school_path="pupil__school"
    )
