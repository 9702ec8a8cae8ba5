"""The pupils app's rows for the permission matrix (tests/test_access_matrix.py).

The rows use ``tests.matrix.Page``; ``tests/test_access_matrix.py`` proves them.
"""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from pupils.models import EpisodeKind, LeavingTask
from tests.factories import VirtualSchoolFactory
from tests.matrix import COHORT, DSL_TEAM, EDITORS, Page
from tests.pupil_factories import CareEpisodeFactory, ContactFactory, PupilFactory

IMPORTERS = EDITORS | {Role.ADMINISTRATOR}
IMPORT_CSV = Path(__file__).parent / "fixtures" / "pupils.csv"


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


def _file_waiting(client, school) -> None:
    """Upload a CSV as the signed-in user, so the preview has a file to show (a role that may
    not import is refused here too, and then by the preview)."""
    VirtualSchoolFactory(la_code="873", local_authority_name="Cambridgeshire")
    upload = SimpleUploadedFile("pupils.csv", IMPORT_CSV.read_bytes(), content_type="text/csv")
    client.post(reverse("pupil_imports:upload"), {"file": upload})


PUPIL_PAGES = [
    Page("pupils:cohort", COHORT),
    Page("pupils:cohort_csv", COHORT),
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
    Page("pupil_imports:upload", IMPORTERS),
    Page("pupil_imports:template", IMPORTERS),
    Page("pupil_imports:preview", IMPORTERS, prepare=_file_waiting),
    # Without a file waiting (or with a stale sha256) both redirect to the upload page.
    Page("pupil_imports:confirm", IMPORTERS, method="post"),
    Page("pupil_imports:cancel", IMPORTERS, method="post"),
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
