"""The PP+ ledger's entries in a child's chronology: each allocation, approval and spend, and
each outcome a PEP review gave. Two queries."""

from django.urls import reverse

from pupil_premium.models import FundingGroup, PpAllocation, PpItem, financial_year_label
from pupils.chronology import ChronologyEntry, register

Status = PpItem.Status


@register("pupil_premium")
def pp_entries(pupil, request) -> list[ChronologyEntry]:
    url = reverse("pupil_premium:ledger", args=[pupil.pk])
    entries = []
    for allocation in PpAllocation.objects.filter(pupil=pupil):
        entries.append(
            ChronologyEntry(
                when=allocation.received_on or allocation.updated_at,
                kind="pp_plus",
                title=f"PP+ allocation recorded: £{allocation.amount:,.2f}",
                detail=f"{financial_year_label(allocation.financial_year)}, "
                f"{allocation.get_source_display().lower()}",
                url=f"{url}?year={allocation.financial_year}",
            )
        )
    for item in PpItem.objects.filter(pupil=pupil).exclude(status=Status.WITHDRAWN):
        link = f"{url}?year={item.financial_year}#item-{item.pk}"
        category = item.get_category_display().lower()
        who = "the Virtual School" if item.group == FundingGroup.CIC else "the school"
        decided = item.status in (Status.APPROVED, Status.SPENT)
        events = [
            (item.decided_on if decided else None, f"PP+ approved by {who}: £{item.amount:,.2f}"),
            (
                item.decided_on if item.status == Status.DECLINED else None,
                f"PP+ request declined: £{item.amount:,.2f}",
            ),
            (item.spent_on, f"PP+ spent: £{item.amount:,.2f}"),
            (
                item.outcome_on if item.outcome else None,
                f"PP+ target reviewed: {item.get_outcome_display().lower()}",
            ),
        ]
        entries.extend(
            ChronologyEntry(when=when, kind="pp_plus", title=title, detail=category, url=link)
            for when, title in events
            if when
        )
    return entries
