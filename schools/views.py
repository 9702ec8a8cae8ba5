from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.access import for_school, requires
from accounts.roles import Capability
from schools import selectors, services
from schools.forms import AcademicYearForm, ClosureForm, TermForm, VirtualSchoolForm
from schools.models import AcademicYear, Closure, Term, VirtualSchool
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
# The directory is national, keyed by local authority code, and shared by every school: it has
# no school field, so lookups are by primary key alone. Changes are audited.
@requires(any_of=(Capability.VIEW_COHORT, Capability.MANAGE_SCHOOL))
def virtual_schools(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "schools/virtual_schools.html",
        {"virtual_schools": VirtualSchool.objects.order_by("local_authority_name")},
    )


@requires(Capability.MANAGE_SCHOOL)
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
            "lede": "The Virtual School of a local authority that looks after a child here.",
            "form": form,
            "button": "Add Virtual School",
            "cancel_url": reverse("schools:virtual_schools"),
        },
    )


@requires(Capability.MANAGE_SCHOOL)
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
            "lede": "Every school in Harbour that works with this Virtual School sees the change.",
            "form": form,
            "button": "Save changes",
            "cancel_url": reverse("schools:virtual_schools"),
        },
    )
