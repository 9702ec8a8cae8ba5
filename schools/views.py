from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.roles import Capability
from core.access import back_to, for_school, requires
from schools import selectors, services
from schools.forms import (
    AcademicYearForm,
    ClosureForm,
    TermForm,
    VirtualSchoolContactForm,
    VirtualSchoolForm,
)
from schools.models import AcademicYear, Closure, Term, VirtualSchool, VirtualSchoolContact
from schools.schooldays import MINIMUM_SCHOOL_DAYS, academic_year_label, academic_year_of

FORM_PAGE = "includes/form_page.html"


# --- Term dates ------------------------------------------------------------------------------
@requires(Capability.MANAGE_SCHOOL)
def terms(request: HttpRequest) -> HttpResponse:
    overview = selectors.term_dates_overview(request.school)
    return render(
        request,
        "schools/terms.html",
        {"overview": overview, "minimum_school_days": MINIMUM_SCHOOL_DAYS},
    )


@requires(Capability.MANAGE_SCHOOL)
@require_http_methods(["GET", "POST"])
def academic_year_add(request: HttpRequest) -> HttpResponse:
    entered = AcademicYear.objects.filter(school=request.school).values_list(
        "start_year", flat=True
    )
    # The year after the newest one entered, or this school year when there is none.
    suggested = max(entered, default=None)
    suggested = suggested + 1 if suggested else academic_year_of(timezone.localdate())
    form = AcademicYearForm(request.POST or None, initial={"start_year": suggested})
    if request.method == "POST" and form.is_valid():
        try:
            year = services.academic_year_create(
                school=request.school,
                start_year=form.cleaned_data["start_year"],
                terms=form.terms(),
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Term dates for {year} added")
            return redirect("schools:terms")
    return render(
        request,
        FORM_PAGE,
        {
            "title": "Add a school year's term dates",
            "lede": (
                "Enter the first and last day pupils are in school each term, and the "
                "weekdays of each half-term break. Add INSET days in term time afterwards, "
                "as closures: England's bank holidays are left out automatically."
            ),
            "form": form,
            "button": "Add term dates",
            "cancel_url": reverse("schools:terms"),
        },
    )


@requires(Capability.MANAGE_SCHOOL)
@require_http_methods(["GET", "POST"])
def term_edit(request: HttpRequest, pk: int) -> HttpResponse:
    term = for_school(
        request,
        Term.objects.select_related("academic_year__school"),
        pk=pk,
        school_path="academic_year__school",
    )
    label = f"{term.get_name_display().lower()} term"
    form = TermForm(
        request.POST or None,
        term_label=label,
        initial={field: getattr(term, field) for field in services.TERM_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.term_update(term=term, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{term} updated")
            return redirect("schools:terms")
    return render(
        request,
        FORM_PAGE,
        {
            "title": f"Change the {label} {academic_year_label(term.academic_year.start_year)}",
            "form": form,
            "button": "Save changes",
            "cancel_url": reverse("schools:terms"),
        },
    )


@requires(Capability.MANAGE_SCHOOL)
@require_http_methods(["GET", "POST"])
def closure_add(request: HttpRequest) -> HttpResponse:
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closure = services.closure_add(
                school=request.school, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Closure added: {closure.reason}")
            return redirect("schools:terms")
    return render(
        request,
        FORM_PAGE,
        {
            "title": "Add a closure",
            "lede": (
                "Days in term time when the school is closed to pupils: INSET days and "
                "unplanned closures such as snow days (England's bank holidays are left out "
                "automatically). "
                "They do not count as school days."
            ),
            "form": form,
            "button": "Add closure",
            "cancel_url": reverse("schools:terms"),
        },
    )


@requires(Capability.MANAGE_SCHOOL)
@require_http_methods(["GET", "POST"])
def closure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    closure = for_school(request, Closure.objects.select_related("school"), pk=pk)
    if request.method == "POST":
        services.closure_remove(closure=closure, request=request)
        messages.success(request, f"Closure removed: {closure.reason}")
        return redirect("schools:terms")
    return render(request, "schools/closure_delete.html", {"closure": closure})


# --- Virtual Schools -------------------------------------------------------------------------
# The directory is national, keyed by local authority code, and shared by every school: only
# the host's superusers change it (these host pages or Django admin). A school keeps its own
# contact per authority and confirms the address its children's PEPs go to.
def host_only(view):
    """Let through only the host's superusers: the Virtual School directory is shared by every
    school, so no school's role may change it."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_superuser:
            raise PermissionDenied(
                "Only Harbour's host changes the shared Virtual School directory. Record your "
                "school's own contact instead."
            )
        return view(request, *args, **kwargs)

    return wrapped


def _authority(la_code: str) -> VirtualSchool:
    return get_object_or_404(VirtualSchool, la_code=la_code)


@requires(any_of=(Capability.VIEW_COHORT, Capability.MANAGE_SCHOOL))
def virtual_schools(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "schools/virtual_schools.html",
        {
            "rows": selectors.virtual_school_directory(request.school),
            "can_confirm": Capability.EDIT_PUPILS in request.capabilities,
            "can_change_contact": bool(
                {Capability.EDIT_PUPILS, Capability.MANAGE_SCHOOL} & request.capabilities
            ),
            "is_host": request.user.is_superuser,
        },
    )


@requires(any_of=(Capability.EDIT_PUPILS, Capability.MANAGE_SCHOOL))
@require_http_methods(["GET", "POST"])
def virtual_school_contact_edit(request: HttpRequest, la_code: str) -> HttpResponse:
    virtual_school = _authority(la_code)
    contact = VirtualSchoolContact.objects.filter(
        school=request.school, virtual_school=virtual_school
    ).first()
    initial = {name: getattr(contact, name) for name in services.CONTACT_FIELDS} if contact else {}
    form = VirtualSchoolContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.virtual_school_contact_save(
                school=request.school,
                virtual_school=virtual_school,
                by=request.user,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if contact.is_confirmed:
                messages.success(request, f"Your contact at {virtual_school} saved")
            else:
                messages.success(
                    request,
                    f"Your contact at {virtual_school} saved. Harbour will not send a child's "
                    f"PEP to {contact.address} until the designated teacher or the head "
                    "confirms it.",
                )
            return back_to(request, "schools:virtual_schools")
    return render(
        request,
        FORM_PAGE,
        {
            "title": f"Your school's contact at {virtual_school}",
            "lede": (
                f"This changes where your school's PEPs for {virtual_school.local_authority_name}"
                "'s children go, and no other school's. Leave the email address blank to use "
                f"the address in Harbour's directory ({virtual_school.email}). A new address "
                "is confirmed before Harbour sends a child's PEP to it."
            ),
            "form": form,
            "button": "Save contact",
            "cancel_url": reverse("schools:virtual_schools"),
        },
    )


@requires(Capability.EDIT_PUPILS)
@require_http_methods(["GET", "POST"])
def virtual_school_address_confirm(request: HttpRequest, la_code: str) -> HttpResponse:
    """The designated teacher or the head confirms the exact address shown to them."""
    virtual_school = _authority(la_code)
    address = selectors.virtual_school_address(request.school, virtual_school)
    error = None
    if request.method == "POST":
        try:
            services.virtual_school_address_confirm(
                school=request.school,
                virtual_school=virtual_school,
                email=request.POST.get("email", ""),
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
            address = selectors.virtual_school_address(request.school, virtual_school)
        else:
            messages.success(
                request,
                f"{address.email} confirmed for {virtual_school}. A PEP completed before now "
                "that was held is sent from its own page.",
            )
            return back_to(request, "schools:virtual_schools")
    return render(
        request,
        "schools/virtual_school_confirm.html",
        {"address": address, "error": error},
    )


@host_only
@require_http_methods(["GET", "POST"])
def virtual_school_add(request: HttpRequest) -> HttpResponse:
    form = VirtualSchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            virtual_school = services.virtual_school_create(request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{virtual_school} added")
            return redirect("schools:virtual_schools")
    return render(
        request,
        FORM_PAGE,
        {
            "title": "Add a Virtual School",
            "lede": "A local authority's Virtual School, in the directory every school shares.",
            "form": form,
            "button": "Add Virtual School",
            "cancel_url": reverse("schools:virtual_schools"),
        },
    )


@host_only
@require_http_methods(["GET", "POST"])
def virtual_school_edit(request: HttpRequest, pk: int) -> HttpResponse:
    virtual_school = get_object_or_404(VirtualSchool, pk=pk)
    title = f"Change {virtual_school}"  # before the form's values are applied to it
    form = VirtualSchoolForm(
        request.POST or None, initial=VirtualSchoolForm.initial_for(virtual_school)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.virtual_school_update(
                virtual_school=virtual_school, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{virtual_school} updated")
            return redirect("schools:virtual_schools")
    return render(
        request,
        FORM_PAGE,
        {
            "title": title,
            "lede": (
                "Every school in Harbour that uses this Virtual School sees the change. A new "
                "email address has to be confirmed again by each school that uses it before "
                "any PEP is sent to it."
            ),
            "form": form,
            "button": "Save changes",
            "cancel_url": reverse("schools:virtual_schools"),
        },
    )
