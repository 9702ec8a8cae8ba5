"""The PP+ ledger's entries in a child's chronology: each allocation, approval and spend, and
each outcome a PEP review gave. Two queries."""

from django.urls import reverse

from pupil_premium.models import PpAllocation, PpItem, financial_year_label
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
        if item.decided_on and item.status in (Status.APPROVED, Status.SPENT):
            who = "the Virtual School" if item.group == "cic" else "the school"
            entries.append(
                ChronologyEntry(
                    when=item.decided_on,
                    kind="pp_plus",
                    title=f"PP+ approved by {who}: £{item.amount:,.2f}",
                    detail=category,
                    url=link,
                )
            )
        if item.status == Status.DECLINED and item.decided_on:
            entries.append(
                ChronologyEntry(
                    when=item.decided_on,
                    kind="pp_plus",
                    title=f"PP+ request declined: £{item.amount:,.2f}",
                    detail=category,
                    url=link,
                )
            )
        if item.spent_on:
            entries.append(
                ChronologyEntry(
                    when=item.spent_on,
                    kind="pp_plus",
                    title=f"PP+ spent: £{item.amount:,.2f}",
                    detail=category,
                    url=link,
                )
            )
        if item.outcome and item.outcome_on:
            entries.append(
                ChronologyEntry(
                    when=item.outcome_on,
                    kind="pp_plus",
                    title=f"PP+ target reviewed: {item.get_outcome_display().lower()}",
                    detail=category,
                    url=link,
                )
            )
    return entries
