"""Signing in and out, the second factor, passwords, choosing a school, staff and the audit
log."""

from base64 import b32encode
from functools import wraps
from urllib.parse import urlencode

import segno
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import selectors, services
from accounts.audit import AccountAction
from accounts.filters import AuditEventFilter
from accounts.forms import (
    ChooseSchoolForm,
    CodeForm,
    PasswordResetForm,
    SetPasswordForm,
    SignInForm,
    StaffInviteForm,
    StaffRolesForm,
)
from accounts.middleware import SCHOOL_SESSION_KEY
from accounts.roles import Capability, capabilities_for
from core.access import back_to, requires
from core.audit import audit_record

# Backup codes just issued, kept in the session only until the page showing them is rendered.
FRESH_CODES_SESSION_KEY = "harbour_fresh_backup_codes"
# The authenticator device whose secret this session's setup page showed.
TOTP_SETUP_SESSION_KEY = "harbour_totp_setup_device"
AUDIT_PAGE_SIZE = 50


def second_factor_done(view):
    """The middleware lets a user who has given only their password reach the sign-in and
    two-factor pages; the pages among them that show or change anything else (backup codes)
    and the staff and audit pages also need the second factor, whatever the middleware says."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        user = request.user
        if settings.TWO_FACTOR_REQUIRED and user.is_authenticated and not user.is_verified():
            return redirect("accounts:two_factor")
        return view(request, *args, **kwargs)

    return wrapped


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _signed_in(request: HttpRequest, second_factor: str) -> None:
    audit_record(
        action=AccountAction.SIGNED_IN,
        actor=request.user,
        school=_only_school(request.user),
        obj=request.user,
        values={"second_factor": second_factor},
        request=request,
    )


def _posted(request: HttpRequest):
    # Not ``request.POST or None``: a form posted with every box unticked must still be bound.
    return request.POST if request.method == "POST" else None


def _only_school(user):
    schools = {m.school for m in user.memberships.select_related("school")}
    return schools.pop() if len(schools) == 1 else None


# --- Signing in and out ----------------------------------------------------------------------
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = False

    def form_valid(self, form):
        response = super().form_valid(form)
        if settings.TWO_FACTOR_REQUIRED:
            return redirect(_with_next("accounts:two_factor", _safe_next(self.request)))
        _signed_in(self.request, second_factor="off")
        return response


login = LoginView.as_view()


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(action=AccountAction.SIGNED_OUT, actor=request.user, request=request)
    auth_logout(request)
    messages.success(request, "You have signed out.")
    return redirect("accounts:login")


# --- Second factor ---------------------------------------------------------------------------
def two_factor(request: HttpRequest) -> HttpResponse:
    """Where the password step and the middleware send a user: verify if they have an
    authenticator app, set one up if not."""
    if not request.user.is_authenticated:
        return redirect(_with_next("accounts:login", _safe_next(request)))
    if request.user.is_verified() or not settings.TWO_FACTOR_REQUIRED:
        return back_to(request, "home")
    target = "accounts:two_factor_verify" if _has_app(request.user) else "accounts:two_factor_setup"
    return redirect(_with_next(target, _safe_next(request)))


def _has_app(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if request.user.is_verified():
        return back_to(request, "home")
    if not _has_app(request.user):
        return redirect(_with_next("accounts:two_factor_setup", _safe_next(request)))
    form = CodeForm(
        _posted(request),
        label="Enter the code from your authenticator app",
        help_text="The 6-digit code it shows now. If you do not have your phone, "
        "enter one of your backup codes instead.",
    )
    if form.is_valid():
        try:
            device = services.second_factor_verify(
                user=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            otp_login(request, device)
            method = "totp" if isinstance(device, TOTPDevice) else "backup code"
            _signed_in(request, second_factor=method)
            if method == "backup code":
                messages.info(
                    request,
                    "You signed in with a backup code. It cannot be used again: "
                    "make new backup codes if you are running out.",
                )
            return back_to(request, "home")
    return render(request, "accounts/two_factor_verify.html", {"form": form})


def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    # Someone who knows only the password must not be able to add their own app.
    if _has_app(request.user):
        return redirect(_with_next("accounts:two_factor_verify", _safe_next(request)))
    # Each visit shows a new secret, and only the one this session was shown can be confirmed.
    device = None
    if request.method == "POST":
        device = services.totp_device_pending(
            user=request.user, device_id=request.session.get(TOTP_SETUP_SESSION_KEY)
        )
    form = CodeForm(
        _posted(request),
        label="Enter the 6-digit code your app shows",
        help_text="It changes every 30 seconds.",
    )
    if form.is_valid():
        try:
            if device is None:
                raise ValidationError(
                    services.SETUP_EXPIRED.format(minutes=settings.TOTP_SETUP_MINUTES),
                    code="setup_expired",
                )
            codes = services.two_factor_enrol(
                device=device, code=form.cleaned_data["code"], request=request
            )
        except ValidationError as error:
            form.add_error("code", error)
            if error.code == "setup_expired":
                device = None  # show a new secret below
        else:
            request.session.pop(TOTP_SETUP_SESSION_KEY, None)
            otp_login(request, device)
            _signed_in(request, second_factor="totp")
            request.session[FRESH_CODES_SESSION_KEY] = codes
            return redirect("accounts:backup_codes")
    if device is None:
        device = services.totp_device_for_setup(user=request.user)
        request.session[TOTP_SETUP_SESSION_KEY] = device.pk
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": segno.make_qr(device.config_url, error="m").svg_inline(
            scale=5, light="#fff", title="QR code for your authenticator app", svgclass="harbour-qr"
        ),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@second_factor_done
def backup_codes(request: HttpRequest) -> HttpResponse:
    """Shows freshly issued codes once; otherwise offers to replace the codes."""
    if request.method == "POST":
        codes = services.backup_codes_regenerate(user=request.user, request=request)
        request.session[FRESH_CODES_SESSION_KEY] = codes
        return redirect("accounts:backup_codes")
    codes = request.session.pop(FRESH_CODES_SESSION_KEY, None)
    remaining = None if codes else services.backup_codes_remaining(user=request.user)
    return render(request, "accounts/backup_codes.html", {"codes": codes, "remaining": remaining})


# --- Passwords -------------------------------------------------------------------------------
password_reset = auth_views.PasswordResetView.as_view(
    form_class=PasswordResetForm,
    template_name="includes/form_page.html",
    success_url=reverse_lazy("accounts:password_reset_done"),
    extra_context={
        "title": "Reset your password",
        "lede": "Enter the email address of your Harbour account. We will email you a link "
        "to choose a new password.",
        "button": "Send the link",
    },
)

password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Choosing a new password proves who they are: lift any lock-out from wrong guesses.
        axes_reset(username=form.user.email)
        audit_record(action=AccountAction.PASSWORD_SET, actor=form.user, request=self.request)
        return response


password_reset_confirm = PasswordResetConfirmView.as_view()

password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


# --- Choosing a school -----------------------------------------------------------------------
@login_required
@second_factor_done
def choose_school(request: HttpRequest) -> HttpResponse:
    schools = request.user_schools
    form = ChooseSchoolForm(
        _posted(request),
        schools=schools,
        initial={"school": request.school.pk if request.school else None},
    )
    if form.is_valid():
        chosen = next(s for s in schools if s.pk == form.cleaned_data["school"])
        request.session[SCHOOL_SESSION_KEY] = chosen.pk
        audit_record(action=AccountAction.SCHOOL_CHOSEN, school=chosen, obj=chosen, request=request)
        return back_to(request, "home")
    return render(request, "accounts/choose_school.html", {"form": form, "schools": schools})


# --- Staff -----------------------------------------------------------------------------------
@second_factor_done
@requires(Capability.MANAGE_SCHOOL)
def staff(request: HttpRequest) -> HttpResponse:
    people = [
        (person, selectors.role_labels(person.school_memberships))
        for person in selectors.staff_for_school(request.school)
    ]
    return render(request, "accounts/staff.html", {"people": people})


@second_factor_done
@requires(Capability.MANAGE_SCHOOL)
def staff_invite(request: HttpRequest) -> HttpResponse:
    grantable = services.roles_grantable(school=request.school, by=request.user)
    form = StaffInviteForm(_posted(request), grantable=grantable)
    if form.is_valid():
        try:
            person = services.staff_invite(
                school=request.school, invited_by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("email" if error.code == "already_member" else "roles", error)
        else:
            messages.success(request, f"We have emailed an invitation to {person.email}.")
            return redirect("accounts:staff")
    context = {
        "form": form,
        "title": "Invite a member of staff",
        "lede": f"They will get an email with a link to choose a password for "
        f"{request.school}. The link works for {services.password_reset_valid_days()} days.",
        "button": "Send invitation",
        "cancel_url": reverse("accounts:staff"),
    }
    return render(request, "includes/form_page.html", context)


@second_factor_done
@requires(Capability.MANAGE_SCHOOL)
def staff_roles(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(selectors.staff_for_school(request.school), pk=user_id)
    current = [m.role for m in person.school_memberships]
    form = StaffRolesForm(
        _posted(request),
        initial={"roles": current},
        person=person,
        school=request.school,
        current=set(current),
        grantable=services.roles_grantable(school=request.school, by=request.user, person=person),
    )
    if form.is_valid():
        roles = form.cleaned_data["roles"]
        try:
            services.staff_roles_set(
                school=request.school,
                user=person,
                roles=roles,
                changed_by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error("roles", error)
        else:
            if roles:
                messages.success(request, f"{person}'s roles have been changed.")
            else:
                messages.success(request, f"{person} has been removed from {request.school}.")
            still_manages = Capability.MANAGE_SCHOOL in capabilities_for(set(roles))
            if person == request.user and not still_manages:
                return redirect("home")
            return redirect("accounts:staff")
    context = {
        "form": form,
        "title": f"Change {person}'s roles",
        "lede": f"{person.email} at {request.school}.",
        "button": "Save roles",
        "cancel_url": reverse("accounts:staff"),
    }
    return render(request, "includes/form_page.html", context)


# --- Audit log -------------------------------------------------------------------------------
@second_factor_done
@requires(Capability.OVERSEE_RECORDS)
def audit(request: HttpRequest) -> HttpResponse:
    events = AuditEventFilter(
        request.GET or None,
        queryset=selectors.audit_events_for_school(request.school, request.capabilities),
        request=request,
    )
    page = Paginator(events.qs, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.audit_rows_for(request.capabilities, school=request.school, events=page)
    context = {"filter": events, "form": events.form, "page": page, "rows": rows}
    return render(request, "accounts/audit.html", context)
