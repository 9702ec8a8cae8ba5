"""The one door to a pupil and the records that hang off them.

Every view (of this app and of later ones: PEPs, PP+, attendance, exclusions, concerns) finds
a pupil with ``pupil_for(request, pk)``: a pupil of another school is a 404, so its existence
does not leak. Which pupils a role may see at all is decided by the view's ``@requires``.
"""

from django.http import HttpRequest

from accounts.access import for_school
from pupils.models import CareEpisode, Contact, LeavingTask, Pupil


def pupil_for(request: HttpRequest, pk: int) -> Pupil:
    return for_school(request, Pupil.objects.select_related("school"), pk=pk)


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
