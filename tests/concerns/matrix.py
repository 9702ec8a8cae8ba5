"""The concerns app's rows for the permission matrix (tests/test_access_matrix.py).

A concern's row is built with a concern a colleague raised: the DSL team and the head open it;
the designated teacher and a member of staff, who may raise concerns and read back their own,
get 404 for anyone else's; governors and the administrator get 403.
"""

from accounts.roles import Role
from tests.concerns.factories import raise_concern
from tests.conftest import member
from tests.matrix import CONCERN_RAISERS, DSL_TEAM, Page
from tests.pupil_factories import PupilFactory


def _concern(school) -> dict:
    pupil = PupilFactory(school=school)
    return {"pk": raise_concern(school, by=member(school, Role.STAFF), pupils=[pupil]).pk}


def _pupil(school) -> dict:
    return {"pk": PupilFactory(school=school).pk}


OWN_ONLY = frozenset({Role.DESIGNATED_TEACHER, Role.STAFF})

CONCERN_PAGES = [
    Page("concerns:list", CONCERN_RAISERS),
    Page("concerns:raise", CONCERN_RAISERS),
    Page("concerns:concern", DSL_TEAM, record=_concern, not_found=OWN_ONLY),
    Page("concerns:action_add", DSL_TEAM, record=_concern),
    Page("concerns:decision_add", DSL_TEAM, record=_concern),
    Page("concerns:addendum_add", DSL_TEAM, record=_concern),
    Page("concerns:link_add", DSL_TEAM, record=_concern),
    Page("concerns:child_link", DSL_TEAM, record=_concern),
    Page("concerns:settings", DSL_TEAM),
    Page("concerns:retention", DSL_TEAM),
    Page("concerns:chronology", DSL_TEAM, record=_pupil),
    Page("concerns:cp_file", DSL_TEAM, record=_pupil),
]
