"""What the audit log calls the events of requests for views. The contributor is not a user:
their events have no actor, and keep the request's record and the child."""

from core.audit import AuditAction


class ContributionAction(AuditAction):
    REQUESTED = "pep_contribution.requested"
    REVOKED = "pep_contribution.revoked"
    LINK_OPENED = "pep_contribution.link_opened"
    CODE_SENT = "pep_contribution.code_sent"
    CODE_CONFIRMED = "pep_contribution.code_confirmed"
    CODE_FAILED = "pep_contribution.code_failed"
    LOCKED = "pep_contribution.locked"
    SUBMITTED = "pep_contribution.submitted"
    SAFETY_PASSED_TO_DSL = "pep_contribution.safety_passed_to_dsl"
    REMINDED = "pep_contribution.reminded"
    ANSWER_ACCEPTED = "pep_contribution.answer_accepted"
    ANSWER_SET_ASIDE = "pep_contribution.answer_set_aside"
    VIEWED = "pep_contribution.viewed"
