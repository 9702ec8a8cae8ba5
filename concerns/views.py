"""Safeguarding concern pages. Each view: the access helper, a form, one service, a redirect or
a render.

Anyone who may raise a concern (``RAISE_CONCERN``) raises one and reads back, read-only, the
concerns they raised; the DSL team and the head (``ACT_ON_CONCERNS``) read every concern of the
school and act on it. Every page is audited: a concern's page writes one read per child.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Capability
from concerns import selectors, services
from concerns.access import concern_for, may_act
from concerns.audit import ConcernAction
from concerns.forms import (
    ActionForm,
    AddendumForm,
    ChildLinkForm,
    ChronologyFilterForm,
    ConcernSettingsForm,
    CpFileReceiptForm,
    CpFileSentForm,
    DecisionForm,
    LinkForm,
    RaiseForm,
)
from concerns.models import Action, Concern, ConcernPupil, CpFileTransfer, Decision
from concerns.report_kinds import CHRONOLOGY_PDF
from core.access import has_capability, requires, school_records_or_own
from core.audit import audit_record
from core.forms import saved
from core.report_runs import report_run_request
from pupils.access import pupil_for, record_read
from pupils.chronology import chronology_for
from pupils.models import LeavingTask

RAISERS = (Capability.RAISE_CONCERN, Capability.ACT_ON_CONCERNS)


def _form_page(request, form, *, title, concern=None, caption="", button="Save", lede=""):
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": title,
            "caption": caption or (f"Concern {concern.reference}" if concern else ""),
            "button": button,
            "lede": lede,
            "cancel_url": reverse("concerns:concern", args=[concern.pk]) if concern else "",
        },
    )


def _add_to_concern(request, found, form, write, *, done, title, lede=""):
    """The DSL team's page adding one record to the concern ``found`` (nothing on it is ever
    changed): on a valid POST, ``write(cleaned_data)`` (the one service) and back to the
    concern; otherwise the form page."""
    if (
        request.method == "POST"
        and form.is_valid()
        and saved(form, lambda: write(form.cleaned_data))
    ):
        messages.success(request, done)
        return redirect("concerns:concern", pk=found.pk)
    return _form_page(request, form, title=title, concern=found, lede=lede)


@requires(any_of=RAISERS)
def concern_list(request):
    """The DSL team's list of every concern of the school (open first by default), or a member of
    staff's list of the concerns they raised."""
    acts = may_act(request)
    concerns = school_records_or_own(request, Concern, full_capability=Capability.ACT_ON_CONCERNS)
    # The raiser's list shows no status and cannot be filtered by it: whether the DSL team
    # closed a concern is the DSL's record, not the raiser's.
    status = request.GET.get("status", "open") if acts else "all"
    listed = selectors.concern_list(concerns)
    if status == "closed":
        listed = listed.filter(status_kind=Decision.Kind.CLOSED)
    elif status == "open":
        listed = listed.exclude(status_kind=Decision.Kind.CLOSED)
    rows = list(listed)
    today = timezone.localdate()
    calendar = selectors.calendar_or_none(request.school) if acts else None
    after = selectors.concern_settings_for(request.school).no_action_flag_school_days
    for concern in rows:
        concern.flag = selectors.no_action_flag(concern, calendar, today, after) if acts else None
    match = getattr(request, "resolver_match", None)
    audit_record(
        action=ConcernAction.LISTED,
        request=request,
        values={
            "page": match.view_name if match else "",
            "pupils": len({c.pupil_id for concern in rows for c in concern.children.all()}),
        },
    )
    return render(
        request,
        "concerns/list.html",
        {
            "concerns": rows,
            "acts": acts,
            "status": status,
            "sees_children": _sees_children(request),
        },
    )


def _sees_children(request) -> bool:
    """Whether the viewer may see which of Harbour's children a concern is about. A member of
    staff without ``VIEW_COHORT`` sees only the name they typed: that the DSL team linked it to
    a child in Harbour would tell them the child is in care or known to a social worker."""
    return has_capability(request, Capability.VIEW_COHORT) or may_act(request)


@requires(Capability.RAISE_CONCERN)
def concern_raise(request):
    today = timezone.localdate()
    # Harbour's children are the cohort: the list of them is shown only to someone who may see
    # the cohort. Anyone else names the child by typing, and sees no list and no match.
    pupils = (
        selectors.pupils_for_raising(request.school, today)
        if has_capability(request, Capability.VIEW_COHORT)
        else None
    )
    form = RaiseForm(request.POST or None, pupils=pupils)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = {}

        def write():
            made["concern"] = services.concern_raise(
                school=request.school,
                by=request.user,
                pupils=data["pupils"],
                seen_at=data["seen_at"],
                location=data["location"],
                categories=list(data["categories"]),
                account=data["account"],
                immediate_risk=data["immediate_risk"],
                marks=data["marks"],
                child_name=data.get("child_name") or "",
                child_class=data.get("child_class") or "",
                child_details=data.get("child_details") or "",
                request=request,
            )

        if saved(form, write):
            messages.success(
                request,
                f"Concern {made['concern'].reference} has been sent to the designated "
                "safeguarding lead.",
            )
            return redirect("concerns:concern", pk=made["concern"].pk)
    if request.method == "GET" and pupils is not None:
        match = getattr(request, "resolver_match", None)
        audit_record(
            action=ConcernAction.RAISE_FORM_OPENED,
            request=request,
            values={"page": match.view_name if match else "", "pupils": pupils.count()},
        )
    categories = list(form.fields["categories"].queryset)
    return render(
        request,
        "concerns/raise.html",
        {
            "form": form,
            "categories": categories,
            "mark_rows": form.mark_rows(),
            "typed": form.typed,
        },
    )


@requires(any_of=RAISERS)
def concern(request, pk: int):
    found = concern_for(request, pk)
    full = selectors.concern_with_parts(found)
    acts = may_act(request)
    flag = None
    if acts:
        flag = selectors.no_action_flag(
            full,
            selectors.calendar_or_none(request.school),
            timezone.localdate(),
            selectors.concern_settings_for(request.school).no_action_flag_school_days,
        )
    return render(
        request,
        "concerns/concern.html",
        {
            "concern": full,
            "acts": acts,
            "closed": selectors.is_closed(full),
            "flag": flag,
            "children": [c.pupil for c in full.children.all()],
            "links": list(full.children.all()),
            "sees_children": _sees_children(request),
            "marks": list(full.marks.all()),
        },
    )


@requires(Capability.ACT_ON_CONCERNS)
def action_add(request, pk: int):
    found = concern_for(request, pk, write=True)
    form = ActionForm(request.POST or None, initial={"taken_by": request.user.full_name})
    return _add_to_concern(
        request,
        found,
        form,
        lambda data: services.concern_action_record(
            concern=found,
            by=request.user,
            kind=data["kind"],
            taken_on=data["taken_on"],
            taken_by=data["taken_by"],
            details=data["details"],
            today=timezone.localdate(),
            request=request,
        ),
        done="Action recorded",
        title="Record an action",
    )


@requires(Capability.ACT_ON_CONCERNS)
def decision_add(request, pk: int):
    found = concern_for(request, pk, write=True)
    closed = services.concern_status(found) == "closed"
    choices = [
        (k, label)
        for k, label in Decision.Kind.choices
        if k == Decision.Kind.DECISION or (k == Decision.Kind.REOPENED) == closed
    ]
    form = DecisionForm(request.POST or None, choices=choices)
    return _add_to_concern(
        request,
        found,
        form,
        lambda data: services.concern_decision_record(
            concern=found,
            by=request.user,
            kind=data["kind"],
            decision=data["decision"],
            reason=data["reason"],
            request=request,
        ),
        done="Decision recorded",
        title="Record a decision or the outcome",
    )


@requires(Capability.ACT_ON_CONCERNS)
def addendum_add(request, pk: int):
    found = concern_for(request, pk, write=True)
    action = decision = None
    about = "the concern"
    if request.GET.get("action") or request.POST.get("action"):
        raw = request.GET.get("action") or request.POST.get("action")
        action = Action.objects.filter(concern=found, pk=_int(raw)).first()
        about = f"the action “{action}”" if action else about
    elif request.GET.get("decision") or request.POST.get("decision"):
        raw = request.GET.get("decision") or request.POST.get("decision")
        decision = Decision.objects.filter(concern=found, pk=_int(raw)).first()
        about = f"the decision “{decision}”" if decision else about
    form = AddendumForm(request.POST or None)
    return _add_to_concern(
        request,
        found,
        form,
        lambda data: services.concern_addendum_add(
            concern=found,
            by=request.user,
            text=data["text"],
            action=action,
            decision=decision,
            request=request,
        ),
        done="Addendum added",
        title="Add an addendum",
        lede=f"To {about}. Nothing already written is changed.",
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@requires(Capability.ACT_ON_CONCERNS)
def link_add(request, pk: int):
    found = concern_for(request, pk, write=True)
    form = LinkForm(request.POST or None, school=request.school)
    return _add_to_concern(
        request,
        found,
        form,
        lambda data: services.concern_link(
            concern=found,
            by=request.user,
            linked=data["reference"],
            reason=data["reason"],
            request=request,
        ),
        done="Concerns linked",
        title="Link to another concern",
    )


@requires(Capability.ACT_ON_CONCERNS)
def chronology(request, pk: int):
    """The DSL's chronology of a child: concerns, actions and decisions beside every other key
    event of the child in Harbour, oldest first, filterable; and its PDF."""
    child = pupil_for(request, pk, read=ConcernAction.CHRONOLOGY_VIEWED)
    if request.method == "POST":
        run = report_run_request(
            school=request.school,
            kind=CHRONOLOGY_PDF,
            parameters={"pupil": child.pk},
            by=request.user,
            pupil_id=child.pk,
            request=request,
        )
        return redirect("core:report_run", pk=run.pk)
    form = ChronologyFilterForm(request.GET or None)
    entries = sorted(chronology_for(child, request), key=lambda e: e.sort_key)
    if form.is_valid():
        if form.cleaned_data["kind"]:
            entries = [e for e in entries if e.kind == form.cleaned_data["kind"]]
        if form.cleaned_data["since"]:
            entries = [e for e in entries if e.day >= form.cleaned_data["since"]]
    return render(
        request,
        "concerns/chronology.html",
        {"pupil": child, "entries": entries, "form": form},
    )


@requires(Capability.ACT_ON_CONCERNS)
def cp_file(request, pk: int):
    """The transfer of a child's child protection file to their new school (KCSIE: within 5
    days, separately, securely, receipt confirmed)."""
    child = pupil_for(request, pk, read=ConcernAction.CP_FILE_VIEWED)
    transfer = CpFileTransfer.objects.filter(pupil=child).select_related("sent_by").first()
    task = LeavingTask.objects.filter(
        pupil=child, item=LeavingTask.Item.CP_FILE_TRANSFERRED
    ).first()
    today = timezone.localdate()
    form = None
    if transfer is None:
        form = CpFileSentForm(
            request.POST or None,
            initial={"recipient_school": child.destination_school_name},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if saved(
                form,
                lambda: services.cp_file_sent(
                    pupil=child,
                    by=request.user,
                    recipient_school=data["recipient_school"],
                    sent_on=data["sent_on"],
                    how_sent=data["how_sent"],
                    today=today,
                    request=request,
                ),
            ):
                messages.success(request, "Transfer recorded. Record the receipt when it comes.")
                return redirect("concerns:cp_file", pk=child.pk)
    elif transfer.receipt_confirmed_on is None:
        form = CpFileReceiptForm(request.POST or None)
        if (
            request.method == "POST"
            and form.is_valid()
            and saved(
                form,
                lambda: services.cp_file_receipt_confirm(
                    transfer=transfer,
                    by=request.user,
                    confirmed_on=form.cleaned_data["confirmed_on"],
                    today=today,
                    request=request,
                ),
            )
        ):
            messages.success(request, "Receipt confirmed; the leaving checklist is updated.")
            return redirect("concerns:cp_file", pk=child.pk)
    return render(
        request,
        "concerns/cp_file.html",
        {"pupil": child, "transfer": transfer, "task": task, "form": form, "today": today},
    )


@requires(Capability.ACT_ON_CONCERNS)
def child_link(request, pk: int):
    """The DSL team finds the child a concern is about (named by typing when it was raised) and
    links it. The search is by name; each child it finds is recorded as read."""
    found = concern_for(request, pk)
    linked = set(ConcernPupil.objects.filter(concern=found).values_list("pupil_id", flat=True))
    today = timezone.localdate()
    pupils = selectors.pupils_for_raising(request.school, today).exclude(pk__in=linked)
    query = request.GET.get("q", found.child_name).strip()
    form = ChildLinkForm(request.POST or None, pupils=pupils)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if saved(
            form,
            lambda: services.concern_child_link(
                concern=found,
                pupil=data["pupil"],
                by=request.user,
                reason=data["reason"],
                request=request,
            ),
        ):
            messages.success(request, "Concern linked to the child")
            return redirect("concerns:concern", pk=found.pk)
    matches = list(selectors.pupils_named(pupils, query)) if query else []
    for child in matches:
        record_read(
            request, action=ConcernAction.LINK_CANDIDATE_SHOWN, obj=child, pupil_id=child.pk
        )
    form.fields["pupil"].queryset = pupils.filter(pk__in=[m.pk for m in matches])
    return render(
        request,
        "concerns/child_link.html",
        {"concern": found, "form": form, "query": query, "matches": matches},
    )


@requires(Capability.ACT_ON_CONCERNS)
def concern_settings(request):
    current = selectors.concern_settings_for(request.school)
    form = ConcernSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():

        def write():
            services.concern_settings_update(
                school=request.school,
                by=request.user,
                request=request,
                **{name: form.cleaned_data[name] for name in services.SETTINGS_FIELDS},
            )

        if saved(form, write):
            messages.success(request, "Safeguarding settings saved")
            return redirect("concerns:settings")
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "Safeguarding settings",
            "caption": "Concerns",
            "button": "Save settings",
            "lede": "Harbour's rules unless your school sets its own. Each change is recorded "
            "in the audit log with the old and new values.",
            "cancel_url": reverse("concerns:list"),
        },
    )


@requires(Capability.ACT_ON_CONCERNS)
def retention(request):
    """Child protection records whose retention period has ended (DOMAIN.md 7.2: the child's
    date of birth + 25 years, then review), listed for the DSL team to decide. Harbour never
    deletes them itself."""
    today = timezone.localdate()
    rows = selectors.retention_due(request.school, today)
    unlinked = list(selectors.unlinked_concerns(request.school))
    match = getattr(request, "resolver_match", None)
    audit_record(
        action=ConcernAction.RETENTION_LISTED,
        request=request,
        values={"page": match.view_name if match else "", "pupils": len(rows)},
    )
    return render(
        request,
        "concerns/retention.html",
        {"rows": rows, "unlinked": unlinked, "today": today},
    )
