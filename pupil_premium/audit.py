"""What the audit log calls the events of the PP+ ledger."""

from core.audit import AuditAction


class PpAction(AuditAction):
    LEDGER_VIEWED = "pupil.pp_ledger_viewed"
    SUMMARY_VIEWED = "pp.summary_viewed"
    EXPORTED = "pp.exported"
    RATE_SET = "pp.rate_set"
    ALLOCATION_RECORDED = "pp.allocation_recorded"
    ITEM_REQUESTED = "pp.item_requested"
    ITEM_EDITED = "pp.item_edited"
    ITEM_UPDATED_BY_CORRECTION = "pp.item_updated_by_correction"
    ITEM_WITHDRAWN = "pp.item_withdrawn"
    ITEM_APPROVED = "pp.item_approved"
    ITEM_DECLINED = "pp.item_declined"
    ITEM_SPENT = "pp.item_spent"
    ITEM_OUTCOME = "pp.item_outcome"
    ITEM_IMPACT_NOTED = "pp.item_impact_noted"
