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
    # Attendance and the exclusions pathway up to the decision: the risk, the Virtual School
    # consultation, the alternatives tried, provision and reintegration.
    EDIT_ATTENDANCE_EXCLUSIONS = "edit_attendance_exclusions"
    # Decide a suspension or a permanent exclusion: only the headteacher may (School
    # suspensions and permanent exclusions guidance 2024, "only the headteacher can suspend or
    # permanently exclude").
    DECIDE_EXCLUSION = "decide_exclusion"
    # Approve PP+ spend. For a child previously in care the school holds the grant and the DT
    # or the head approve; for a child in care the Virtual School head manages the grant and
    # approves (by email, outside Harbour): the school records that approval, it does not give it.
    APPROVE_PP_SPEND = "approve_pp_spend"
    # Raise a concern, and read back (never change) the concerns one raised oneself: reached
    # through ``core.access.for_school_or_own(..., full_capability=ACT_ON_CONCERNS)``.
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
            Capability.APPROVE_PP_SPEND,
            Capability.RAISE_CONCERN,
            Capability.VIEW_DASHBOARD,
            Capability.VIEW_GOVERNORS_REPORT,
        }
    ),
    Role.DSL: frozenset(_DSL_TEAM),
    Role.DEPUTY_DSL: frozenset(_DSL_TEAM),
    # Every capability, DECIDE_EXCLUSION being the head's alone.
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
