"""Pages of the pathway. Each view: the access helper, a form, one service, a redirect.

Reading needs ``VIEW_COHORT``; the risk, consultation, alternatives, provision,
reintegration, the board's meeting, notices and reduced timetables need
``EDIT_ATTENDANCE_EXCLUSIONS``; deciding and cancelling need ``DECIDE_EXCLUSION`` (the head).
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
from core.report_runs import report_run_request
from exclusions import rules, selectors, services
from exclusions.access import exclusion_for, notice_for, risk_for, timetable_for
from exclusions.audit import ExclusionAction
from exclusions.forms import (
    AlternativeForm,
    BoardForm,
    CancelForm,
    ConsultationForm,
    DecisionForm,
    ProvisionForm,
    ReducedTimetableForm,
    ReintegrationForm,
    RiskForm,
    SettingsForm,
    TimetableReviewForm,
    WholeSchoolForm,
)
from exclusions.models import ExclusionSettings, StatutoryNotice, WholeSchoolSuspensions
from exclusions.report_kinds import EXCLUSION_LETTER
from pupils.access import pupil_for, record_read
from schools.schooldays import academic_year_label, academic_year_of

EDIT = Capability.EDIT_ATTENDANCE_EXCLUSIONS


def _form_page(request, form, *, title, pupil, button="Save", lede=""):
    return render(
        request,
        "exclusions/form_page.html",
        {
            "form": form,
            "title": title,
            "caption": pupil.display_name,
            "button": button,
            "lede": lede,
            "pupil": pupil,
            "cancel_url": reverse("exclusions:pupil", args=[pupil.pk]),
        },
    )


def _to_pupil(pupil, anchor=""):
    return redirect(reverse("exclusions:pupil", args=[pupil.pk]) + (f"#{anchor}" if anchor else ""))


def _read(request, obj):
    record_read(
        request, action=ExclusionAction.PUPIL_EXCLUSIONS_VIEWED, obj=obj, pupil_id=obj.pupil_id
    )


def _record_form(request, form, *, pupil, write, done, anchor, **page):
    """A pathway form: on a valid POST, ``write(cleaned_data)`` (one service) and back to the
    child's page at ``anchor`` (a string, or a function of what ``write`` returned); otherwise
    the form again, with the service's refusals beside their fields (``core.forms.saved``)."""
    written = []
    posted = request.method == "POST" and form.is_valid()
    if posted and saved(form, lambda: written.append(write(form.cleaned_data))):
        messages.success(request, done)
        return _to_pupil(pupil, anchor(written[0]) if callable(anchor) else anchor)
    return _form_page(request, form, pupil=pupil, **page)


@requires(Capability.VIEW_COHORT)
def pupil(request, pupil_id: int):
    child = pupil_for(request, pupil_id, read=ExclusionAction.PUPIL_EXCLUSIONS_VIEWED)
    today = timezone.localdate()
    settings = services.settings_for(request.school)
    return render(
        request,
        "exclusions/pupil.html",
        {
            "pupil": child,
            "data": selectors.pupil_exclusions(
                child, today=today, day_one=settings.in_care_provision_from_day_one
            ),
            "in_care": services.in_care_on(child, today),
            "previously_in_care": services.previously_in_care_on(child, today),
            "today": today,
            "can_edit": EDIT in request.capabilities,
            "can_decide": Capability.DECIDE_EXCLUSION in request.capabilities,
        },
    )


@requires(EDIT)
def risk_open(request, pupil_id: int):
    child = pupil_for(request, pupil_id)
    today = timezone.localdate()
    lede = ""
    if services.in_care_on(child, today):
        lede = (
            f"{child.display_name} is in care: contact the Virtual School as soon as possible "
            "(suspension guidance). You can tell them from the next page."
        )
    return _record_form(
        request,
        RiskForm(request.POST or None),
        pupil=child,
        write=lambda data: services.risk_open(
            pupil=child, by=request.user, today=today, request=request, **data
        ),
        done="Risk of suspension recorded",
        anchor="risks",
        title="At risk of suspension",
        lede=lede,
    )


@requires(EDIT)
def risk_consultation(request, pk: int):
    risk = risk_for(request, pk)
    _read(request, risk)
    initial = {
        name: getattr(risk, name)
        for name in ("parents_consent_on", "consulted_on", "adviser", "advice")
    }
    return _record_form(
        request,
        ConsultationForm(request.POST or None, initial=initial),
        pupil=risk.pupil,
        write=lambda data: services.risk_consultation_record(
            risk=risk, by=request.user, today=timezone.localdate(), request=request, **data
        ),
        done="Virtual School consultation recorded",
        anchor="risks",
        title="Virtual School consultation",
    )


@require_POST
@requires(EDIT)
def risk_tell_virtual_school(request, pk: int):
    risk = risk_for(request, pk)
    try:
        notice = services.risk_virtual_school_tell(
            risk=risk, by=request.user, today=timezone.localdate(), request=request
        )
    except services.ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if notice.email:
            messages.success(request, "The Virtual School's notice is in the outbox")
        else:
            messages.error(
                request, f"Not emailed: {notice.held_because}. Send the letter and record it."
            )
    return _to_pupil(risk.pupil, "risks")


@require_POST
@requires(EDIT)
def risk_close(request, pk: int):
    risk = risk_for(request, pk)
    try:
        services.risk_close(risk=risk, by=request.user, today=timezone.localdate(), request=request)
    except services.ValidationError as error:
        messages.error(request, error.messages[0])
    return _to_pupil(risk.pupil, "risks")


@requires(EDIT)
def alternative_add(request, pk: int):
    risk = risk_for(request, pk)
    _read(request, risk)
    return _record_form(
        request,
        AlternativeForm(request.POST or None),
        pupil=risk.pupil,
        write=lambda data: services.alternative_add(
            risk=risk, by=request.user, request=request, **data
        ),
        done="Alternative recorded",
        anchor="risks",
        title="Alternative tried",
    )


@requires(Capability.DECIDE_EXCLUSION)
def decide(request, pupil_id: int):
    child = pupil_for(request, pupil_id)
    today = timezone.localdate()
    data = selectors.pupil_exclusions(child, today=today, day_one=True)
    lede = (
        f"{data.year_days:g} of {rules.YEAR_LIMIT_DAYS:g} school days of suspension used this "
        "school year. Harbour works out the last day and the return date from the term dates."
    )
    return _record_form(
        request,
        DecisionForm(request.POST or None),
        pupil=child,
        write=lambda data: services.exclusion_decide(
            pupil=child, by=request.user, today=today, request=request, **data
        ),
        done="Decision recorded. The statutory notices are in the outbox.",
        anchor=lambda exclusion: f"exclusion-{exclusion.pk}",
        title="Suspend or exclude",
        button="Record decision",
        lede=lede,
    )


def _exclusion_form(request, pk, form_class, *, title, initial, write, done):
    exclusion = exclusion_for(request, pk)
    _read(request, exclusion)
    return _record_form(
        request,
        form_class(request.POST or None, initial=initial(exclusion)),
        pupil=exclusion.pupil,
        write=lambda data: write(exclusion, data),
        done=done,
        anchor=f"exclusion-{exclusion.pk}",
        title=title,
    )


@requires(Capability.DECIDE_EXCLUSION)
def cancel(request, pk: int):
    return _exclusion_form(
        request,
        pk,
        CancelForm,
        title="Cancel this exclusion",
        initial=lambda e: {},
        write=lambda e, data: services.exclusion_cancel(
            exclusion=e,
            by=request.user,
            today=timezone.localdate(),
            reason=data["cancel_reason"],
            request=request,
        ),
        done="Cancelled. The notices of cancellation are in the outbox.",
    )


@requires(EDIT)
def provision(request, pk: int):
    return _exclusion_form(
        request,
        pk,
        ProvisionForm,
        title="Education during the exclusion",
        initial=lambda e: {"provision": e.provision, "provision_from": e.provision_from},
        write=lambda e, data: services.provision_record(
            exclusion=e, by=request.user, request=request, **data
        ),
        done="Education arranged recorded",
    )


@requires(EDIT)
def reintegration(request, pk: int):
    return _exclusion_form(
        request,
        pk,
        ReintegrationForm,
        title="Reintegration meeting",
        initial=lambda e: {
            "reintegration_on": e.reintegration_on,
            "attendees": e.reintegration_attendees,
            "plan": e.reintegration_plan,
        },
        write=lambda e, data: services.reintegration_record(
            exclusion=e, by=request.user, today=timezone.localdate(), request=request, **data
        ),
        done="Reintegration meeting recorded",
    )


@requires(EDIT)
def board(request, pk: int):
    fields = (
        "parents_asked_for_meeting",
        "board_met_on",
        "board_decision",
        "independent_review_requested",
        "independent_review_outcome",
    )
    return _exclusion_form(
        request,
        pk,
        BoardForm,
        title="Governing board",
        initial=lambda e: {name: getattr(e, name) for name in fields},
        write=lambda e, data: services.board_record(
            exclusion=e, by=request.user, today=timezone.localdate(), request=request, **data
        ),
        done="Governing board recorded",
    )


@require_POST
@requires(EDIT)
def notice_delivered(request, pk: int):
    notice = notice_for(request, pk)
    try:
        services.notice_delivered(
            notice=notice, by=request.user, now=timezone.now(), request=request
        )
    except services.ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Recorded as sent")
    if request.POST.get("next") == "log":
        return redirect("exclusions:notices")
    return _to_pupil(notice.pupil, "exclusions")


@require_POST
@requires(EDIT)
def notice_letter(request, pk: int):
    notice = notice_for(request, pk)
    run = report_run_request(
        school=request.school,
        kind=EXCLUSION_LETTER,
        parameters={"notice": notice.pk},
        by=request.user,
        pupil_id=notice.pupil_id,
        request=request,
    )
    return redirect("core:report_run", pk=run.pk)


@requires(EDIT)
def timetable_add(request, pupil_id: int):
    child = pupil_for(request, pupil_id)
    return _record_form(
        request,
        ReducedTimetableForm(request.POST or None),
        pupil=child,
        write=lambda data: services.reduced_timetable_add(
            pupil=child, by=request.user, today=timezone.localdate(), request=request, **data
        ),
        done="Reduced timetable recorded",
        anchor="timetables",
        title="Reduced timetable",
        lede="Sessions missed under an agreed reduced timetable are coded C2 in the register.",
    )


@requires(EDIT)
def timetable_review(request, pk: int):
    timetable = timetable_for(request, pk)
    _read(request, timetable)
    return _record_form(
        request,
        TimetableReviewForm(request.POST or None),
        pupil=timetable.pupil,
        write=lambda data: services.reduced_timetable_review(
            timetable=timetable,
            by=request.user,
            today=timezone.localdate(),
            request=request,
            **data,
        ),
        done="Review recorded",
        anchor="timetables",
        title="Review the reduced timetable",
    )


@requires(Capability.VIEW_COHORT)
def register(request):
    today = timezone.localdate()
    year = academic_year_of(today)
    rows = list(selectors.register_rows(request.school, year=year))
    risks = list(selectors.open_risks(request.school))
    timetables = list(selectors.timetables_in_force(request.school, today=today))
    shown = {r.pupil_id for r in rows} | {r.pupil_id for r in risks}
    shown |= {t.pupil_id for t in timetables}
    audit_record(
        action=ExclusionAction.REGISTER_VIEWED,
        request=request,
        values={"page": "exclusions:register", "pupils": len(shown)},
    )
    return render(
        request,
        "exclusions/register.html",
        {
            "rows": rows,
            "risks": risks,
            "timetables": timetables,
            "today": today,
            "year": academic_year_label(year),
            "can_edit": EDIT in request.capabilities,
            "can_settings": bool(set(SETTINGS_ROLES) & request.capabilities),
        },
    )


@requires(Capability.VIEW_COHORT)
def notices(request):
    today = timezone.localdate()
    rows = list(selectors.notices_log(request.school)[:200])
    audit_record(
        action=ExclusionAction.NOTICES_VIEWED,
        request=request,
        values={"page": "exclusions:notices", "pupils": len({r.pupil_id for r in rows})},
    )
    return render(
        request,
        "exclusions/notices.html",
        {"rows": rows, "today": today, "can_edit": EDIT in request.capabilities},
    )


# --- Settings: the addresses the notices go to ----------------------------------------------
SETTINGS_ROLES = (Capability.DECIDE_EXCLUSION, Capability.MANAGE_SCHOOL)


def _addresses(row: ExclusionSettings, school) -> list[dict]:
    """Each settings address with its state and how many notices wait for it: one query."""
    held = dict.fromkeys(ExclusionSettings.ADDRESSES, 0)
    for recipient in (
        StatutoryNotice.objects.filter(
            pupil__school=school,
            recipient__in=list(held),
            message__isnull=True,
            delivered_at__isnull=True,
            exclusion__isnull=False,
        )
        .values_list("recipient", flat=True)
        .iterator()
    ):
        held[recipient] += 1
    return [
        {
            "prefix": prefix,
            "name": label,
            "email": row.address(prefix),
            "confirmed": row.is_confirmed(prefix),
            "confirmed_by": getattr(row, f"{prefix}_confirmed_by"),
            "confirmed_at": getattr(row, f"{prefix}_confirmed_at"),
            "held": held[prefix],
        }
        for prefix, label in ExclusionSettings.ADDRESSES.items()
    ]


@requires(any_of=SETTINGS_ROLES)
def settings_page(request):
    row = (
        ExclusionSettings.objects.filter(school=request.school)
        .select_related("local_authority_confirmed_by", "governing_board_confirmed_by")
        .first()
    ) or ExclusionSettings(school=request.school)
    initial = {name: getattr(row, name) for name in services.SETTINGS_FIELDS}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():

        def write():
            services.settings_save(
                school=request.school, by=request.user, request=request, **form.cleaned_data
            )

        if saved(form, write):
            messages.success(
                request,
                "Settings saved. Confirm any new address: no child's notice goes to it before.",
            )
            return redirect("exclusions:settings")
    return render(
        request,
        "exclusions/settings.html",
        {"form": form, "addresses": _addresses(row, request.school)},
    )


@require_POST
@requires(any_of=SETTINGS_ROLES)
def settings_confirm(request, prefix: str):
    if prefix not in ExclusionSettings.ADDRESSES:
        raise Http404
    try:
        released = services.settings_address_confirm(
            school=request.school,
            prefix=prefix,
            email=request.POST.get("email", ""),
            by=request.user,
            today=timezone.localdate(),
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name = ExclusionSettings.ADDRESSES[prefix]
        done = f"The {name} address is confirmed."
        if released:
            done += f" {len(released)} held notice(s) to the {name} are now in the outbox."
        messages.success(request, done)
    return redirect("exclusions:settings")


@requires(EDIT)
def whole_school(request):
    """The whole school's suspension figures for this school year: the peers on the dashboard
    and in the governors' report."""
    year = academic_year_of(timezone.localdate())
    row = WholeSchoolSuspensions.objects.filter(school=request.school, academic_year=year).first()
    initial = {name: getattr(row, name) for name in services.WHOLE_SCHOOL_FIELDS} if row else {}
    form = WholeSchoolForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():

        def write():
            services.whole_school_save(
                school=request.school,
                academic_year=year,
                by=request.user,
                request=request,
                **form.cleaned_data,
            )

        if saved(form, write):
            messages.success(request, "Whole-school figures saved")
            return redirect("exclusions:register")
    return render(
        request,
        "exclusions/form_page.html",
        {
            "form": form,
            "title": f"Whole-school suspensions {academic_year_label(year)}",
            "lede": (
                "The whole school's figures for this school year so far, from your school's "
                "own records (the census return). The dashboard and the governors' report set "
                "the children in each group against them."
            ),
            "button": "Save figures",
            "cancel_url": reverse("exclusions:register"),
        },
    )
