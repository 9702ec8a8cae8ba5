"""PP+ pages: a child's ledger, its forms, the school's summary and export, the rates.

Reading needs ``VIEW_COHORT``; changing needs ``EDIT_PUPILS``. Approving (or declining) a
previously-in-care child's spend is the school's decision and needs ``APPROVE_PP_SPEND`` too; a
child in care's approval is the Virtual School's, which the designated teacher records.
A child or item of another school is a 404.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Capability
from core.access import for_school, has_capability, requires
from core.audit import audit_record
from core.charts import Series, bar_chart
from core.exports import FORMATS, Column, export_response
from core.forms import saved
from pupil_premium import selectors, services
from pupil_premium.audit import PpAction
from pupil_premium.forms import (
    AllocationForm,
    ApproveForm,
    DeclineForm,
    ImpactForm,
    ItemEditForm,
    ItemForm,
    RateForm,
    SpendForm,
)
from pupil_premium.models import (
    FundingGroup,
    PpAllocation,
    PpItem,
    financial_year_label,
    financial_year_of,
)
from pupils.access import pupil_for, record_read

FORM_PAGE = "pupil_premium/form_page.html"


def _year(request, today) -> int:
    chosen = request.GET.get("year", "")
    if chosen.isascii() and chosen.isdigit() and 2000 <= int(chosen) <= 2100:
        return int(chosen)
    return financial_year_of(today)


def _posted(request):
    return request.POST if request.method == "POST" else None


def _ledger_url(pupil_id: int, year: int, anchor: str = "") -> str:
    url = reverse("pupil_premium:ledger", args=[pupil_id]) + f"?year={year}"
    return url + (f"#{anchor}" if anchor else "")


def _form_page(request, form, *, title, pupil, back, button="Save", lede=""):
    return render(
        request,
        FORM_PAGE,
        {
            "form": form,
            "title": title,
            "caption": pupil.display_name,
            "button": button,
            "lede": lede,
            "cancel_url": back,
        },
    )


def _item_for(request, pk: int) -> PpItem:
    item = for_school(request, PpItem.objects.select_related("pupil", "school"), pk=pk)
    record_read(request, action=PpAction.LEDGER_VIEWED, obj=item.pupil, pupil_id=item.pupil_id)
    return item


# --- A child's ledger ------------------------------------------------------------------------


@requires(Capability.VIEW_COHORT)
def ledger(request, pupil_id: int):
    pupil = pupil_for(request, pupil_id, read=PpAction.LEDGER_VIEWED)
    today = timezone.localdate()
    year = _year(request, today)
    items = list(
        PpItem.objects.filter(pupil=pupil, financial_year=year).select_related(
            "target__pep__term", "decided_by", "spent_by"
        )
    )
    years = sorted(
        {year, financial_year_of(today)}
        | set(PpItem.objects.filter(pupil=pupil).values_list("financial_year", flat=True))
        | set(PpAllocation.objects.filter(pupil=pupil).values_list("financial_year", flat=True)),
        reverse=True,
    )
    group = selectors.funding_group_in_year(pupil, year, today=today)
    can_edit = has_capability(request, Capability.EDIT_PUPILS)
    return render(
        request,
        "pupil_premium/ledger.html",
        {
            "pupil": pupil,
            "year": year,
            "year_label": financial_year_label(year),
            "years": [(y, financial_year_label(y)) for y in years],
            "group": group,
            "group_label": FundingGroup(group).label if group else "",
            "allocation": PpAllocation.objects.filter(pupil=pupil, financial_year=year)
            .select_related("virtual_school")
            .first(),
            "balance": selectors.balance_for(pupil, year),
            "items": items,
            "can_edit": can_edit,
            "can_approve": can_edit
            and (group == FundingGroup.CIC or has_capability(request, Capability.APPROVE_PP_SPEND)),
        },
    )


@requires(Capability.EDIT_PUPILS)
def allocation(request, pupil_id: int):
    pupil = pupil_for(request, pupil_id)
    today = timezone.localdate()
    year = _year(request, today)
    group = selectors.funding_group_in_year(pupil, year, today=today)
    back = _ledger_url(pupil.pk, year)
    if group is None:
        raise Http404("This child attracts no PP+ in that year")
    rate = selectors.rate_for(request.school, year, group)
    existing = PpAllocation.objects.filter(pupil=pupil, financial_year=year).first()
    initial = (
        {"amount": existing.amount, "received_on": existing.received_on, "notes": existing.notes}
        if existing
        else {}
    )
    form = AllocationForm(
        _posted(request),
        initial=initial,
        group=group,
        default=f"£{rate:,.2f}" if rate is not None else "",
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and saved(
            form,
            lambda: services.allocation_record(
                pupil=pupil,
                financial_year=year,
                amount=form.cleaned_data["amount"],
                received_on=form.cleaned_data["received_on"],
                notes=form.cleaned_data["notes"],
                by=request.user,
                today=today,
                request=request,
            ),
        )
    ):
        return redirect(back)
    return _form_page(
        request,
        form,
        title=f"PP+ allocation, {financial_year_label(year)}",
        pupil=pupil,
        back=back,
        lede="The Virtual School holds this child's PP+ and releases it to the school."
        if group == FundingGroup.CIC
        else "The school receives this child's PP+ through the census.",
    )


@requires(Capability.EDIT_PUPILS)
def item_add(request, pupil_id: int):
    pupil = pupil_for(request, pupil_id)
    today = timezone.localdate()
    in_care = selectors.funding_group(pupil, today) == FundingGroup.CIC
    # The targets of the child's latest completed PEP (DOMAIN.md 4.2: PP+ meets PEP needs).
    latest = pupil.peps.filter(status="completed").order_by("-term__first_day").first()
    targets = list(latest.targets.select_related("pep__term")) if latest else []
    form = ItemForm(
        _posted(request),
        initial={"date": today.strftime("%d/%m/%Y")},
        targets=targets,
        in_care=in_care,
    )
    made: list[PpItem] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and saved(
            form,
            lambda: made.append(
                services.item_request(
                    pupil=pupil,
                    by=request.user,
                    request=request,
                    **{
                        k: v
                        for k, v in form.cleaned_data.items()
                        if k != "parents_involvement" or not in_care
                    },
                )
            ),
        )
    ):
        item = made[0]
        return redirect(_ledger_url(pupil.pk, item.financial_year, f"item-{item.pk}"))
    return _form_page(
        request,
        form,
        title="Ask for PP+",
        pupil=pupil,
        back=_ledger_url(pupil.pk, financial_year_of(today)),
        button="Add the request",
    )


def _item_step(request, item: PpItem, form, write, *, title, lede="", button="Save"):
    """One step of an item's life on its own page: on a valid POST that ``write`` (the service,
    given the cleaned data) accepts, back to the item on the ledger; otherwise the form."""
    back = _ledger_url(item.pupil_id, item.financial_year, f"item-{item.pk}")
    if (
        request.method == "POST"
        and form.is_valid()
        and saved(form, lambda: write(**form.cleaned_data))
    ):
        return redirect(back)
    return _form_page(
        request, form, title=title, pupil=item.pupil, back=back, button=button, lede=lede
    )


@requires(Capability.EDIT_PUPILS)
def item_edit(request, pk: int):
    item = _item_for(request, pk)
    if item.status != PpItem.Status.REQUESTED:
        # Approved, spent or declined: a decision on the record, not edited.
        return redirect(_ledger_url(item.pupil_id, item.financial_year, f"item-{item.pk}"))
    form = ItemEditForm(
        _posted(request),
        initial={
            "description": item.description,
            "category": item.category,
            "amount": item.amount,
            "supplier": item.supplier,
        },
    )
    return _item_step(
        request,
        item,
        form,
        lambda **data: services.item_edit(item=item, by=request.user, request=request, **data),
        title="Change the request",
        lede="Until it is approved or declined."
        + (
            " A correction of the PEP that changes the target's PP+ replaces the amount and "
            "what it pays for."
            if item.from_pep_request
            else ""
        ),
    )


def _decision_allowed(request, item: PpItem) -> None:
    # A previously-in-care child's spend is the school's own decision (the head or the DT).
    if item.group == FundingGroup.CPIC and not has_capability(request, Capability.APPROVE_PP_SPEND):
        raise PermissionDenied("Approving PP+ spend is not part of your role in this school.")


@requires(Capability.EDIT_PUPILS)
def item_approve(request, pk: int):
    item = _item_for(request, pk)
    _decision_allowed(request, item)
    in_care = item.group == FundingGroup.CIC
    return _item_step(
        request,
        item,
        ApproveForm(_posted(request), in_care=in_care),
        lambda **data: services.item_approve(
            item=item, by=request.user, today=timezone.localdate(), request=request, **data
        ),
        title=f"Record the Virtual School's approval of £{item.amount:,.2f}"
        if in_care
        else f"Approve £{item.amount:,.2f} of PP+",
        lede=item.description,
        button="Record the approval" if in_care else "Approve",
    )


@requires(Capability.EDIT_PUPILS)
def item_decline(request, pk: int):
    item = _item_for(request, pk)
    _decision_allowed(request, item)
    return _item_step(
        request,
        item,
        DeclineForm(_posted(request)),
        lambda **data: services.item_decline(
            item=item, by=request.user, today=timezone.localdate(), request=request, **data
        ),
        title=f"Decline £{item.amount:,.2f} of PP+",
        lede=item.description,
        button="Decline",
    )


@requires(Capability.EDIT_PUPILS)
def item_spend(request, pk: int):
    item = _item_for(request, pk)
    return _item_step(
        request,
        item,
        SpendForm(_posted(request), initial={"supplier": item.supplier}),
        lambda **data: services.item_spend(
            item=item, by=request.user, today=timezone.localdate(), request=request, **data
        ),
        title="Record the spend",
        lede=f"{item.description}: £{item.amount:,.2f} approved",
    )


@requires(Capability.EDIT_PUPILS)
def item_impact(request, pk: int):
    item = _item_for(request, pk)
    return _item_step(
        request,
        item,
        ImpactForm(_posted(request), initial={"note": item.impact_note}),
        lambda **data: services.item_impact_note(
            item=item, by=request.user, request=request, **data
        ),
        title="What did it achieve?",
        lede=item.description,
    )


# --- The school's summary --------------------------------------------------------------------


def _summary_chart(summary):
    rows = [(label, approved, spent) for label, approved, spent in summary.by_category]
    return bar_chart(
        title=f"PP+ by category, {financial_year_label(summary.year)}",
        summary=f"PP+ approved and spent in {financial_year_label(summary.year)}, by category",
        labels=[label for label, _, _ in rows],
        series=[
            Series("Approved, not yet spent (£)", [float(a) for _, a, _ in rows]),
            Series("Spent (£)", [float(s) for _, _, s in rows]),
        ],
        unit="£",
    )


@requires(Capability.VIEW_COHORT)
def summary(request):
    today = timezone.localdate()
    year = _year(request, today)
    result = selectors.school_summary(request.school, year)
    audit_record(
        action=PpAction.SUMMARY_VIEWED,
        request=request,
        values={"page": "pupil_premium:summary", "pupils": len(result.children)},
    )
    current = financial_year_of(today)
    return render(
        request,
        "pupil_premium/summary.html",
        {
            "summary": result,
            "year": year,
            "year_label": financial_year_label(year),
            "years": [(y, financial_year_label(y)) for y in range(current, current - 5, -1)],
            "groups": [(FundingGroup(g).label, b) for g, b in result.by_group],
            "chart": _summary_chart(result),
            "can_manage_rates": has_capability(request, Capability.MANAGE_SCHOOL),
        },
    )


EXPORT_COLUMNS = [
    Column("Child", lambda i: i.pupil.display_name, key=True),
    Column("UPN", lambda i: i.pupil.upn, key=True),
    Column("Group", lambda i: i.get_group_display()),
    Column("Financial year", lambda i: financial_year_label(i.financial_year)),
    Column("Date", lambda i: i.date, key=True),
    Column("What it pays for", lambda i: i.description),
    Column("Category", lambda i: i.get_category_display()),
    Column("Amount (£)", lambda i: str(i.amount)),
    Column("Supplier", lambda i: i.supplier),
    Column("Status", lambda i: i.get_status_display()),
    Column("PEP target", lambda i: str(i.target) if i.target else ""),
    Column("Decided by", lambda i: i.decided_by.full_name if i.decided_by else ""),
    Column("Decided on", lambda i: i.decided_on),
    Column("Virtual School reference", lambda i: i.virtual_school_reference),
    Column("Over-allocation reason", lambda i: i.over_allocation_reason),
    Column("Spent on", lambda i: i.spent_on),
    Column("Outcome", lambda i: i.get_outcome_display() if i.outcome else ""),
    Column("Impact", lambda i: i.impact_note),
]


@requires(Capability.VIEW_COHORT)
def export(request):
    today = timezone.localdate()
    year = _year(request, today)
    file_format = request.GET.get("format", "csv")
    if file_format not in FORMATS:
        raise Http404("No such format")
    items = list(selectors.items_for_export(request.school, year))
    response, count = export_response(
        request,
        EXPORT_COLUMNS,
        items,
        filename=f"pp-plus-{year}-{year + 1}",
        file_format=file_format,
    )
    audit_record(
        action=PpAction.EXPORTED,
        request=request,
        values={"pupils": len({i.pupil_id for i in items}), "rows": count, "format": file_format},
    )
    return response


@requires(Capability.MANAGE_SCHOOL)
def rates(request):
    today = timezone.localdate()
    rows = selectors.rate_rows(request.school, today=today)
    years = sorted({r.financial_year for r in rows}, reverse=True)
    form = RateForm(_posted(request), years=years)
    if (
        request.method == "POST"
        and form.is_valid()
        and saved(
            form,
            lambda: services.rate_set(
                school=request.school, by=request.user, request=request, **form.cleaned_data
            ),
        )
    ):
        return redirect("pupil_premium:rates")
    return render(request, "pupil_premium/rates.html", {"rows": rows, "form": form})
