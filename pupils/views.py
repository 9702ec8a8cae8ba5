from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Capability
from core.access import requires
from core.audit import audit_record
from core.exports import Column, export_response
from core.forms import saved
from pupils import record_summaries, services
from pupils.access import care_episode_for, contact_for, leaving_task_for, pupil_for
from pupils.audit import PupilAction
from pupils.chronology import chronology_for
from pupils.cohort import CohortGroup, nc_year_for, nc_year_label
from pupils.filters import CohortFilter, as_of_day
from pupils.forms import (
    CareEpisodeForm,
    ContactForm,
    EndDateForm,
    LeavingForm,
    LeavingTaskForm,
    PupilForm,
)
from pupils.models import ContactKind
from pupils.selectors import (
    PUPIL_RECORD_PREFETCH,
    cohort_paginator,
    leaves_cohort_on,
    pupil_record,
)
from pupils.selectors import pupils_for_cohort as cohort_queryset

PAGE_SIZE = 50


def _form_page(request, form, *, title, pupil=None, button="Save", lede="", cancel_url=""):
    if pupil is not None and not cancel_url:
        cancel_url = reverse("pupils:pupil", args=[pupil.pk])
    return render(
        request,
        "pupils/form_page.html",
        {
            "form": form,
            "title": title,
            "button": button,
            "lede": lede,
            "pupil": pupil,
            "cancel_url": cancel_url,
        },
    )


# --- The cohort list -------------------------------------------------------------------------


def _cohort_filter(request) -> CohortFilter:
    today = timezone.localdate()
    as_of = as_of_day(request.GET.get("on"), today)
    return CohortFilter(
        request.GET,
        queryset=cohort_queryset(request.school, today=as_of or today),
        school=request.school,
        today=today,
        as_of=as_of,
    )


@requires(Capability.VIEW_COHORT)
def cohort(request):
    filterset = _cohort_filter(request)
    paginator = cohort_paginator(filterset.qs, PAGE_SIZE, today=filterset.today)
    page = paginator.get_page(request.GET.get("page"))
    for pupil in page:
        pupil.leaves_cohort_on = leaves_cohort_on(pupil)
        pupil.left = pupil.has_left(filterset.today)
    audit_record(
        action=PupilAction.COHORT_VIEWED,
        request=request,
        values=filterset.audit_values() | {"page": page.number, "pupils": len(page)},
    )
    return render(
        request,
        "pupils/cohort.html",
        {
            "filter": filterset,
            "page": page,
            "today": filterset.today,
            "can_edit": Capability.EDIT_PUPILS in request.capabilities,
        },
    )


# The cohort download's columns, in CSV and XLSX alike (core.exports defuses formulas).
COHORT_COLUMNS = [
    Column("UPN", lambda p: p.upn, key=True),
    Column("Legal first name", lambda p: p.legal_forename, key=True),
    Column("Legal last name", lambda p: p.legal_surname, key=True),
    Column("Preferred first name", lambda p: p.preferred_forename),
    Column("Preferred last name", lambda p: p.preferred_surname),
    Column("Date of birth", lambda p: p.date_of_birth),
    Column("Year group", lambda p: nc_year_label(p.nc_year)),
    Column("Group", lambda p: CohortGroup(p.cohort_group).label),
    Column("Kinship care", lambda p: "Yes" if p.kinship_care else "No"),
    Column("Leaves the cohort on", leaves_cohort_on),
    Column("Responsible authority", lambda p: p.authority_name),
    Column("Key adult", lambda p: p.key_adult_name),
    Column("SEN", lambda p: p.get_sen_status_display()),
    Column("Free school meals", lambda p: "Yes" if p.free_school_meals else "No"),
    Column("Admission date", lambda p: p.admission_date),
    Column("Last day on roll", lambda p: p.leaving_date),
]


@requires(Capability.VIEW_COHORT)
def cohort_csv(request):
    return _cohort_export(request, "csv")


@requires(Capability.VIEW_COHORT)
def cohort_xlsx(request):
    return _cohort_export(request, "xlsx")


def _cohort_export(request, file_format: str):
    filterset = _cohort_filter(request)
    response, count = export_response(
        request,
        COHORT_COLUMNS,
        filterset.qs.iterator(),
        filename=f"cohort-{filterset.today:%Y-%m-%d}",
        file_format=file_format,
    )
    audit_record(
        action=PupilAction.COHORT_EXPORTED,
        request=request,
        values=filterset.audit_values() | {"pupils": count, "format": file_format},
    )
    return response


# --- The child's page ------------------------------------------------------------------------


@requires(Capability.VIEW_COHORT)
def pupil(request, pk: int):
    child = pupil_for(request, pk)
    prefetch_related_objects([child], *PUPIL_RECORD_PREFETCH)
    record = pupil_record(child, today=timezone.localdate())
    chronology = chronology_for(child, request)
    # Rows other apps add (the term's attendance): pupils.record_summaries.
    summaries = record_summaries.rows_for(
        child, capabilities=request.capabilities, today=timezone.localdate()
    )
    return render(
        request,
        "pupils/pupil.html",
        {
            "pupil": child,
            "record": record,
            "chronology": chronology,
            "summaries": summaries,
            "nc_year": nc_year_label(record.nc_year),
            "contact_kinds": ContactKind,
            "can_edit": Capability.EDIT_PUPILS in request.capabilities,
        },
    )


# --- Changes ---------------------------------------------------------------------------------


@requires(Capability.EDIT_PUPILS)
def pupil_add(request):
    form = PupilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = {}

        def write():
            created["pupil"] = services.pupil_create(
                school=request.school,
                by=request.user,
                today=timezone.localdate(),
                request=request,
                **form.cleaned_data,
            )

        if saved(form, write):
            messages.success(request, f"{created['pupil'].display_name} added")
            return redirect("pupils:pupil", pk=created["pupil"].pk)
    return _form_page(
        request,
        form,
        title="Add a pupil",
        button="Add pupil",
        cancel_url=reverse("pupils:cohort"),
    )


@requires(Capability.EDIT_PUPILS)
def pupil_edit(request, pk: int):
    child = pupil_for(request, pk)
    today = timezone.localdate()
    initial = PupilForm.initial_for(
        child, nc_year_for(child.date_of_birth, child.nc_year_offset, today)
    )
    form = PupilForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():

        def write():
            services.pupil_update(
                pupil=child, by=request.user, today=today, request=request, **form.cleaned_data
            )

        if saved(form, write):
            messages.success(request, "Pupil details saved")
            return redirect("pupils:pupil", pk=child.pk)
    return _form_page(request, form, title=f"Edit {child.display_name}'s details", pupil=child)


@requires(Capability.EDIT_PUPILS)
def episode_add(request, pk: int):
    child = pupil_for(request, pk)
    form = CareEpisodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def write():
            services.care_episode_add(
                pupil=child, by=request.user, request=request, **form.cleaned_data
            )

        if saved(form, write):
            messages.success(request, "Status added")
            return redirect(reverse("pupils:pupil", args=[child.pk]) + "#status")
    return _form_page(
        request, form, title=f"Add to {child.display_name}'s status history", pupil=child
    )


@requires(Capability.EDIT_PUPILS)
def episode_edit(request, pk: int, episode_pk: int):
    child = pupil_for(request, pk)
    episode = care_episode_for(request, child, episode_pk)
    initial = {name: getattr(episode, name) for name in services.EPISODE_FIELDS}
    form = CareEpisodeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():

        def write():
            services.care_episode_update(
                episode=episode, by=request.user, request=request, **form.cleaned_data
            )

        if saved(form, write):
            messages.success(request, "Status corrected")
            return redirect(reverse("pupils:pupil", args=[child.pk]) + "#status")
    return _form_page(request, form, title=f"Correct {episode}", pupil=child)


@requires(Capability.EDIT_PUPILS)
def episode_end(request, pk: int, episode_pk: int):
    child = pupil_for(request, pk)
    episode = care_episode_for(request, child, episode_pk)
    form = EndDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def write():
            services.care_episode_end(
                episode=episode,
                by=request.user,
                end_date=form.cleaned_data["end_date"],
                request=request,
            )

        if saved(form, write):
            messages.success(request, f"{episode.get_kind_display()} ended")
            return redirect(reverse("pupils:pupil", args=[child.pk]) + "#status")
    return _form_page(request, form, title=f"End: {episode}", pupil=child, button="Save end date")


@requires(Capability.EDIT_PUPILS)
def contact_add(request, pk: int, kind: str):
    child = pupil_for(request, pk)
    if kind not in ContactKind.values:
        raise Http404("No such kind of contact")
    form = ContactForm(request.POST or None, kind=kind, school=request.school)
    if request.method == "POST" and form.is_valid():

        def write():
            services.contact_add(
                pupil=child, by=request.user, kind=kind, request=request, **form.cleaned_data
            )

        if saved(form, write):
            messages.success(request, f"{ContactKind(kind).label} added")
            return redirect(reverse("pupils:pupil", args=[child.pk]) + "#contacts")
    label = ContactKind(kind).label
    return _form_page(
        request, form, title=f"Add {label[0].lower() + label[1:]}", pupil=child, button="Add"
    )


@requires(Capability.EDIT_PUPILS)
def contact_edit(request, pk: int, contact_pk: int):
    child = pupil_for(request, pk)
    contact = contact_for(request, child, contact_pk)
    form = ContactForm(
        request.POST or None,
        kind=contact.kind,
        school=request.school,
        initial={name: getattr(contact, name) for name in services.CONTACT_FIELDS},
    )
    if request.method == "POST" and form.is_valid():

        def write():
            services.contact_update(
                contact=contact, by=request.user, request=request, **form.cleaned_data
            )

        if saved(form, write):
            messages.success(request, "Contact saved")
            return redirect(reverse("pupils:pupil", args=[child.pk]) + "#contacts")
    return _form_page(request, form, title=f"Edit {contact}", pupil=child)


@requires(Capability.EDIT_PUPILS)
def contact_end(request, pk: int, contact_pk: int):
    child = pupil_for(request, pk)
    contact = contact_for(request, child, contact_pk)
    form = EndDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def write():
            services.contact_end(
                contact=contact,
                by=request.user,
                end_date=form.cleaned_data["end_date"],
                request=request,
            )

        if saved(form, write):
            messages.success(request, f"{contact.person_name} is no longer involved")
            return redirect(reverse("pupils:pupil", args=[child.pk]) + "#contacts")
    return _form_page(
        request,
        form,
        title=f"{contact.person_name} is no longer involved",
        pupil=child,
        lede="Their details stay on the child's record, marked as past.",
    )


@requires(Capability.EDIT_PUPILS)
def pupil_leave(request, pk: int):
    child = pupil_for(request, pk)
    form = LeavingForm(
        request.POST or None,
        initial={
            "leaving_date": child.leaving_date,
            "destination": child.destination,
            "destination_school_name": child.destination_school_name,
            "destination_school_urn": child.destination_school_urn,
        },
    )
    if request.method == "POST" and form.is_valid():

        def write():
            services.pupil_leave(pupil=child, by=request.user, request=request, **form.cleaned_data)

        if saved(form, write):
            messages.success(request, f"Leaving recorded for {child.display_name}")
            return redirect(reverse("pupils:pupil", args=[child.pk]) + "#leaving")
    return _form_page(
        request,
        form,
        title=f"{child.display_name} is leaving",
        pupil=child,
        button="Record leaving",
        lede="For a child in the cohort this starts the transition checklist, including the "
        "DSL's transfer of the child protection file.",
    )


@requires(Capability.VIEW_COHORT, any_of=(Capability.EDIT_PUPILS, Capability.ACT_ON_CONCERNS))
def leaving_task_complete(request, pk: int, task_pk: int):
    child = pupil_for(request, pk)
    task = leaving_task_for(request, child, task_pk)
    if task.capability not in request.capabilities:
        raise PermissionDenied("Only the DSL team can record the child protection file transfer.")
    form = LeavingTaskForm(
        request.POST or None, task=task, initial={"completed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():

        def write():
            services.leaving_task_complete(
                task=task,
                by=request.user,
                today=timezone.localdate(),
                request=request,
                **form.cleaned_data,
            )

        if saved(form, write):
            messages.success(request, f"Recorded: {task.get_item_display()}")
            return redirect(reverse("pupils:pupil", args=[child.pk]) + "#leaving")
    return _form_page(
        request, form, title=task.get_item_display(), pupil=child, button="Record as done"
    )
