"""Writes for accounts: the second factor, backup codes, staff invitations and roles."""

import math
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.audit import audit_record
from accounts.models import Membership, User
from accounts.roles import ROLE_CAPABILITIES, Capability, Role
from notifications.services import message_queue
from schools.models import School

TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10

WRONG_CODE = (
    "The code is wrong or has expired. Enter the 6-digit code your authenticator app shows "
    "now, or one of your backup codes."
)
WRONG_SETUP_CODE = "The code is wrong or has expired. Enter the 6-digit code your app shows now."


# --- Second factor ---------------------------------------------------------------------------
def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator device, created on first use, so reloading the
    setup page keeps showing the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def second_factor_verify(*, user: User, code: str) -> Device:
    """The device that accepts ``code``: six digits from the authenticator app, or a backup
    code (which is used up). Raises ``ValidationError`` saying why not."""
    is_totp = len(code) == 6 and code.isdigit()
    model = TOTPDevice if is_totp else StaticDevice
    # The failure count that throttles guessing must be saved, so nothing is raised inside
    # the transaction.
    with transaction.atomic():
        devices = model.objects.devices_for_user(user, confirmed=True).select_for_update()
        device, error = _first_accepting(list(devices), code)
    if device is None:
        raise ValidationError(error)
    return device


def two_factor_enrol(
    *, device: TOTPDevice, code: str, request: HttpRequest | None = None
) -> list[str]:
    """Confirm a new authenticator app with a code it shows, and issue backup codes.

    Returns the backup codes, which are shown to the user once.
    """
    if device.confirmed:
        raise ValidationError("This authenticator app is already set up.")
    # Two transactions, not one: a wrong code's failure count must be saved before the error.
    with transaction.atomic():
        accepted, error = _first_accepting([device], code, wrong=WRONG_SETUP_CODE)
    if accepted is None:
        raise ValidationError(error)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _backup_codes_replace(device.user)
        audit_record(
            action="user.two_factor_enrolled", actor=device.user, obj=device.user, request=request
        )
    return codes


@transaction.atomic
def backup_codes_regenerate(*, user: User, request: HttpRequest | None = None) -> list[str]:
    """Replace the user's backup codes: the old ones stop working."""
    codes = _backup_codes_replace(user)
    audit_record(action="user.backup_codes_regenerated", actor=user, obj=user, request=request)
    return codes


def backup_codes_remaining(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _first_accepting(
    devices: Iterable[Device], code: str, wrong: str = WRONG_CODE
) -> tuple[Device | None, str]:
    for device in devices:
        allowed, info = device.verify_is_allowed()
        if not allowed:
            return None, _throttled_message(info)
        if device.verify_token(code):
            return device, ""
    return None, wrong


def _throttled_message(info: dict | None) -> str:
    locked_until = (info or {}).get("locked_until")
    seconds = 1
    if locked_until is not None:
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many wrong codes. Wait {seconds} {unit}, then try again."


def _backup_codes_replace(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# --- Passwords -------------------------------------------------------------------------------
def set_password_url(*, user: User, token: str) -> str:
    """The link in a password reset or invitation email: it lets the user choose a password."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token},
    )
    return f"{settings.SITE_URL}{path}"


def password_reset_valid_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))


# --- Staff -----------------------------------------------------------------------------------
def manager_roles() -> set[str]:
    """The roles that may manage staff: losing the last of them would lock the school out."""
    return {role for role, held in ROLE_CAPABILITIES.items() if Capability.MANAGE_SCHOOL in held}


@transaction.atomic
def staff_invite(
    *,
    school: School,
    email: str,
    full_name: str,
    roles: Iterable[str],
    invited_by: User,
    request: HttpRequest | None = None,
) -> User:
    """Give a person roles in ``school`` and email them a link to set their password (or to
    sign in, when they already use Harbour at another school)."""
    roles = _valid_roles(roles)
    if not roles:
        raise ValidationError("Select at least one role.")
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and user.memberships.filter(school=school).exists():
        raise ValidationError(
            f"{user} ({user.email}) is already a member of staff at {school}. "
            "Change their roles from the staff list instead.",
            code="already_member",
        )
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
    Membership.objects.bulk_create(
        Membership(user=user, school=school, role=role) for role in sorted(roles)
    )
    audit_record(
        action="staff.invited",
        actor=invited_by,
        school=school,
        obj=user,
        changes={"roles": [[], sorted(roles)]},
        request=request,
    )
    _invitation_queue(user=user, school=school, invited_by=invited_by, roles=roles)
    return user


@transaction.atomic
def staff_roles_set(
    *,
    school: School,
    user: User,
    roles: Iterable[str],
    changed_by: User,
    request: HttpRequest | None = None,
) -> None:
    """Replace ``user``'s roles in ``school``. No roles at all removes them from the school.

    Refuses to take away the last headteacher or school administrator: nobody would be left
    to manage staff.
    """
    new = _valid_roles(roles)
    # Lock the school's memberships so two managers cannot each remove the other at once.
    memberships = list(Membership.objects.select_for_update().filter(school=school))
    old = {m.role for m in memberships if m.user_id == user.pk}
    if not old:
        raise ValidationError(f"{user} is not a member of staff at {school}.")
    if old == new:
        return
    managers = manager_roles()
    others_manage = any(m.role in managers and m.user_id != user.pk for m in memberships)
    if old & managers and not new & managers and not others_manage:
        labels = " or ".join(Role(r).label.lower() for r in Role.values if r in managers)
        raise ValidationError(
            f"{user} is the only person who can manage staff at {school}. "
            f"Give someone else the {labels} role first."
        )
    Membership.objects.filter(school=school, user=user, role__in=old - new).delete()
    Membership.objects.bulk_create(
        Membership(user=user, school=school, role=role) for role in sorted(new - old)
    )
    audit_record(
        action="staff.roles_changed",
        actor=changed_by,
        school=school,
        obj=user,
        changes={"roles": [sorted(old), sorted(new)]},
        request=request,
    )


def _valid_roles(roles: Iterable[str]) -> set[str]:
    chosen = set(roles)
    unknown = chosen - set(Role.values)
    if unknown:
        raise ValidationError(f"Unknown role: {', '.join(sorted(unknown))}.")
    return chosen


def _invitation_queue(*, user: User, school: School, invited_by: User, roles: set[str]) -> None:
    token = default_token_generator.make_token(user)
    message_queue(
        recipient=user.email,
        template="staff_invitation",
        context={
            "user": user,
            "invited_by": invited_by,
            "role_labels": [Role(r).label for r in Role.values if r in roles],
            "has_password": user.has_usable_password(),
            "set_password_url": set_password_url(user=user, token=token),
            "sign_in_url": f"{settings.SITE_URL}{reverse('accounts:login')}",
            "valid_days": password_reset_valid_days(),
        },
        dedupe_key=f"staff-invitation-{user.pk}-{school.pk}-{token}",
        school=school,
        about=user,
    )
