"""The service navigation: each entry is shown only to roles whose capability covers it.

Later apps add their entry here, in the order a designated teacher would look for it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from accounts.roles import Capability


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # Shown when the user holds any one of these; empty: any member of the school.
    capabilities: tuple[Capability, ...] = ()


NAVIGATION = [
    NavItem("Home", "home"),
    NavItem("Pupils", "pupils:cohort", (Capability.VIEW_COHORT,)),
    NavItem("PEPs", "peps:compliance", (Capability.VIEW_COHORT,)),
    NavItem("Suspensions", "exclusions:register", (Capability.VIEW_COHORT,)),
    NavItem("PP+", "pupil_premium:summary", (Capability.VIEW_COHORT,)),
    NavItem("Attendance", "attendance:concerns", (Capability.VIEW_COHORT,)),
    NavItem("Concerns", "concerns:list", (Capability.RAISE_CONCERN,)),
    NavItem("Dashboard", "reports:dashboard", (Capability.VIEW_DASHBOARD,)),
    NavItem("Reports", "reports:reports", (Capability.VIEW_DASHBOARD,)),
    NavItem("Governors' report", "reports:governors", (Capability.VIEW_GOVERNORS_REPORT,)),
    NavItem("Staff", "accounts:staff", (Capability.MANAGE_SCHOOL,)),
    NavItem("Term dates", "schools:terms", (Capability.MANAGE_SCHOOL,)),
    # Administrators import the roll but do not see the cohort register itself.
    NavItem("Import pupils", "pupil_imports:upload", (Capability.MANAGE_SCHOOL,)),
    NavItem(
        "Virtual Schools",
        "schools:virtual_schools",
        (Capability.VIEW_COHORT, Capability.MANAGE_SCHOOL),
    ),
    # The local authority's and the clerk's addresses for the statutory notices.
    NavItem("Exclusion notices", "exclusions:settings", (Capability.MANAGE_SCHOOL,)),
    NavItem("Outbox", "notifications:outbox", (Capability.OVERSEE_RECORDS,)),
    NavItem("Audit log", "accounts:audit", (Capability.OVERSEE_RECORDS,)),
]


def navigation_for(request) -> list[dict]:
    if getattr(request, "school", None) is None:
        return []
    # Before the second factor, the user has proved only their password: show nothing yet.
    if settings.TWO_FACTOR_REQUIRED and not request.user.is_verified():
        return []
    items = []
    for item in NAVIGATION:
        if item.capabilities and not set(item.capabilities) & request.capabilities:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # the app that owns it is not built yet
            continue
        items.append({"label": item.label, "url": url, "active": False})
    # The current page belongs to the entry with the longest matching address, so
    # /pupils/import/ is "Import pupils", not "Pupils" too.
    matching = [i for i in items if request.path == i["url"] or _under(request.path, i["url"])]
    if matching:
        max(matching, key=lambda i: len(i["url"]))["active"] = True
    return items


def _under(path: str, url: str) -> bool:
    return url != "/" and path.startswith(url)
