"""Writes to the PP+ ledger: rates, allocations, items through their states, outcomes and impact.

The rules and where they come from:

* PP+ is for children in care and previously in care (DOMAIN.md 4.2). For a child in care the
  Virtual School head manages the grant and must make sure it meets the needs in the PEP: an
  item for a child in care names its PEP target, and its approval is the Virtual School's,
  recorded by the designated teacher with the date and reference. For a child previously in
  care the school holds the grant and approves its own spend (``Capability.APPROVE_PP_SPEND``,
  checked by the view).
* Money is exact: ``Decimal`` pounds and pence. Approving (or spending more than approved)
  beyond the child's remaining allocation for the year is refused with the numbers, unless a
  reason is given: the reason is kept on the item and shown on the ledger, and the audit log
  records that an override was made (never the words).
* A completed PEP's targets with PP+ asked for become requested items, one per target across
  every correction of the PEP (``pep_completed``); a later PEP's review gives them its outcome.

Audit events name the fields typed (descriptions, suppliers, notes, reasons) and keep only
Harbour's own values (amounts, states, categories, years, ids).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import Membership
from accounts.roles import Capability, capabilities_for
from core.audit import audit_record
from pupil_premium.audit import PpAction
from pupil_premium.models import (
    AllocationSource,
    Category,
    FundingGroup,
    PpAllocation,
    PpItem,
    PpRate,
    financial_year_label,
    financial_year_of,
)
from pupil_premium.selectors import balance_for, funding_group, funding_group_in_year, rate_for

Status = PpItem.Status
CENT = Decimal("0.01")

# A PEP target's area suggests the item's category; the designated teacher can see and use
# the category on the ledger.
AREA_CATEGORY = {
    "academic": Category.TUITION,
    "semh": Category.THERAPY,
    "attendance": Category.MENTORING,
    "aspirations": Category.ENRICHMENT,
}


def _money(value, field: str) -> Decimal:
    if value is None:
        raise ValidationError({field: "Enter an amount in pounds and pence"}, code="required")
    amount = Decimal(value)
    if amount != amount.quantize(CENT):
        raise ValidationError({field: "Enter the amount to the nearest penny"}, code="pennies")
    return amount.quantize(CENT)


def _audit(action, *, obj, by, request=None, fields=(), **values) -> None:
    audit_record(
        action=action,
        actor=by,
        school=obj.school,
        obj=obj,
        pupil_id=getattr(obj, "pupil_id", None),
        fields=fields,
        values=values,
        request=request,
    )


def _pounds(amount: Decimal) -> str:
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


# --- Rates -----------------------------------------------------------------------------------


@transaction.atomic
def rate_set(*, school, financial_year: int, group: str, amount, by, request=None) -> PpRate:
    if group not in FundingGroup.values:
        raise ValidationError({"group": "Choose in care or previously in care"}, code="group")
    amount = _money(amount, "amount")
    if amount < 0:
        raise ValidationError({"amount": "The rate cannot be negative"}, code="negative")
    rate, _ = PpRate.objects.update_or_create(
        school=school, financial_year=financial_year, group=group, defaults={"amount": amount}
    )
    audit_record(
        action=PpAction.RATE_SET,
        actor=by,
        school=school,
        obj=rate,
        values={"financial_year": financial_year, "group": group, "amount": amount},
        request=request,
    )
    return rate


# --- Allocations -----------------------------------------------------------------------------


@transaction.atomic
def allocation_record(
    *,
    pupil,
    financial_year: int,
    amount=None,
    received_on: dt.date | None = None,
    virtual_school=None,
    notes: str = "",
    by,
    today: dt.date,
    request=None,
) -> PpAllocation:
    """Record (or change) ``pupil``'s allocation for ``financial_year``. A child previously in
    care's defaults to the year's rate (the census funding); a child in care's is what the
    Virtual School released, which the school enters."""
    group = funding_group_in_year(pupil, financial_year, today=today)
    if group is None:
        raise ValidationError(
            f"{pupil.display_name} is not recorded as in care or previously in care in "
            f"{financial_year_label(financial_year)}, so they attract no PP+.",
            code="not_eligible",
        )
    if amount is None:
        if group == FundingGroup.CIC:
            raise ValidationError(
                {"amount": "Enter the amount the Virtual School released for this child"},
                code="required",
            )
        amount = rate_for(pupil.school, financial_year, group)
        if amount is None:
            raise ValidationError(
                {
                    "amount": f"Harbour has no PP+ rate for {financial_year_label(financial_year)}"
                    ": enter the amount, or ask the head to enter the year's rate"
                },
                code="no_rate",
            )
    amount = _money(amount, "amount")
    if amount < 0:
        raise ValidationError({"amount": "The allocation cannot be negative"}, code="negative")
    source = (
        AllocationSource.VIRTUAL_SCHOOL if group == FundingGroup.CIC else AllocationSource.CENSUS
    )
    if group == FundingGroup.CIC and virtual_school is None:
        virtual_school = _responsible_authority(pupil, financial_year, today=today)
    allocation, created = PpAllocation.objects.select_for_update().get_or_create(
        pupil=pupil,
        financial_year=financial_year,
        defaults={
            "school": pupil.school,
            "group": group,
            "amount": amount,
            "received_on": received_on,
            "source": source,
            "virtual_school": virtual_school,
            "notes": notes.strip(),
            "created_by": by,
        },
    )
    fields = []
    if not created:
        if allocation.notes != notes.strip():
            fields.append("notes")
        allocation.group, allocation.amount, allocation.received_on = group, amount, received_on
        allocation.source, allocation.virtual_school = source, virtual_school
        allocation.notes = notes.strip()
        allocation.save()
    elif notes.strip():
        fields.append("notes")
    _audit(
        PpAction.ALLOCATION_RECORDED,
        obj=allocation,
        by=by,
        request=request,
        fields=fields,
        financial_year=financial_year,
        group=group,
        amount=amount,
        source=source,
        received_on=received_on,
        virtual_school=virtual_school.la_code if virtual_school else None,
    )
    return allocation


def _responsible_authority(pupil, financial_year: int, *, today: dt.date):
    from pupil_premium.models import financial_year_bounds
    from pupils.cohort import IN_CARE

    first, last = financial_year_bounds(financial_year)
    episode = (
        pupil.care_episodes.filter(kind=IN_CARE, responsible_authority__isnull=False)
        .in_force_during(first, last)
        .select_related("responsible_authority")
        .order_by("-start_date")
        .first()
    )
    return episode.responsible_authority if episode else None


# --- Items -----------------------------------------------------------------------------------


def _target_root(target):
    """The first version of a PEP target (a correction copies targets, ``copied_from``)."""
    while target.copied_from_id is not None:
        target = target.copied_from
    return target


def _check_target(pupil, target) -> None:
    if target.pep.pupil_id != pupil.pk:
        raise ValidationError({"target": "Choose one of this child's PEP targets"}, code="target")
    if target.pep.status != "completed":
        raise ValidationError(
            {"target": "Choose a target of the child's latest completed PEP"}, code="target"
        )


def _checked_details(description: str, category: str, amount) -> tuple[str, Decimal]:
    """What a request pays for, its category and amount, as a request and its edit check them."""
    description = description.strip()
    if not description:
        raise ValidationError({"description": "Say what the PP+ will pay for"}, code="required")
    if category not in Category.values:
        raise ValidationError({"category": "Choose a category"}, code="required")
    amount = _money(amount, "amount")
    if amount <= 0:
        raise ValidationError({"amount": "The amount must be more than £0"}, code="positive")
    return description, amount


@transaction.atomic
def item_request(
    *,
    pupil,
    date: dt.date,
    description: str,
    category: str,
    amount,
    supplier: str = "",
    target=None,
    parents_involvement: str = "",
    by,
    request=None,
) -> PpItem:
    """Ask for PP+ for ``pupil``. A child in care's item names its PEP target (DOMAIN.md 4.2:
    the grant is for the needs in the PEP); a previously-in-care child's may."""
    group = funding_group(pupil, date)
    if group is None:
        raise ValidationError(
            f"{pupil.display_name} is not recorded as in care or previously in care on "
            f"{date:%-d %B %Y}, so PP+ cannot be spent for them then.",
            code="not_eligible",
        )
    description, amount = _checked_details(description, category, amount)
    if group == FundingGroup.CIC and target is None:
        raise ValidationError(
            {
                "target": "For a child in care, choose the PEP target this pays towards: the "
                "Virtual School releases PP+ for the needs in the PEP"
            },
            code="target_required",
        )
    if target is not None:
        _check_target(pupil, target)
    item = PpItem.objects.create(
        school=pupil.school,
        pupil=pupil,
        group=group,
        financial_year=financial_year_of(date),
        date=date,
        description=description,
        category=category,
        amount=amount,
        supplier=supplier.strip(),
        target=target,
        target_root=_target_root(target) if target else None,
        parents_involvement=parents_involvement.strip() if group == FundingGroup.CPIC else "",
        created_by=by,
    )
    _audit(
        PpAction.ITEM_REQUESTED,
        obj=item,
        by=by,
        request=request,
        fields=[f for f in ("description", "supplier", "parents_involvement") if getattr(item, f)],
        financial_year=item.financial_year,
        group=group,
        category=category,
        amount=amount,
        target=target.pk if target else None,
        from_pep_request=False,
    )
    return item


@transaction.atomic
def item_edit(
    *,
    item: PpItem,
    description: str,
    category: str,
    amount,
    supplier: str = "",
    by,
    request=None,
) -> PpItem:
    """Put right a request before it is decided: what it pays for, its category, amount and
    supplier. Once approved or declined an item is a decision on the record and is not edited.
    The audit event names the fields changed and keeps the new category and amount, never the
    words typed."""
    item = _lock(item)
    if item.status != Status.REQUESTED:
        raise ValidationError(
            f"This item is {item.get_status_display().lower()}: only a request not yet decided "
            "can be changed.",
            code="not_requested",
        )
    description, amount = _checked_details(description, category, amount)
    new = {
        "description": description,
        "category": category,
        "amount": amount,
        "supplier": supplier.strip(),
    }
    changed = [name for name, value in new.items() if getattr(item, name) != value]
    if not changed:
        return item
    old = {name: getattr(item, name) for name in changed}
    for name in changed:
        setattr(item, name, new[name])
    item.save(update_fields=changed)
    _audit(
        PpAction.ITEM_EDITED,
        obj=item,
        by=by,
        request=request,
        fields=changed,
        **{name: [old[name], new[name]] for name in ("category", "amount") if name in changed},
    )
    return item


def _lock(item: PpItem) -> PpItem:
    return PpItem.objects.select_for_update().select_related("pupil", "school").get(pk=item.pk)


def _guard_allocation(item: PpItem, amount: Decimal, reason: str) -> bool:
    """Refuse, with the numbers, to commit ``amount`` for ``item`` beyond what is left of the
    child's allocation, unless ``reason`` says why. True when the override was used."""
    balance = balance_for(item.pupil, item.financial_year, exclude_item=item)
    if amount <= balance.remaining:
        return False
    if reason.strip():
        return True
    year = financial_year_label(item.financial_year)
    raise ValidationError(
        {
            "over_allocation_reason": (
                f"This would go over {item.pupil.display_name}'s PP+ for {year}: allocated "
                f"{_pounds(balance.allocated)}, already approved {_pounds(balance.committed)}, "
                f"spent {_pounds(balance.spent)}, so {_pounds(balance.remaining)} remains and "
                f"this is {_pounds(amount)}. To go ahead, say why."
            )
        },
        code="over_allocation",
    )


def _may_decide(item: PpItem, by) -> None:
    """A previously-in-care child's PP+ is the school's to spend, so its approval or refusal is
    a decision of the head or the designated teacher (APPROVE_PP_SPEND); a child in care's is
    the Virtual School's, which the designated teacher records (DOMAIN.md 4.2). Checked here, not
    only in the view, so no other caller can decide without the right."""
    if item.group != FundingGroup.CPIC:
        return
    roles = set(
        Membership.objects.filter(user=by, school_id=item.school_id).values_list("role", flat=True)
    )
    if Capability.APPROVE_PP_SPEND not in capabilities_for(roles):
        raise PermissionDenied("Approving PP+ spend is not part of your role in this school.")


@transaction.atomic
def item_approve(
    *,
    item: PpItem,
    by,
    today: dt.date,
    virtual_school_approved_on: dt.date | None = None,
    virtual_school_reference: str = "",
    over_allocation_reason: str = "",
    request=None,
) -> PpItem:
    """Approve a requested item. A child in care's approval is the Virtual School's: the
    designated teacher records its date and reference."""
    item = _lock(item)
    _may_decide(item, by)
    if item.status != Status.REQUESTED:
        raise ValidationError(
            f"This item is {item.get_status_display().lower()}: only a request can be approved.",
            code="not_requested",
        )
    if item.group == FundingGroup.CIC:
        errors = {}
        if virtual_school_approved_on is None:
            errors["virtual_school_approved_on"] = "Enter the date the Virtual School approved it"
        elif virtual_school_approved_on > today:
            errors["virtual_school_approved_on"] = "The date cannot be in the future"
        if not virtual_school_reference.strip():
            errors["virtual_school_reference"] = (
                "Enter the Virtual School's reference for the approval (from its email or ePEP)"
            )
        if errors:
            raise ValidationError(errors, code="virtual_school_approval")
    override = _guard_allocation(item, item.amount, over_allocation_reason)
    item.status = Status.APPROVED
    item.decided_by, item.decided_on = by, today
    if item.group == FundingGroup.CIC:
        item.virtual_school_approved_on = virtual_school_approved_on
        item.virtual_school_reference = virtual_school_reference.strip()
    if override:
        item.over_allocation_reason = over_allocation_reason.strip()
    item.save()
    remaining = balance_for(item.pupil, item.financial_year).remaining
    _audit(
        PpAction.ITEM_APPROVED,
        obj=item,
        by=by,
        request=request,
        fields=[
            *(["virtual_school_reference"] if item.group == FundingGroup.CIC else []),
            *(["over_allocation_reason"] if override else []),
        ],
        status=item.status,
        amount=item.amount,
        over_allocation=override,
        remaining=remaining,
        virtual_school_approved_on=item.virtual_school_approved_on,
    )
    return item


@transaction.atomic
def item_decline(*, item: PpItem, reason: str, by, today: dt.date, request=None) -> PpItem:
    item = _lock(item)
    _may_decide(item, by)
    if item.status != Status.REQUESTED:
        raise ValidationError(
            f"This item is {item.get_status_display().lower()}: only a request can be declined.",
            code="not_requested",
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why it was declined"}, code="required")
    item.status = Status.DECLINED
    item.decided_by, item.decided_on = by, today
    item.decline_reason = reason.strip()
    item.save()
    _audit(
        PpAction.ITEM_DECLINED,
        obj=item,
        by=by,
        request=request,
        fields=["decline_reason"],
        status=item.status,
    )
    return item


@transaction.atomic
def item_spend(
    *,
    item: PpItem,
    spent_on: dt.date,
    amount=None,
    supplier: str | None = None,
    over_allocation_reason: str = "",
    by,
    today: dt.date,
    request=None,
) -> PpItem:
    """Record that an approved item was paid for, at its actual cost when that differs. Paying
    more than was approved passes the allocation guard again."""
    item = _lock(item)
    if item.status != Status.APPROVED:
        raise ValidationError(
            "Only an approved item can be marked as spent: approve it first.", code="not_approved"
        )
    if spent_on > today:
        raise ValidationError({"spent_on": "The date cannot be in the future"}, code="future")
    amount = item.amount if amount is None else _money(amount, "amount")
    if amount <= 0:
        raise ValidationError({"amount": "The amount must be more than £0"}, code="positive")
    override = amount > item.amount and _guard_allocation(item, amount, over_allocation_reason)
    fields = []
    if supplier is not None and supplier.strip() != item.supplier:
        item.supplier = supplier.strip()
        fields.append("supplier")
    if override:
        item.over_allocation_reason = over_allocation_reason.strip()
        fields.append("over_allocation_reason")
    item.amount = amount
    item.status = Status.SPENT
    item.spent_on, item.spent_by = spent_on, by
    item.save()
    _audit(
        PpAction.ITEM_SPENT,
        obj=item,
        by=by,
        request=request,
        fields=fields,
        status=item.status,
        amount=amount,
        spent_on=spent_on,
        over_allocation=bool(override),
    )
    return item


@transaction.atomic
def item_impact_note(*, item: PpItem, note: str, by, request=None) -> PpItem:
    item = _lock(item)
    if item.status != Status.SPENT:
        raise ValidationError("Record the impact once the item has been spent.", code="not_spent")
    if not note.strip():
        raise ValidationError({"note": "Say what the spending achieved"}, code="required")
    item.impact_note = note.strip()
    item.save(update_fields=["impact_note"])
    _audit(PpAction.ITEM_IMPACT_NOTED, obj=item, by=by, request=request, fields=["impact_note"])
    return item


# --- The PEP's part (registered with pupils.pep_hooks in apps.py) ---------------------------


def pep_completed(*, pep, by, today: dt.date, request=None) -> None:
    """A completed PEP's PP+ requests become requested items, one per target however many
    times the PEP is corrected, and its reviews of earlier targets give their items an
    outcome. Runs inside ``peps.services.pep_complete``'s transaction."""
    day = pep.meeting_date or today
    targets = list(pep.targets.select_related("copied_from").all())
    roots = {}
    for target in targets:
        roots[target.pk] = _target_root(target)
    group = funding_group(pep.pupil, day)
    for target in targets:
        root = roots[target.pk]
        item = (
            PpItem.objects.select_for_update()
            .filter(target_root=root, from_pep_request=True)
            .first()
        )
        if target.pp_plus_amount > 0 and item is None:
            if group is None:
                continue  # not in care at the meeting: the PEP page already says so
            item = PpItem.objects.create(
                school=pep.pupil.school,
                pupil=pep.pupil,
                group=group,
                financial_year=financial_year_of(day),
                date=day,
                description=target.pp_plus_purpose.strip()[:300] or "PP+ for a PEP target",
                category=AREA_CATEGORY.get(target.area, Category.OTHER),
                amount=target.pp_plus_amount,
                target=target,
                target_root=root,
                from_pep_request=True,
                created_by=by,
            )
            _audit(
                PpAction.ITEM_REQUESTED,
                obj=item,
                by=by,
                request=request,
                fields=["description"],
                financial_year=item.financial_year,
                group=group,
                category=item.category,
                amount=item.amount,
                target=target.pk,
                from_pep_request=True,
            )
        elif item is not None:
            _follow_correction(item, target, by=by, request=request)
    # Requests of the corrected version whose target this correction removed.
    if pep.supersedes_id:
        kept = {root.pk for root in roots.values()}
        gone = (
            PpItem.objects.select_for_update()
            .filter(
                from_pep_request=True, status=Status.REQUESTED, target__pep_id=pep.supersedes_id
            )
            .exclude(target_root_id__in=kept)
        )
        for item in gone:
            _withdraw(item, by=by, request=request)
    for review in pep.reviews.select_related("target__copied_from"):
        root = _target_root(review.target)
        for item in PpItem.objects.select_for_update().filter(target_root=root):
            if item.outcome != review.outcome:
                item.outcome, item.outcome_on = review.outcome, day
                item.save(update_fields=["outcome", "outcome_on"])
                _audit(
                    PpAction.ITEM_OUTCOME,
                    obj=item,
                    by=by,
                    request=request,
                    outcome=review.outcome,
                    target=review.target_id,
                )


def _follow_correction(item: PpItem, target, *, by, request=None) -> None:
    """The corrected target is the item's target now; a request not yet decided takes the
    corrected amount and purpose (or is withdrawn when the correction asks for none)."""
    fields = []
    if item.target_id != target.pk:
        item.target = target
    if item.status == Status.REQUESTED:
        if target.pp_plus_amount <= 0:
            item.save(update_fields=["target"])
            _withdraw(item, by=by, request=request)
            return
        if item.amount != target.pp_plus_amount:
            item.amount = target.pp_plus_amount
            fields.append("amount")
        purpose = target.pp_plus_purpose.strip()[:300]
        if purpose and purpose != item.description:
            item.description = purpose
            fields.append("description")
    item.save()
    if fields:
        _audit(
            PpAction.ITEM_UPDATED_BY_CORRECTION,
            obj=item,
            by=by,
            request=request,
            fields=fields,
            amount=item.amount,
            target=target.pk,
        )


def _withdraw(item: PpItem, *, by, request=None) -> None:
    item.status = Status.WITHDRAWN
    item.save(update_fields=["status"])
    _audit(PpAction.ITEM_WITHDRAWN, obj=item, by=by, request=request, status=item.status)


def target_statuses(targets) -> dict:
    """The PP+ status of each of one PEP's targets, for the PEP page and PDF (pupils.pep_hooks)."""
    from django.urls import reverse

    from pupils.pep_hooks import TargetStatus

    roots = {t.pk: _target_root(t).pk for t in targets}
    items = {
        item.target_root_id: item
        for item in PpItem.objects.filter(target_root_id__in=roots.values(), from_pep_request=True)
    }
    found = {}
    for target in targets:
        item = items.get(roots[target.pk])
        if item is None:
            continue
        words = f"£{item.amount:,.2f} {item.get_status_display().lower()}"
        if item.status == Status.APPROVED and item.virtual_school_approved_on:
            words += f" by the Virtual School on {item.virtual_school_approved_on:%-d %B %Y}"
        if item.status == Status.SPENT and item.spent_on:
            words += f" on {item.spent_on:%-d %B %Y}"
        if item.outcome:
            words += f"; target {item.get_outcome_display().lower()}"
        found[target.pk] = TargetStatus(
            text=words,
            url=reverse("pupil_premium:ledger", args=[item.pupil_id])
            + f"?year={item.financial_year}#item-{item.pk}",
            link_text="PP+ ledger",
        )
    return found
