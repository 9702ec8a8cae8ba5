"""The pupils app's rows for the permission matrix (tests/test_access_matrix.py).

The rows use ``tests.matrix.Page``; ``tests/test_access_matrix.py`` proves them.
"""

import datetime as dt
from collections.abc import Callable

from accounts.roles import Role
from pupils.models import EpisodeKind, LeavingTask
from tests.matrix import COHORT, DSL_TEAM, EDITORS, Page
from tests.pupil_factories import CareEpisodeFactory, ContactFactory, PupilFactory


def _pupil(school) -> dict:
    return {"pk": PupilFactory(school=school).pk}


def _episode(school) -> dict:
    episode = CareEpisodeFactory(pupil=PupilFactory(school=school))
    return {"pk": episode.pupil_id, "episode_pk": episode.pk}


def _contact(school) -> dict:
    contact = ContactFactory(pupil=PupilFactory(school=school))
    return {"pk": contact.pupil_id, "contact_pk": contact.pk}


def _contact_kind(school) -> dict:
    return _pupil(school) | {"kind": "social_worker"}


def _task(item: str) -> Callable[..., dict]:
    def make(school) -> dict:
        pupil = PupilFactory(school=school, leaving_date=dt.date(2026, 11, 20))
        CareEpisodeFactory(pupil=pupil, kind=EpisodeKind.IN_CARE)
        task = LeavingTask.objects.create(pupil=pupil, item=item)
        return {"pk": pupil.pk, "task_pk": task.pk}

    return make


PUPIL_PAGES = [
    Page("pupils:cohort", COHORT),
    Page("pupils:cohort_csv", COHORT),
    Page("pupils:cohort_xlsx", COHORT),
    Page("pupils:pupil_add", EDITORS),
    Page("pupils:pupil", COHORT, record=_pupil),
    Page("pupils:pupil_edit", EDITORS, record=_pupil),
    Page("pupils:pupil_leave", EDITORS, record=_pupil),
    Page("pupils:episode_add", EDITORS, record=_pupil),
    Page("pupils:episode_edit", EDITORS, record=_episode),
    Page("pupils:episode_end", EDITORS, record=_episode),
    Page("pupils:contact_add", EDITORS, record=_contact_kind),
    Page("pupils:contact_edit", EDITORS, record=_contact),
    Page("pupils:contact_end", EDITORS, record=_contact),
    Page("pupil_imports:upload", EDITORS | {Role.ADMINISTRATOR}),
    Page("pupil_imports:template", EDITORS | {Role.ADMINISTRATOR}),
    Page(
        "pupils:leaving_task_complete",
        EDITORS,
        record=_task(LeavingTask.Item.INFORMATION_SENT),
    ),
    Page(
        "pupils:leaving_task_complete",
        DSL_TEAM,
        record=_task(LeavingTask.Item.CP_FILE_TRANSFERRED),
    ),
]
