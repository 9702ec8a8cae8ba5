"""Attendance pages: the marks import's upload, a child's attendance, placement moves, the
concerns the sweep opened (and the notices they propose), and the whole-roll peer figures."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import Capability
from attendance import services
from attendance.audit import AttendanceAction
from attendance.codes import CODES, Category
from attendance.forms import (
    AttendanceSettingsForm,
    CtfUploadForm,
    MarksUploadForm,
    NotSentForm,
    PeerFiguresForm,
    PlacementMoveForm,
)
from attendance.import_kinds import CTF_KIND, IMPORTERS, KIND
from attendance.models import (
    AttendanceConcern,
    AttendanceNotice,
    CtfYearSummary,
    PeerFigures,
    SessionMark,
)
from attendance.selectors import figures_for, group_figures, weekly_percentages
from core.access import for_school, requires
from core.audit import audit_record
from core.charts import Series, line_chart
from core.forms import saved
from imports.models import ImportRun
from imports.services import import_run_start
from pupils.access import pupil_for, record_read
from pupils.selectors import pupils_for_cohort
from schools.models import Term
from schools.schooldays import SchoolCalendar, TermDatesMissing

EDIT = Capability.EDIT_ATTENDANCE_EXCLUSIONS


def _upload(request: HttpRequest, form_class, *, kind: str, file_format: str, template: str):
    """An attendance file's upload: start an import run and go to its check page, or show the
    form with the run this person left waiting (the CSV of marks and the CTF share this)."""
    posted = request.method == "POST"
    form = form_class(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        run = import_run_start(
            school=request.school,
            by=request.user,
            kind=kind,
            name=form.cleaned_data["file"].name,
            data=form.content,
            file_format=file_format,
            today=timezone.localdate(),
        )
        return redirect("imports:run", pk=run.pk)
    waiting = (
        ImportRun.objects.for_school(request.school)
        .filter(kind=kind, created_by=request.user)
        .exclude(state__in=ImportRun.FINISHED)
        .first()
    )
    return render(request, template, {"form": form, "waiting": waiting})


@requires(any_of=IMPORTERS)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """A CSV of session marks (``attendance.imports``)."""
    return _upload(
        request, MarksUploadForm, kind=KIND, file_format="csv", template="attendance/upload.html"
    )


@requires(any_of=IMPORTERS)
@require_http_methods(["GET", "POST"])
def upload_ctf(request: HttpRequest) -> HttpResponse:
    """The attendance in a Common Transfer File (``attendance.ctf_import``)."""
    return _upload(
        request,
        CtfUploadForm,
        kind=CTF_KIND,
        file_format="ctf",
        template="attendance/upload_ctf.html",
    )


def _terms(school):
    return list(
        Term.objects.filter(academic_year__school=school)
        .select_related("academic_year")
        .order_by("first_day")
    )


def _calendar(pupil, first: dt.date, last: dt.date, school_days: set[dt.date]):
    marks = {
        (m.date, m.session): m.code
        for m in SessionMark.objects.filter(pupil=pupil, date__gte=first, date__lte=last).only(
            "date", "session", "code"
        )
    }
    weeks = []
    monday = first - dt.timedelta(days=first.weekday())
    while monday <= last:
        days = []
        for offset in range(5):
            day = monday + dt.timedelta(days=offset)
            cells = []
            for session in ("AM", "PM"):
                code = marks.get((day, session))
                category = CODES[code].category if code else ""
                cells.append(
                    {
                        "session": session,
                        "code": code or "",
                        "category": category,
                        "label": Category(category).label if category else "",
                        "meaning": CODES[code].meaning if code else "",
                    }
                )
            days.append(
                {
                    "date": day,
                    "in_range": first <= day <= last,
                    "school_day": day in school_days,
                    "cells": cells,
                }
            )
        weeks.append({"monday": monday, "days": days})
        monday += dt.timedelta(days=7)
    return weeks


@requires(Capability.VIEW_COHORT)
@require_GET
def pupil(request: HttpRequest, pk: int) -> HttpResponse:
    child = pupil_for(request, pk, read=AttendanceAction.PUPIL_VIEWED)
    today = timezone.localdate()
    terms = _terms(request.school)
    chosen = None
    if request.GET.get("term", "").isdigit():
        chosen = next((t for t in terms if t.pk == int(request.GET["term"])), None)
    if chosen is None:
        chosen = next((t for t in terms if t.first_day <= today <= t.last_day), None) or next(
            (t for t in reversed(terms) if t.first_day <= today), terms[0] if terms else None
        )
    context: dict = {"pupil": child, "terms": terms, "term": chosen, "today": today}
    if chosen is not None:
        last = min(chosen.last_day, today) if chosen.first_day <= today else chosen.last_day
        try:
            calendar = SchoolCalendar.for_school(request.school)
            school_days = set(calendar.school_dates_in(chosen.first_day, chosen.last_day))
        except TermDatesMissing:
            school_days = set()
        year_first = dt.date(chosen.academic_year.start_year, 9, 1)
        weekly = weekly_percentages(child, chosen.first_day, chosen.last_day)
        context.update(
            term_figures=figures_for(child, chosen.first_day, last),
            term_adjusted=figures_for(child, chosen.first_day, last, without_placement_moves=True),
            four_weeks=figures_for(child, today - dt.timedelta(days=27), today),
            year_figures=figures_for(child, year_first, today),
            weeks=_calendar(child, chosen.first_day, chosen.last_day, school_days),
            chart=line_chart(
                title=f"Attendance by week, {chosen}",
                summary=f"Attendance of {child.display_name} week by week in the {chosen}",
                labels=[f"{w:%-d %b}" for w, _ in weekly],
                series=[Series("Attendance %", [float(p) for _, p in weekly])],
                unit="%",
            )
            if weekly
            else None,
        )
    context.update(
        # From CTF files: shown here, used in no figure (attendance.ctf_import).
        ctf_years=CtfYearSummary.objects.filter(school=request.school, pupil=child),
        moves=child.placement_moves.all(),
        concerns=AttendanceConcern.objects.filter(pupil=child).prefetch_related("notices"),
        can_edit=EDIT in request.capabilities,
        categories=[(c.value, c.label) for c in Category],
    )
    return render(request, "attendance/pupil.html", context)


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def placement_move_add(request: HttpRequest, pk: int) -> HttpResponse:
    child = pupil_for(request, pk, read=AttendanceAction.PUPIL_VIEWED)
    form = PlacementMoveForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and saved(
            form,
            lambda: services.placement_move_record(
                pupil=child,
                first_day=form.cleaned_data["first_day"],
                last_day=form.cleaned_data["last_day"],
                by=request.user,
                today=timezone.localdate(),
            ),
        )
    ):
        messages.success(request, "Placement move recorded.")
        return redirect("attendance:pupil", pk=child.pk)
    return render(
        request,
        "attendance/form_page.html",
        {
            "form": form,
            "pupil": child,
            "title": "Record a care placement move",
            "lede": "Absence on these days is shown beside the child's figure and left out of it.",
            "cancel_url": reverse("attendance:pupil", args=[child.pk]),
        },
    )


@requires(Capability.VIEW_COHORT)
@require_GET
def concerns(request: HttpRequest) -> HttpResponse:
    # 1 the open concerns with their pupils, 2 their notices, 3 the school's thresholds.
    open_ = list(
        services.open_concerns(request.school).order_by("-opened_on", "pupil__legal_surname")
    )
    # A list of children: one read for the list (tests/test_every_read_is_audited.py).
    audit_record(
        action=AttendanceAction.CONCERNS_LISTED,
        request=request,
        values={"pupils": len({c.pupil_id for c in open_})},
    )
    return render(
        request,
        "attendance/concerns.html",
        {
            "concerns": open_,
            "settings": services.settings_for(request.school),
            "can_set_thresholds": Capability.EDIT_PUPILS in request.capabilities,
        },
    )


def _concern_for(request, pk: int) -> AttendanceConcern:
    return for_school(request, AttendanceConcern.objects.select_related("pupil", "school"), pk=pk)


@requires(Capability.VIEW_COHORT)
@require_GET
def concern(request: HttpRequest, pk: int) -> HttpResponse:
    found = _concern_for(request, pk)
    record_read(request, action=AttendanceAction.CONCERN_VIEWED, obj=found, pupil_id=found.pupil_id)
    return render(
        request,
        "attendance/concern.html",
        {
            "concern": found,
            "pupil": found.pupil,
            "notices": found.notices.all(),
            "can_edit": EDIT in request.capabilities,
            "not_sent_form": NotSentForm(),
        },
    )


def _notice_for(request, pk: int, notice_pk: int) -> AttendanceNotice:
    found = _concern_for(request, pk)
    return get_object_or_404(AttendanceNotice, concern=found, pk=notice_pk)


@requires(EDIT)
@require_POST
def notice_send(request: HttpRequest, pk: int, notice_pk: int) -> HttpResponse:
    notice = _notice_for(request, pk, notice_pk)
    try:
        services.notice_send(notice=notice, by=request.user, today=timezone.localdate())
        messages.success(request, "Notice sent.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("attendance:concern", pk=pk)


@requires(EDIT)
@require_POST
def notice_not_sent(request: HttpRequest, pk: int, notice_pk: int) -> HttpResponse:
    notice = _notice_for(request, pk, notice_pk)
    form = NotSentForm(request.POST)
    if form.is_valid():
        try:
            services.notice_not_sent(
                notice=notice, reason=form.cleaned_data["reason"], by=request.user
            )
            messages.success(request, "Recorded why the notice was not sent.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, "Choose why the notice is not sent.")
    return redirect("attendance:concern", pk=pk)


@requires(Capability.VIEW_COHORT)
@require_GET
def peers(request: HttpRequest) -> HttpResponse:
    """Each term: the cohort's groups against the whole roll."""
    today = timezone.localdate()
    terms = [t for t in _terms(request.school) if t.first_day <= today][-3:]
    saved_figures = {
        f.term_id: f for f in PeerFigures.objects.filter(school=request.school, term__in=terms)
    }
    cohort = pupils_for_cohort(request.school, today=today)
    rows = []
    for term in terms:
        last = min(term.last_day, today)
        groups = []
        for code, label in (
            ("cic", "Children in care"),
            ("cpic", "Previously in care"),
            ("cwsw", "With a social worker"),
        ):
            groups.append(
                (label, group_figures(cohort.filter(cohort_group=code), term.first_day, last))
            )
        rows.append({"term": term, "groups": groups, "peers": saved_figures.get(term.pk)})
    return render(
        request,
        "attendance/peers.html",
        {"rows": rows, "can_edit": EDIT in request.capabilities},
    )


@requires(EDIT)
@require_http_methods(["GET", "POST"])
def peers_edit(request: HttpRequest, term_pk: int) -> HttpResponse:
    term = for_school(
        request,
        Term.objects.select_related("academic_year"),
        pk=term_pk,
        school_path="academic_year__school",
    )
    existing = PeerFigures.objects.filter(school=request.school, term=term).first()
    initial = {n: getattr(existing, n) for n in PeerFiguresForm.base_fields} if existing else None
    form = PeerFiguresForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and saved(
            form,
            lambda: services.peer_figures_save(
                school=request.school, term=term, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "Whole-school figures saved.")
        return redirect("attendance:peers")
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": f"Whole-school attendance, {term}",
            "lede": (
                "From your MIS: every pupil on roll this term, so each group can be compared "
                "with all pupils."
            ),
            "cancel_url": reverse("attendance:peers"),
        },
    )


@requires(Capability.EDIT_PUPILS)  # the designated teacher and the head
@require_http_methods(["GET", "POST"])
def thresholds(request: HttpRequest) -> HttpResponse:
    """The school's thresholds for the daily sweep."""
    current = services.settings_for(request.school)
    form = AttendanceSettingsForm(
        request.POST or None,
        initial={
            "threshold_percent": current.threshold_percent,
            "unexplained_sessions": current.unexplained_sessions,
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and saved(
            form,
            lambda: services.attendance_settings_update(
                school=request.school, by=request.user, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "Attendance thresholds saved.")
        return redirect("attendance:concerns")
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "Attendance thresholds",
            "lede": (
                "The daily sweep opens an attendance concern for the designated teacher when a "
                "child crosses one of these. Harbour's defaults are 90% and 4 sessions."
            ),
            "cancel_url": reverse("attendance:concerns"),
        },
    )
