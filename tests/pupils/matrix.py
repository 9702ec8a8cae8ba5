"""The pupils app's rows for the permission matrix (tests/test_access_matrix.py).

The rows use ``tests.matrix.Page``; ``tests/test_access_matrix.py`` proves them.
"""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from accounts.roles import Role
from pupils.models import EpisodeKind, LeavingTask
from tests.matrix import COHORT, DSL_TEAM, EDITORS, Page
from tests.pupil_factories import CareEpisodeFactory, ContactFactory, PupilFactory

IMPORTERS = EDITORS | {Role.ADMINISTRATOR}
IMPORT_CSV = Path(__file__).parent / "fixtures" / "pupils.csv"


def _import_run(school, *, can_commit: bool = False) -> dict:
    from imports.models import ImportRun

    run = ImportRun.objects.create(
        school=school,
        kind="pupils",
        file_name="roll.csv",
        file_sha256="0" * 64,
        today=dt.date(2026, 1, 15),
        state=ImportRun.State.PREVIEWED,
        can_commit=can_commit,
    )
    return {"pk": run.pk}


def _import_run_ready(school) -> dict:
    """A checked run with nothing refused, so confirming it is accepted (and redirects)."""
    return _import_run(school, can_commit=True)


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
    Page("pupil_imports:upload", IMPORTERS),
    Page("pupil_imports:template", IMPORTERS),
    # The shared import pages (imports.urls) for a pupil import run; confirm and cancel are
    # buttons (what they do is proved in tests/imports and tests/pupils/test_import_views.py).
    Page("imports:run", IMPORTERS, record=_import_run),
    Page("imports:confirm", IMPORTERS, record=_import_run_ready, method="post"),
    Page("imports:cancel", IMPORTERS, record=_import_run, method="post"),
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
