"""The permission matrix's vocabulary: a page, the roles that may open it, and how to make a
record of a given school for its URL. Each app lists its pages in ``tests/<app>/matrix.py``;
``tests/test_access_matrix.py`` proves them all."""

from collections.abc import Callable
from dataclasses import dataclass, field

from accounts.roles import Role

ALL = frozenset(Role)
MANAGERS = frozenset({Role.HEADTEACHER, Role.ADMINISTRATOR})
COHORT = frozenset({Role.DESIGNATED_TEACHER, Role.DSL, Role.DEPUTY_DSL, Role.HEADTEACHER})
EDITORS = frozenset({Role.DESIGNATED_TEACHER, Role.HEADTEACHER})
DSL_TEAM = frozenset({Role.DSL, Role.DEPUTY_DSL, Role.HEADTEACHER})
# Pages behind the capabilities of what comes next (tests/accounts/test_role_table.py keeps
# these equal to accounts/roles.py): deciding a suspension or exclusion, approving PP+ spend,
# raising a concern (a member of staff then reads only their own, core.access.for_school_or_own).
DECIDERS = frozenset({Role.HEADTEACHER})
PP_APPROVERS = frozenset({Role.DESIGNATED_TEACHER, Role.HEADTEACHER})
CONCERN_RAISERS = COHORT | {Role.STAFF}


@dataclass(frozen=True)
class Page:
    url_name: str
    allowed: frozenset[Role]
    # Builds the URL's kwargs for a record belonging to the given school.
    record: Callable[..., dict] | None = None
    kwargs: dict = field(default_factory=dict)
    # The record is host data every school shares (a Virtual School directory entry), so there
    # is no "another school's" version of the URL to refuse.
    shared: bool = False
