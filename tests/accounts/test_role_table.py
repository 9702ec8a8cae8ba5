"""The role table of accounts/roles.py is DESIGN.md's, capability by capability."""

import pytest

from accounts.forms import CAPABILITY_PHRASES
from accounts.roles import ROLE_CAPABILITIES, ROLES_THAT_SEE_CHILDREN, Capability, Role
from tests import matrix

DT, DSL, DEPUTY, HEAD = Role.DESIGNATED_TEACHER, Role.DSL, Role.DEPUTY_DSL, Role.HEADTEACHER
GOV, STAFF, ADMIN = Role.GOVERNOR, Role.STAFF, Role.ADMINISTRATOR

# DESIGN.md "Tenancy and access": who holds each capability.
DESIGN = {
    Capability.VIEW_COHORT: {DT, DSL, DEPUTY, HEAD},
    Capability.EDIT_PUPILS: {DT, HEAD},  # pupils, PEPs, PP+: not the DSL
    Capability.EDIT_ATTENDANCE_EXCLUSIONS: {DT, DSL, DEPUTY, HEAD},
    Capability.DECIDE_EXCLUSION: {HEAD},
    Capability.APPROVE_PP_SPEND: {DT, HEAD},
    Capability.RAISE_CONCERN: {DT, DSL, DEPUTY, HEAD, STAFF},
    Capability.ACT_ON_CONCERNS: {DSL, DEPUTY, HEAD},
    Capability.VIEW_DASHBOARD: {DT, DSL, DEPUTY, HEAD},
    Capability.VIEW_GOVERNORS_REPORT: {DT, DSL, DEPUTY, HEAD, GOV},
    Capability.MANAGE_SCHOOL: {HEAD, ADMIN},
    Capability.OVERSEE_RECORDS: {HEAD, ADMIN},
}


@pytest.mark.parametrize("capability", list(Capability))
def test_each_capability_is_held_by_the_roles_design_names(capability):
    held_by = {role for role, held in ROLE_CAPABILITIES.items() if capability in held}
    assert held_by == DESIGN[capability]


def test_only_the_head_decides_a_suspension_or_exclusion():
    assert matrix.DECIDERS == DESIGN[Capability.DECIDE_EXCLUSION] == {HEAD}


def test_the_matrix_role_sets_are_the_tables():
    assert DESIGN[Capability.APPROVE_PP_SPEND] == matrix.PP_APPROVERS
    assert DESIGN[Capability.RAISE_CONCERN] == matrix.CONCERN_RAISERS
    assert DESIGN[Capability.ACT_ON_CONCERNS] == matrix.DSL_TEAM
    assert DESIGN[Capability.VIEW_COHORT] == matrix.COHORT


def test_the_roles_that_see_children_are_those_that_see_the_cohort_or_concerns():
    assert {DT, DSL, DEPUTY, HEAD} == ROLES_THAT_SEE_CHILDREN


def test_every_capability_has_words_for_the_role_hint():
    assert set(CAPABILITY_PHRASES) == set(Capability)
