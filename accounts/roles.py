"""The role table of DESIGN.md, declared once.

Every view says which capability it needs (``@requires(Capability.X)``); what each role may do
is decided here and nowhere else. A person with several roles in a school holds the union.
"""

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    DESIGNATED_TEACHER = "designated_teacher", "Designated teacher"
    DSL = "dsl", "Designated safeguarding lead"
    DEPUTY_DSL = "deputy_dsl", "Deputy designated safeguarding lead"
    HEADTEACHER = "headteacher", "Headteacher"
    GOVERNOR = "governor", "Governor"
    STAFF = "staff", "Member of staff"
    ADMINISTRATOR = "administrator", "School administrator"


class Capability(StrEnum):
    VIEW_COHORT = "view_cohort"  # the cohort register and a pupil's record
    EDIT_PUPILS = "edit_pupils"  # pupils, PEPs, PP+
    EDIT_ATTENDANCE_EXCLUSIONS = "edit_attendance_exclusions"
    RAISE_CONCERN = "raise_concern"
    ACT_ON_CONCERNS = "act_on_concerns"  # read every concern and act on it
    VIEW_DASHBOARD = "view_dashboard"
    VIEW_GOVERNORS_REPORT = "view_governors_report"  # anonymised
    MANAGE_SCHOOL = "manage_school"  # users, roles, term dates, imports
    OVERSEE_RECORDS = "oversee_records"  # the audit log and the outbox


_DSL_TEAM = {
    Capability.VIEW_COHORT,
    Capability.EDIT_ATTENDANCE_EXCLUSIONS,
    Capability.RAISE_CONCERN,
    Capability.ACT_ON_CONCERNS,
    Capability.VIEW_DASHBOARD,
    Capability.VIEW_GOVERNORS_REPORT,
}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.DESIGNATED_TEACHER: frozenset(
        {
            Capability.VIEW_COHORT,
            Capability.EDIT_PUPILS,
            Capability.EDIT_ATTENDANCE_EXCLUSIONS,
            Capability.RAISE_CONCERN,
            Capability.VIEW_DASHBOARD,
            Capability.VIEW_GOVERNORS_REPORT,
        }
    ),
    Role.DSL: frozenset(_DSL_TEAM),
    Role.DEPUTY_DSL: frozenset(_DSL_TEAM),
    Role.HEADTEACHER: frozenset(Capability),
    Role.GOVERNOR: frozenset({Capability.VIEW_GOVERNORS_REPORT}),
    Role.STAFF: frozenset({Capability.RAISE_CONCERN}),
    Role.ADMINISTRATOR: frozenset({Capability.MANAGE_SCHOOL, Capability.OVERSEE_RECORDS}),
}


def capabilities_for(roles: set[str]) -> frozenset[Capability]:
    held: set[Capability] = set()
    for role in roles:
        held |= ROLE_CAPABILITIES[role]
    return frozenset(held)


# The roles that open children's records: the cohort and pupils, or safeguarding concerns.
# Only a headteacher gives or takes them away, and every grant is emailed to the heads.
ROLES_THAT_SEE_CHILDREN: frozenset[str] = frozenset(
    role
    for role, held in ROLE_CAPABILITIES.items()
    if held & {Capability.VIEW_COHORT, Capability.ACT_ON_CONCERNS}
)
