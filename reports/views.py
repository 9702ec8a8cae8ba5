"""The head's dashboard and its exports, the governors' and termly reports, the training record,
the peer attainment figures and the report settings. Views look up, bind a form, call one
service and render; the figures come from the registered sections."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Capability
from core.access import for_school, requires
from core.audit import audit_record
from core.exports import Column, export_response
from core.forms import saved
from core.models import ReportRun
from core.report_runs import report_run_content
from core.report_sections import (
    Figure,
    SectionFigures,
    dashboard_sections,
    deadlines,
    report_sections,
)
from peps.selectors import pep_settings_for
from pupils.access import pupil_for
from pupils.cohort import CohortGroup
from pupils.models import Pupil
from pupils.selectors import with_cohort
from reports import services
from reports.audit import ReportAction
from reports.forms import (
    NarrativeForm,
    PeerAttainmentForm,
    PeerAttainmentUploadForm,
    ReportRequestForm,
    ReportSettingsForm,
    TermlyAttainmentForm,
    TrainingForm,
)
from reports.models import GovernorsReport, PeerAttainment, TermlyAttainment, TrainingRecord
from reports.periods import chosen_period, period_key, periods_for, year_period
from reports.sections import settings_for, training_figures, training_table
from schools.models import Term
from schools.schooldays import SchoolCalendar, academic_year_of

# --- The dashboard ---------------------------------------------------------------------------


def _dashboard(request):
    today = timezone.localdate()
    calendar = SchoolCalendar.for_school(request.school)
    period = chosen_period(calendar, request.GET.get("period", ""), today=today)
    shown: list[SectionFigures] = []
    if period is not None:
        for section in dashboard_sections(request.capabilities):
            shown.append(
                section.dashboard(
                    request.school, period, capabilities=request.capabilities, today=today
                )
            )
    return today, calendar, period, shown


@requires(Capability.VIEW_DASHBOARD)
def dashboard(request):
    today, calendar, period, shown = _dashboard(request)
    audit_record(
        action=ReportAction.DASHBOARD_VIEWED,
        request=request,
        values={"term": period.label if period else ""},
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "period": period,
            "period_key": period_key(period) if period else "",
            "periods": periods_for(calendar),
            "sections": shown,
            "deadlines": deadlines(request.school, today, request.capabilities),
            "today": today,
        },
    )


def _cell(value):
    return value.value if isinstance(value, Figure) else value


@requires(Capability.VIEW_DASHBOARD)
def dashboard_export(request, table: str, file_format: str):
    if file_format not in ("csv", "xlsx"):
        raise Http404
    today, calendar, period, shown = _dashboard(request)
    found = next((t for s in shown for t in s.tables if t.key == table), None)
    if found is None or period is None:
        raise Http404
    columns = [
        Column(header, (lambda row, i=i: _cell(row[i]))) for i, header in enumerate(found.headers)
    ]
    response, count = export_response(
        request,
        columns,
        found.rows,
        filename=f"dashboard-{table}-{period.label}",
        file_format=file_format,
    )
    audit_record(
        action=ReportAction.DASHBOARD_EXPORTED,
        request=request,
        values={"term": period.label, "format": file_format, "rows": count},
    )
    return response


# --- Reports: asking, narratives, publishing -------------------------------------------------


def _period_choices(calendar):
    return [(key, period.label) for key, period in periods_for(calendar)]


@requires(Capability.VIEW_DASHBOARD)
def reports(request):
    today = timezone.localdate()
    calendar = SchoolCalendar.for_school(request.school)
    form = None
    if Capability.EDIT_PUPILS in request.capabilities:
        form = ReportRequestForm(request.POST or None, choices=_period_choices(calendar))
        if request.method == "POST" and form.is_valid():
            period = dict(periods_for(calendar))[form.cleaned_data["period"]]
            term = (
                for_school(request, Term.objects.select_related("academic_year"), pk=period.term_id)
                if period.term_id
                else None
            )
            report = None

            def write():
                nonlocal report
                report = services.governors_report_request(
                    school=request.school,
                    kind=GovernorsReport.Kind.TERMLY if term else GovernorsReport.Kind.ANNUAL,
                    academic_year=period.academic_year,
                    term=term,
                    by=request.user,
                    today=today,
                    request=request,
                )

            if saved(form, write):
                return redirect("reports:report", pk=report.pk)
    elif request.method == "POST":
        raise Http404
    listed = GovernorsReport.objects.filter(school=request.school).select_related(
        "run", "term__academic_year", "requested_by", "published_by"
    )
    return render(request, "reports/reports.html", {"reports": listed, "form": form})


# Reports's records are reached with the school's own filter: another school's is a 404.
def _report(request, pk):
    return for_school(
        request, GovernorsReport.objects.select_related("run", "term__academic_year"), pk=pk
    )


@requires(Capability.VIEW_DASHBOARD)
def report(request, pk: int):
    governors_report = _report(request, pk)
    sections = [(s, governors_report.narratives.get(s.key, "")) for s in report_sections()]
    return render(
        request,
        "reports/report.html",
        {
            "report": governors_report,
            "sections": sections,
            "period": year_period(governors_report.academic_year),
            "can_edit": Capability.EDIT_PUPILS in request.capabilities,
        },
    )


@requires(Capability.EDIT_PUPILS)
def narrative_edit(request, pk: int, section: str):
    governors_report = _report(request, pk)
    entry = next((s for s in report_sections() if s.key == section), None)
    if entry is None:
        raise Http404
    form = NarrativeForm(
        request.POST or None, initial={"text": governors_report.narratives.get(section, "")}
    )
    if request.method == "POST" and form.is_valid():

        def write():
            services.governors_report_narrative_set(
                report=governors_report,
                section=section,
                text=form.cleaned_data["text"],
                by=request.user,
                today=timezone.localdate(),
                request=request,
            )

        if saved(form, write):
            messages.success(request, "Narrative saved. The PDF is being made again.")
            return redirect("reports:report", pk=governors_report.pk)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": f"Narrative: {entry.title}",
            "caption": str(governors_report),
            "lede": "Governors read this. Never write a child's name or anything that could "
            "identify a child (a year group with one child in care, a placement, an event): "
            "Harbour refuses a narrative with a pupil's name in it.",
            "cancel_url": reverse("reports:report", args=[governors_report.pk]),
        },
    )


@requires(Capability.EDIT_PUPILS)
def publish(request, pk: int):
    governors_report = _report(request, pk)
    if request.method != "POST":
        return redirect("reports:report", pk=governors_report.pk)
    try:
        services.governors_report_publish(report=governors_report, by=request.user, request=request)
        messages.success(request, "Published: governors can now download the report.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("reports:report", pk=governors_report.pk)


# --- Governors -------------------------------------------------------------------------------


@requires(Capability.VIEW_GOVERNORS_REPORT)
def governors(request):
    published = GovernorsReport.objects.filter(
        school=request.school, published_at__isnull=False
    ).select_related("run", "published_by")
    return render(request, "reports/governors.html", {"reports": published})


@requires(Capability.VIEW_GOVERNORS_REPORT)
def governors_download(request, pk: int):
    """A published report's PDF: the only way a governor reaches a report. Audited."""
    governors_report = for_school(
        request,
        GovernorsReport.objects.filter(published_at__isnull=False).select_related("run"),
        pk=pk,
    )
    run = governors_report.run
    if run is None or run.state != ReportRun.State.READY:
        raise Http404
    content = report_run_content(run)
    audit_record(
        action=ReportAction.DOWNLOADED,
        request=request,
        obj=governors_report,
        values={"kind": governors_report.kind, "academic_year": governors_report.academic_year},
    )
    response = HttpResponse(content, content_type=run.content_type)
    response["Content-Disposition"] = f'attachment; filename="{run.filename}"'
    return response


# --- Training, peer attainment, settings -----------------------------------------------------


def _school_terms(request) -> list[Term]:
    return list(
        Term.objects.filter(academic_year__school=request.school)
        .select_related("academic_year")
        .order_by("-first_day")
    )


@requires(Capability.VIEW_DASHBOARD)
def training(request):
    today = timezone.localdate()
    year_param = request.GET.get("year", "")
    year = (
        int(year_param)
        if year_param.isascii() and year_param.isdigit() and len(year_param) == 4
        else academic_year_of(today)
    )
    period = year_period(year)
    records = TrainingRecord.objects.filter(
        school=request.school, date__gte=period.first_day, date__lte=period.last_day
    ).prefetch_related("attendees")
    table = training_table(training_figures(request.school, period), period)
    return render(
        request,
        "reports/training.html",
        {
            "records": records,
            "period": period,
            "table": table,
            "previous": year - 1,
            "next": year + 1,
            "can_edit": Capability.EDIT_PUPILS in request.capabilities,
        },
    )


@requires(Capability.EDIT_PUPILS)
def training_add(request):
    form = TrainingForm(request.POST or None, school=request.school)
    if request.method == "POST" and form.is_valid():

        def write():
            data = dict(form.cleaned_data)
            attendees = list(data.pop("attendees"))
            services.training_record(
                school=request.school, by=request.user, attendees=attendees, request=request, **data
            )

        if saved(form, write):
            messages.success(request, "Training recorded.")
            return redirect("reports:training")
    return render(
        request,
        "includes/form_page.html",
        {"form": form, "title": "Record training", "cancel_url": reverse("reports:training")},
    )


@requires(Capability.EDIT_PUPILS)
def peer_attainment(request):
    terms = _school_terms(request)
    scale = pep_settings_for(request.school).attainment_scale
    form = PeerAttainmentForm(request.POST or None, terms=terms, scale=scale)
    if request.method == "POST" and form.is_valid():
        term = next(t for t in terms if str(t.pk) == form.cleaned_data["term"])

        def write():
            services.peer_attainment_record(
                school=request.school,
                term=term,
                subject=form.cleaned_data["subject"],
                point=form.cleaned_data["point"],
                percent=form.cleaned_data["percent"],
                by=request.user,
                request=request,
            )

        if saved(form, write):
            messages.success(request, "Saved.")
            return redirect("reports:peer_attainment")
    rows = (
        PeerAttainment.objects.filter(school=request.school)
        .select_related("term__academic_year")
        .order_by("-term__first_day", "subject", "point")
    )
    return render(request, "reports/peer_attainment.html", {"form": form, "rows": rows})


@requires(Capability.EDIT_PUPILS)
def report_settings(request):
    current = settings_for(request.school)
    form = ReportSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        changed = list(form.changed_data)
        form.save()
        audit_record(
            action=ReportAction.SETTINGS_CHANGED,
            request=request,
            obj=form.instance,
            fields=changed,
            values={name: form.cleaned_data[name] for name in changed},
        )
        messages.success(request, "Report settings saved.")
        return redirect("reports:reports")
    return render(
        request,
        "includes/form_page.html",
        {"form": form, "title": "Report settings", "cancel_url": reverse("reports:reports")},
    )


@requires(Capability.EDIT_PUPILS)
def peer_attainment_upload(request):
    """The whole school's figures for a term from a CSV: every row checked, all saved or none,
    each problem listed with its row."""
    terms = _school_terms(request)
    form = PeerAttainmentUploadForm(request.POST or None, request.FILES or None, terms=terms)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        term = next(t for t in terms if str(t.pk) == form.cleaned_data["term"])
        try:
            saved_rows = services.peer_attainment_import(
                school=request.school,
                term=term,
                content=form.cleaned_data["file"].read(),
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            problems = error.messages
            form.add_error("file", "The file has problems: nothing was saved. See the list below.")
        else:
            messages.success(request, f"Saved {saved_rows} figure{'s' if saved_rows != 1 else ''}.")
            return redirect("reports:peer_attainment")
    return render(
        request, "reports/peer_attainment_upload.html", {"form": form, "problems": problems}
    )


# --- Termly attainment of children previously in care or with a social worker ----------------

TERMLY_GROUPS = [CohortGroup.CPIC.value, CohortGroup.CWSW.value]


def _chosen_term(request, terms: list[Term], today) -> Term | None:
    wanted = request.POST.get("term") or request.GET.get("term", "")
    chosen = next((t for t in terms if str(t.pk) == wanted), None)
    if chosen is None:  # the latest term that has started
        chosen = next((t for t in terms if t.first_day <= today), terms[-1] if terms else None)
    return chosen


@requires(Capability.EDIT_PUPILS)
def termly_attainment(request):
    """The children previously in care or with a social worker on roll in a term, with how many
    subjects each has recorded: the way in to enter their termly attainment."""
    today = timezone.localdate()
    terms = _school_terms(request)
    term = _chosen_term(request, terms, today)
    children = []
    if term is not None:
        day = min(term.last_day, max(today, term.first_day))
        recorded = dict(
            TermlyAttainment.objects.filter(pupil__school=request.school, term=term)
            .values("pupil_id")
            .annotate(n=Count("pk"))
            .values_list("pupil_id", "n")
        )
        children = list(
            with_cohort(Pupil.objects.filter(school=request.school).on_roll_on(day), today=day)
            .filter(cohort_group__in=TERMLY_GROUPS)
            .order_by("legal_surname", "legal_forename", "pk")
        )
        for child in children:
            child.subjects_recorded = recorded.get(child.pk, 0)
    if children:  # one read event for each child listed
        audit_record(
            action=ReportAction.TERMLY_ATTAINMENT_LISTED,
            request=request,
            pupil_ids=[c.pk for c in children],
            values={"term": term.pk},
        )
    return render(
        request,
        "reports/termly_attainment.html",
        {"terms": terms, "term": term, "children": children},
    )


@requires(Capability.EDIT_PUPILS)
def termly_attainment_pupil(request, pk: int):
    pupil = pupil_for(request, pk)
    terms = _school_terms(request)
    term = _chosen_term(request, terms, timezone.localdate())
    if term is None:
        raise Http404
    scale = pep_settings_for(request.school).attainment_scale
    form = TermlyAttainmentForm(request.POST or None, scale=scale)
    if request.method == "POST" and form.is_valid():

        def write():
            services.termly_attainment_record(
                pupil=pupil,
                term=term,
                subject=form.cleaned_data["subject"],
                current=form.cleaned_data["current"],
                by=request.user,
                request=request,
            )

        if saved(form, write):
            messages.success(request, "Saved.")
            url = reverse("reports:termly_attainment_pupil", args=[pupil.pk])
            return redirect(f"{url}?term={term.pk}")
    records = TermlyAttainment.objects.filter(pupil=pupil, term=term).order_by("subject")
    return render(
        request,
        "reports/termly_attainment_pupil.html",
        {"pupil": pupil, "term": term, "form": form, "records": records},
    )
