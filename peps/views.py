"""PEP pages. Each view: the access helper, a form, one service, a redirect or a render.

Reading a PEP needs ``VIEW_COHORT``; changing one needs ``EDIT_PUPILS``. A PEP of another
school is a 404 (``peps.access.pep_for``); a completed PEP is shown read-only and its edit pages
send the teacher back to it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import Capability
from core.access import requires
from core.audit import audit_record
from core.forms import saved
from peps import selectors, services
from peps.access import attainment_for, attendee_for, pep_for, target_for
from peps.audit import PepAction
from peps.due import PepState
from peps.forms import (
    AttainmentForm,
    AttendeeForm,
    CorrectionForm,
    MeetingForm,
    PepSettingsForm,
    ReviewForm,
    SdqForm,
    StartForm,
    TargetForm,
)
from peps.models import PersonalEducationPlan
from pupils import pep_hooks as hooks
from pupils.access import pupil_for
from pupils.cohort import IN_CARE
from schools.models import Term
from schools.schooldays import SchoolCalendar, TermDatesMissing

Status = PersonalEducationPlan.Status


def _form_page(request, form, *, title, pep=None, pupil=None, button="Save", lede="", back=""):
    """A one-form page, captioned with the child (and the PEP's term) it is about."""
    if not back:
        back = (
            reverse("peps:pep", args=[pep.pk])
            if pep
            else reverse("peps:pupil_peps", args=[pupil.pk])
        )
    pupil = pupil or (pep.pupil if pep else None)
    caption = pupil.display_name if pupil else ""
    if pep:
        caption += f", {pep.term}"
    return render(
        request,
        "peps/form_page.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "button": button,
            "lede": lede,
            "pep": pep,
            "pupil": pupil,
            "cancel_url": back,
        },
    )


def _locked_redirect(request, pep):
    messages.info(
        request,
        "This PEP is completed and locked. To change it, make a correction.",
    )
    return redirect("peps:pep", pk=pep.pk)


def _to_pep(pep, anchor: str = ""):
    return redirect(reverse("peps:pep", args=[pep.pk]) + (f"#{anchor}" if anchor else ""))


def _in_care_today(pupil, today) -> bool:
    return pupil.care_episodes.filter(kind=IN_CARE).in_force_on(today).exists()


# --- A child's PEPs --------------------------------------------------------------------------


@requires(Capability.VIEW_COHORT)
def pupil_peps(request, pupil_id: int):
    pupil = pupil_for(request, pupil_id, read=PepAction.PUPIL_PEPS_VIEWED)
    today = timezone.localdate()
    calendar = SchoolCalendar.for_school(request.school)
    try:
        statuses = selectors.pep_statuses_for_pupil(pupil, today=today, calendar=calendar)
        startable = selectors.startable_terms(pupil, today=today, calendar=calendar)
        dates_missing = ""
    except TermDatesMissing as error:
        statuses, startable, dates_missing = [], [], error.messages[0]
    sdqs = selectors.sdq_views_for_pupil(pupil)
    peps = list(selectors.peps_for_pupil(pupil))
    statuses = [s for s in statuses if s.required or s.state == PepState.DONE]
    return render(
        request,
        "peps/pupil_peps.html",
        {
            "pupil": pupil,
            "today": today,
            "cards": selectors.term_cards(statuses, peps, startable),
            "peps": peps,
            "startable": startable,
            "dates_missing": dates_missing,
            "sdqs": sdqs,
            "needs_carer_sdq": selectors.needs_carer_sdq(
                pupil, sdqs, today=today, in_care=_in_care_today(pupil, today)
            ),
            "can_edit": Capability.EDIT_PUPILS in request.capabilities,
        },
    )


@requires(Capability.EDIT_PUPILS)
def pep_start(request, pupil_id: int):
    pupil = pupil_for(request, pupil_id)
    today = timezone.localdate()
    try:
        calendar = SchoolCalendar.for_school(request.school)
        terms = selectors.startable_terms(pupil, today=today, calendar=calendar)
    except TermDatesMissing as error:
        messages.error(request, error.messages[0])
        return redirect("peps:pupil_peps", pupil_id=pupil.pk)
    if not terms:
        return render(request, "peps/nothing_to_start.html", {"pupil": pupil})
    # The child's PEP page links to "start the PEP for this term": that term comes chosen.
    # Compared as text: "²" or 5,000 digits pass str.isdigit() but not int().
    chosen = request.GET.get("term", "")
    term = next((t.pk for t in terms if str(t.pk) == chosen), None)
    initial = {"term": term} if term else {}
    form = StartForm(request.POST or None, terms=terms, initial=initial)
    if request.method == "POST" and form.is_valid():
        created = {}

        def write():
            term = (
                Term.objects.select_related("academic_year")
                .filter(pk=form.cleaned_data["term"], academic_year__school=request.school)
                .first()
            )
            if term is None:
                raise ValidationError({"term": "Choose the term this PEP is for"})
            created["pep"] = services.pep_start(
                pupil=pupil, term=term, by=request.user, today=today, request=request
            )

        if saved(form, write):
            messages.success(request, "Draft PEP started. Save it at any point.")
            return redirect("peps:pep_edit", pk=created["pep"].pk)
    return _form_page(
        request,
        form,
        title="Start a PEP",
        pupil=pupil,
        button="Start PEP",
    )


# --- One PEP ---------------------------------------------------------------------------------


@requires(Capability.VIEW_COHORT)
def pep(request, pk: int):
    plan = pep_for(request, pk)
    today = timezone.localdate()
    draft = plan.status == Status.DRAFT
    targets_to_review = selectors.targets_to_review(plan)
    problems = services.completion_problems(plan, today=today) if draft else []
    sdqs = selectors.sdq_views_for_pupil(plan.pupil)
    targets = list(plan.targets.all())
    statuses = hooks.target_statuses(targets)  # other apps' word on each (the PP+ ledger's)
    for target in targets:
        target.extra_statuses = statuses[target.pk]
    return render(
        request,
        "peps/pep.html",
        {
            "pep": plan,
            "targets": targets,
            "pupil": plan.pupil,
            "reviews": selectors.review_rows(plan, targets_to_review),
            "previous": selectors.previous_pep(plan),
            "sdqs": selectors.latest_sdqs(sdqs, on=plan.meeting_date or today),
            "needs_carer_sdq": plan.status == Status.DRAFT
            and selectors.needs_carer_sdq(
                plan.pupil, sdqs, today=today, in_care=_in_care_today(plan.pupil, today)
            ),
            "problems": problems,
            "pp_plus_total": sum(t.pp_plus_amount for t in targets),
            "attendance_from_register": hooks.summary(
                hooks.ATTENDANCE_SUMMARY, pupil=plan.pupil, until=plan.meeting_date or today
            ),
            # When a draft is due: the deadline it is being written against.
            "status": selectors.pep_status_for(plan, today=today) if draft else None,
            "can_edit": Capability.EDIT_PUPILS in request.capabilities and not plan.is_locked,
            "can_correct": Capability.EDIT_PUPILS in request.capabilities
            and plan.status == Status.COMPLETED
            and not PersonalEducationPlan.objects.filter(supersedes=plan).exists(),
            "correction": PersonalEducationPlan.objects.filter(supersedes=plan).first(),
            "virtual_school": services.virtual_school_for(plan),
            # A completed PEP: where its PDF went, or why it is held.
            "delivery": services.pep_delivery(plan) if plan.status == Status.COMPLETED else None,
            "sent": services.pep_sent_message(plan) if plan.status == Status.COMPLETED else None,
            # Its PDF still being made, to go to the Virtual School once made.
            "sending": plan.status == Status.COMPLETED and services.pep_pdf_sending(plan),
            "can_send": Capability.EDIT_PUPILS in request.capabilities,
            # A draft's suspension figures, where the record has moved on since they were filled.
            "fresh_figures": services.pep_figures_fresh(plan, today=today) if draft else {},
        },
    )


@requires(Capability.EDIT_PUPILS)
def pep_edit(request, pk: int):
    plan = pep_for(request, pk)
    if plan.is_locked:
        return _locked_redirect(request, plan)
    initial = {name: getattr(plan, name) for name in services.PEP_FIELDS}
    # Figures other apps provide (suspensions) as they stand now, not when it was started.
    initial.update(services.pep_figures_fresh(plan, today=timezone.localdate()))
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():

        def write():
            services.pep_update(pep=plan, by=request.user, request=request, **form.cleaned_data)

        if saved(form, write):
            messages.success(request, "PEP saved as a draft")
            return _to_pep(plan)
    return _form_page(
        request,
        form,
        title="Record the PEP meeting",
        pep=plan,
        button="Save draft",
        lede="Save at any point: nothing is required until you complete the PEP. Attendees, "
        "attainment, the review of last PEP's targets and new targets are added on the PEP "
        "page.",
    )


@requires(Capability.EDIT_PUPILS)
def attendee_add(request, pk: int):
    plan = pep_for(request, pk)
    if plan.is_locked:
        return _locked_redirect(request, plan)
    form = AttendeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def write():
            services.attendee_add(pep=plan, by=request.user, request=request, **form.cleaned_data)

        if saved(form, write):
            messages.success(request, f"{form.cleaned_data['name']} added to the attendees")
            return _to_pep(plan, "attendees")
    return _form_page(request, form, title="Add an attendee", pep=plan, button="Add attendee")


@requires(Capability.EDIT_PUPILS)
@require_POST
def attendee_remove(request, pk: int, attendee_id: int):
    plan = pep_for(request, pk)
    attendee = attendee_for(plan, attendee_id)
    try:
        services.attendee_remove(attendee=attendee, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{attendee.name} removed from the attendees")
    return _to_pep(plan, "attendees")


@requires(Capability.EDIT_PUPILS)
def attainment_add(request, pk: int):
    plan = pep_for(request, pk)
    if plan.is_locked:
        return _locked_redirect(request, plan)
    form = AttainmentForm(request.POST or None, scale=plan.attainment_scale)
    if request.method == "POST" and form.is_valid():

        def write():
            services.attainment_add(pep=plan, by=request.user, request=request, **form.cleaned_data)

        if saved(form, write):
            messages.success(request, f"{form.cleaned_data['subject']} added")
            return _to_pep(plan, "attainment")
    return _form_page(
        request,
        form,
        title="Add attainment in a subject",
        pep=plan,
        button="Add subject",
        lede=f"On the scale: {plan.get_attainment_scale_display()}.",
    )


@requires(Capability.EDIT_PUPILS)
@require_POST
def attainment_remove(request, pk: int, record_id: int):
    plan = pep_for(request, pk)
    record = attainment_for(plan, record_id)
    try:
        services.attainment_remove(record=record, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{record.subject} removed")
    return _to_pep(plan, "attainment")


@requires(Capability.EDIT_PUPILS)
def target_add(request, pk: int):
    plan = pep_for(request, pk)
    if plan.is_locked:
        return _locked_redirect(request, plan)
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def write():
            services.target_add(pep=plan, by=request.user, request=request, **form.cleaned_data)

        if saved(form, write):
            messages.success(request, "Target added")
            return _to_pep(plan, "targets")
    return _form_page(
        request,
        form,
        title="Set a target",
        pep=plan,
        button="Save target",
        lede="Specific, measurable, with who does it and by when. Any PP+ asked for pays "
        "towards this target.",
    )


@requires(Capability.EDIT_PUPILS)
def target_edit(request, pk: int, target_id: int):
    plan = pep_for(request, pk)
    if plan.is_locked:
        return _locked_redirect(request, plan)
    target = target_for(plan, target_id)
    initial = {name: getattr(target, name) for name in services.TARGET_FIELDS}
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():

        def write():
            services.target_update(
                target=target, by=request.user, request=request, **form.cleaned_data
            )

        if saved(form, write):
            messages.success(request, "Target saved")
            return _to_pep(plan, "targets")
    return _form_page(request, form, title="Change a target", pep=plan, button="Save target")


@requires(Capability.EDIT_PUPILS)
@require_POST
def target_remove(request, pk: int, target_id: int):
    plan = pep_for(request, pk)
    target = target_for(plan, target_id)
    try:
        services.target_remove(target=target, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Target removed")
    return _to_pep(plan, "targets")


@requires(Capability.EDIT_PUPILS)
def target_review(request, pk: int, target_id: int):
    plan = pep_for(request, pk)
    if plan.is_locked:
        return _locked_redirect(request, plan)
    rows = {
        row.target.pk: row for row in selectors.review_rows(plan, selectors.targets_to_review(plan))
    }
    row = rows.get(target_id)
    if row is None:
        raise Http404("Not a target this PEP reviews")
    initial = {"outcome": row.review.outcome, "evidence": row.review.evidence} if row.review else {}
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():

        def write():
            services.target_review(
                pep=plan, target=row.target, by=request.user, request=request, **form.cleaned_data
            )

        if saved(form, write):
            messages.success(request, "Review saved")
            return _to_pep(plan, "reviews")
    return render(
        request,
        "peps/review.html",
        {"form": form, "pep": plan, "pupil": plan.pupil, "target": row.target},
    )


@requires(Capability.EDIT_PUPILS)
def pep_complete(request, pk: int):
    plan = pep_for(request, pk)
    if plan.is_locked:
        return _locked_redirect(request, plan)
    today = timezone.localdate()
    problems = services.completion_problems(plan, today=today)
    delivery = services.pep_delivery(plan)
    virtual_school = delivery.virtual_school if delivery else None
    if request.method == "POST":
        try:
            services.pep_complete(pep=plan, by=request.user, today=today, request=request)
        except ValidationError as error:
            # Read again, with where each is put right; a PEP completed meanwhile elsewhere
            # has none, and says so in the error.
            problems = services.completion_problems(plan, today=today) or error.messages
        else:
            if delivery and delivery.email and delivery.confirmed:
                messages.success(
                    request,
                    f"PEP completed. Harbour is making the PDF and will send it to "
                    f"{virtual_school} ({delivery.email}).",
                )
            elif delivery and delivery.email:
                messages.success(
                    request,
                    f"PEP completed. The PDF has not been sent: confirm the address for "
                    f"{virtual_school} below and Harbour will send it.",
                )
            else:
                messages.success(
                    request,
                    "PEP completed. Harbour has no Virtual School address for the child, so "
                    "download the PDF and send it yourself.",
                )
            return _to_pep(plan)
    return render(
        request,
        "peps/complete.html",
        {
            "pep": plan,
            "pupil": plan.pupil,
            "problems": problems,
            "virtual_school": virtual_school,
            "delivery": delivery,
        },
    )


@requires(Capability.EDIT_PUPILS)
def pep_send(request, pk: int):
    """Send a completed PEP whose PDF was held because the school had not confirmed the
    Virtual School's address: the page shows the exact address, and sending confirms it."""
    plan = pep_for(request, pk)
    delivery = services.pep_delivery(plan)
    sent = services.pep_sent_message(plan)
    error = None
    if request.method == "POST":
        try:
            services.pep_send(
                pep=plan, email=request.POST.get("email", ""), by=request.user, request=request
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
            delivery = services.pep_delivery(plan)
        else:
            messages.success(
                request, f"The PDF is being sent to {delivery.virtual_school} ({delivery.email})."
            )
            return _to_pep(plan)
    return render(
        request,
        "peps/send.html",
        {"pep": plan, "pupil": plan.pupil, "delivery": delivery, "sent": sent, "error": error},
    )


@requires(Capability.VIEW_COHORT)
def pep_download(request, pk: int):
    """The way to a PEP's PDF, which a worker makes (a report run): a completed version's PDF
    is made once, so this goes straight to its run; a draft's, or one whose making failed,
    is made when asked for with the button here. The download itself is on the run's page."""
    plan = pep_for(request, pk)
    if request.method == "POST":
        run = services.pep_pdf_request(pep=plan, by=request.user, request=request)
        return redirect("core:report_run", pk=run.pk)
    run = selectors.pep_pdf_run(plan) if plan.is_locked else None
    if run is not None:
        return redirect("core:report_run", pk=run.pk)
    return render(
        request,
        "peps/pdf.html",
        {
            "pep": plan,
            "pupil": plan.pupil,
            "failed": selectors.pep_pdf_failed(plan),
        },
    )


@requires(Capability.EDIT_PUPILS)
def pep_correct(request, pk: int):
    plan = pep_for(request, pk)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = {}

        def write():
            created["pep"] = services.pep_correct(
                pep=plan, reason=form.cleaned_data["reason"], by=request.user, request=request
            )

        if saved(form, write):
            messages.success(
                request,
                f"Version {created['pep'].version} started as a draft. Version {plan.version} "
                "stays as it is until you complete this one.",
            )
            return redirect("peps:pep_edit", pk=created["pep"].pk)
    return _form_page(
        request,
        form,
        title="Correct this PEP",
        pep=plan,
        button="Start a correction",
        lede="Harbour keeps the completed PEP as it is and starts a new version with "
        "everything copied, for you to change and complete. The Virtual School is sent the "
        "new version when it is completed.",
    )


@requires(Capability.EDIT_PUPILS)
def pep_discard(request, pk: int):
    plan = pep_for(request, pk)
    if plan.is_locked:
        return _locked_redirect(request, plan)
    if request.method == "POST":
        services.pep_discard(pep=plan, by=request.user, request=request)
        messages.success(request, "Draft deleted")
        return redirect("peps:pupil_peps", pupil_id=plan.pupil_id)
    return render(request, "peps/discard.html", {"pep": plan, "pupil": plan.pupil})


# --- SDQ -------------------------------------------------------------------------------------


@requires(Capability.EDIT_PUPILS)
def sdq_add(request, pupil_id: int):
    pupil = pupil_for(request, pupil_id)
    form = SdqForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def write():
            services.sdq_record(
                pupil=pupil,
                by=request.user,
                today=timezone.localdate(),
                request=request,
                **form.cleaned_data,
            )

        if saved(form, write):
            messages.success(request, "SDQ scores recorded")
            return redirect(reverse("peps:pupil_peps", args=[pupil.pk]) + "#sdq")
    return _form_page(
        request,
        form,
        title="Record SDQ scores",
        pupil=pupil,
        button="Record scores",
        lede="Enter the scale scores and impact score from the completed paper questionnaire's "
        "scoring sheet. Harbour works out the total and band; it never holds the questions.",
    )


# --- Compliance and settings -----------------------------------------------------------------


@requires(Capability.VIEW_COHORT)
def compliance(request):
    today = timezone.localdate()
    calendar = SchoolCalendar.for_school(request.school)
    terms = [t for t in calendar.terms if t.academic_year in calendar.entered_years]
    chosen = None
    term_param = request.GET.get("term", "")
    if term_param:
        # Compared as text: "²" or 5,000 digits pass str.isdigit() but not int().
        chosen = next((t for t in terms if str(t.pk) == term_param), None)
    report = None
    error = ""
    latest = False
    try:
        if chosen is None:
            # This term; in a holiday, the term that has just ended, whose figures are final.
            ended = [t for t in terms if t.last_day < today]
            chosen = calendar.term_for(today) or (
                ended[-1] if ended else calendar.current_or_next_term(today)
            )
        report = selectors.pep_compliance(request.school, chosen, today=today, calendar=calendar)
        # Last term's missing PEPs can still be held late only while this term is the latest.
        latest = chosen.pk == calendar.current_or_next_term(today).pk
    except TermDatesMissing as missing:
        error = missing.messages[0]
    audit_record(
        action=PepAction.COMPLIANCE_VIEWED,
        request=request,
        values={"term": str(chosen) if chosen else ""},
    )
    return render(
        request,
        "peps/compliance.html",
        {
            "report": report,
            "terms": terms,
            "chosen": chosen,
            "error": error,
            "today": today,
            "previous_missing": report.previous_missing if report and latest else [],
        },
    )


@requires(any_of=(Capability.EDIT_PUPILS, Capability.MANAGE_SCHOOL))
def pep_settings(request):
    current = selectors.pep_settings_for(request.school)
    form = PepSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():

        def write():
            services.pep_settings_update(
                school=request.school,
                by=request.user,
                request=request,
                **{name: form.cleaned_data[name] for name in services.SETTINGS_FIELDS},
            )

        if saved(form, write):
            messages.success(request, "PEP settings saved")
            return redirect("peps:settings")
    return _form_page(
        request,
        form,
        title="PEP settings",
        button="Save settings",
        back=reverse("peps:compliance"),
        lede="Harbour's rule: one PEP a term, held by the last school day of the term; the "
        "first within 20 school days of a child coming into care or joining the school. Your "
        "school may set a stricter rule.",
    )
