"""The permission matrix's vocabulary: a page, the roles that may open it, and how to make a
record of a given school for its URL. Each app lists its pages in ``tests/<app>/matrix.py``;
``tests/test_access_matrix.py`` proves them all, and proves that every named URL has a row;
``tests/browser/test_every_page_is_accessible.py`` opens the same rows in Chromium.

Both run on ``MATRIX_DAY`` (``on_matrix_day``), never on the real date: a page that looks at
"today" (starting a PEP offers this term) must not fail every summer holiday, when the real
date meets no term dates.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import time_machine

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

# Wednesday 14 October 2026, mid-morning: a school day in the autumn term (before half term)
# of both tests.factories.add_year(school, 2026) and the demo's term dates
# (schools/management/commands/load_demo.py). test_access_matrix checks that it stays one.
MATRIX_DAY = dt.datetime(2026, 10, 14, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def on_matrix_day(day: dt.datetime = MATRIX_DAY, *, tick: bool = False):
    """The clock stopped at ``day`` (the matrix's day unless a test proves another)."""
    return time_machine.travel(day, tick=tick)


@dataclass(frozen=True)
class Page:
    url_name: str
    allowed: frozenset[Role]
    # Builds the URL's kwargs for a record belonging to the given school.
    record: Callable[..., dict] | None = None
    kwargs: dict = field(default_factory=dict)
    # "post" for a URL that only takes POST (a button): a role that may use it is redirected
    # (302), not shown a page, and the browser sweep leaves it out.
    method: str = "get"
    # Run with the signed-in client and the school before the page is opened, for a page that
    # needs something in the session first (the import preview needs a file uploaded).
    prepare: Callable[..., None] | None = None
    # The record is shared by every school (a Virtual School): there is no other school's copy
    # to hide, so the "another school's record is a 404" test leaves the row out.
    shared_record: bool = False
    # Roles the page lets in whose door still hides this record: a member of staff opening a
    # concern a colleague raised (``core.access.for_school_or_own``) gets 404, as if it were
    # another school's, so the record's existence does not leak.
    not_found: frozenset[Role] = frozenset()

    def expected_status(self, role: Role) -> int:
        if role in self.not_found:
            return 404
        if role not in self.allowed:
            return 403
        return 302 if self.method == "post" else 200


# Pages that answer with a file, not HTML: they carry no Content-Security-Policy, and the
# browser's accessibility sweep leaves them out.
DOWNLOADS = {
    "pupils:cohort_csv",
    "pupils:cohort_xlsx",
    "core:report_run_download",
    "pupil_imports:template",
    "pupil_premium:export",
    "reports:dashboard_export",
    "reports:governors_download",
}
