"""Writes for accounts: the second factor, backup codes, staff invitations and roles."""

import math
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.audit import AccountAction
from accounts.links import password_reset_valid_days, sign_in_link
from accounts.models import Membership, User
from accounts.roles import (
    ROLE_CAPABILITIES,
    ROLES_THAT_SEE_CHILDREN,
    Capability,
    Role,
    capabilities_for,
)
from core.audit import audit_record
from notifications.services import message_queue
from schools.models import School

TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10

WRONG_CODE = (
    "The code is wrong or has expired. Enter the 6-digit code your authenticator app shows "
    "now, or one of your backup codes."
)
SETUP_EXPIRED = (
    "The QR code you scanned has expired: it works for {minutes} minutes. Delete it from your "
    "app, scan the new QR code on this page, then enter the code it shows."
)
WRONG_SETUP_CODE = "The code is wrong or has expired. Enter the 6-digit code your app shows now."


# --- Second factor ---------------------------------------------------------------------------
def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """A new secret for this visit to the setup page.

    Anyone with the password can open the setup page, so a secret must not outlive the visit
    that showed it: the unconfirmed device from an earlier visit is replaced, and
    ``two_factor_enrol`` refuses one older than ``TOTP_SETUP_MINUTES``.
    """
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def totp_device_pending(*, user: User, device_id: int | None) -> TOTPDevice | None:
    """The unconfirmed device shown on this session's last visit to the setup page, if it is
    still the user's current one."""
    if device_id is None:
        return None
    return TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()


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
    if device.created_at is None or timezone.now() - device.created_at > timedelta(
        minutes=settings.TOTP_SETUP_MINUTES
    ):
        raise ValidationError(
            SETUP_EXPIRED.format(minutes=settings.TOTP_SETUP_MINUTES), code="setup_expired"
        )
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
            action=AccountAction.TWO_FACTOR_ENROLLED,
            actor=device.user,
            obj=device.user,
            request=request,
        )
    return codes


@transaction.atomic
def backup_codes_regenerate(*, user: User, request: HttpRequest | None = None) -> list[str]:
    """Replace the user's backup codes: the old ones stop working."""
    codes = _backup_codes_replace(user)
    audit_record(
        action=AccountAction.BACKUP_CODES_REGENERATED, actor=user, obj=user, request=request
    )
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


# --- Staff -----------------------------------------------------------------------------------
def manager_roles() -> set[str]:
    """The roles that may manage staff: losing the last of them would lock the school out."""
    return {role for role, held in ROLE_CAPABILITIES.items() if Capability.MANAGE_SCHOOL in held}


def roles_grantable(*, school: School, by: User, person: User | None = None) -> set[str]:
    """The roles ``by`` may tick for ``person`` in ``school`` (``None``: someone they invite).

    Only a headteacher gives or takes away a role that opens children's records; nobody gives
    themselves a role (they may only untick their own). ``staff_roles_set`` and
    ``staff_invite`` enforce the same rules; this is what the forms offer.
    """
    held = set(Membership.objects.filter(school=school, user=by).values_list("role", flat=True))
    if Capability.MANAGE_SCHOOL not in capabilities_for(held):
        return set()
    grantable = set(Role.values)
    if Role.HEADTEACHER not in held:
        grantable -= ROLES_THAT_SEE_CHILDREN
    if person is not None and person.pk == by.pk:
        grantable &= held
    return grantable


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
    """Give a person roles in ``school`` and email them.

    Someone new gets an account and a link to choose their password, made by the outbox
    worker as it sends, so the inviting school never sees it. Someone who already has an
    account (at any school, even with an invitation still pending there) gets no password
    link, only a sign-in link; and nothing said to the inviting school shows the name they
    use or the schools they belong to: the outbox and the pages use the name typed here.
    """
    roles = _valid_roles(roles)
    if not roles:
        raise ValidationError("Select at least one role.")
    email = email.strip().lower()
    memberships = list(Membership.objects.select_for_update().filter(school=school))
    _role_change_check(
        school=school, by=invited_by, person=None, old=set(), new=roles, memberships=memberships
    )
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and any(m.user_id == user.pk for m in memberships):
        raise ValidationError(
            f"Someone with the email address {email} is already a member of staff at "
            f"{school}. Change their roles from the staff list instead.",
            code="already_member",
        )
    new_account = user is None
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
    Membership.objects.bulk_create(
        Membership(user=user, school=school, role=role) for role in sorted(roles)
    )
    event = audit_record(
        action=AccountAction.STAFF_INVITED,
        actor=invited_by,
        school=school,
        obj=user,
        fields=["roles"],
        values={"roles": [[], sorted(roles)]},
        request=request,
    )
    message_queue(
        recipient=user.email,
        template="staff_invitation",
        context={
            "name": full_name,
            "invited_by": invited_by,
            "role_labels": _labels(roles),
            "new_account": new_account,
            "sign_in_url": sign_in_link(),
            "valid_days": password_reset_valid_days(),
        },
        dedupe_key=f"staff-invitation-{event.pk}",
        school=school,
        about=user,
        about_label=full_name,
        set_password_for=user if new_account else None,
    )
    # The invitation tells the person their roles; the heads hear of any that open children's
    # records.
    _children_roles_granted_notify(
        school=school,
        person=user,
        person_name=full_name,
        granted=roles,
        by=invited_by,
        event_pk=event.pk,
        tell_person=False,
    )
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

    Refuses what ``_role_change_check`` refuses: giving oneself a role, a role that opens
    children's records given or taken by anyone but a headteacher, and leaving the school
    without a headteacher or without anyone to manage staff.
    """
    new = _valid_roles(roles)
    # Lock the school's memberships so two managers cannot each remove the other at once.
    memberships = list(Membership.objects.select_for_update().filter(school=school))
    old = {m.role for m in memberships if m.user_id == user.pk}
    if not old:
        raise ValidationError(f"{user} is not a member of staff at {school}.")
    if old == new:
        return
    _role_change_check(
        school=school, by=changed_by, person=user, old=old, new=new, memberships=memberships
    )
    Membership.objects.filter(school=school, user=user, role__in=old - new).delete()
    Membership.objects.bulk_create(
        Membership(user=user, school=school, role=role) for role in sorted(new - old)
    )
    event = audit_record(
        action=AccountAction.STAFF_ROLES_CHANGED,
        actor=changed_by,
        school=school,
        obj=user,
        fields=["roles"],
        values={"roles": [sorted(old), sorted(new)]},
        request=request,
    )
    _children_roles_granted_notify(
        school=school,
        person=user,
        person_name=str(user),
        granted=new - old,
        by=changed_by,
        event_pk=event.pk,
        tell_person=True,
    )


def _role_change_check(
    *,
    school: School,
    by: User,
    person: User | None,
    old: set[str],
    new: set[str],
    memberships: list[Membership],
) -> None:
    """The rules for giving and taking roles. ``memberships`` are the school's, locked."""
    held = {m.role for m in memberships if m.user_id == by.pk}
    if Capability.MANAGE_SCHOOL not in capabilities_for(held):
        raise ValidationError(f"You cannot change who works at {school}.")
    added, removed = new - old, old - new
    if person is not None and person.pk == by.pk and added:
        raise ValidationError(
            "You cannot give yourself a role. Ask a headteacher at the school to do it."
        )
    children = (added | removed) & ROLES_THAT_SEE_CHILDREN
    if children and Role.HEADTEACHER not in held:
        raise ValidationError(
            f"Only a headteacher can give or take away the {_or(children)} role: "
            "it opens children's records."
        )
    if person is None:
        return
    others = [m for m in memberships if m.user_id != person.pk]
    if Role.HEADTEACHER in removed and not any(m.role == Role.HEADTEACHER for m in others):
        raise ValidationError(
            f"{person} is the only headteacher at {school}. "
            "Give someone else the headteacher role first."
        )
    managers = manager_roles()
    if old & managers and not new & managers and not any(m.role in managers for m in others):
        raise ValidationError(
            f"{person} is the only person who can manage staff at {school}. "
            f"Give someone else the {_or(managers)} role first."
        )


def _children_roles_granted_notify(
    *,
    school: School,
    person: User,
    person_name: str,
    granted: set[str],
    by: User,
    event_pk: int,
    tell_person: bool,
) -> None:
    """Email every headteacher of the school, and the person, that they were given a role
    that opens children's records. Nothing in it is a secret."""
    granted = granted & ROLES_THAT_SEE_CHILDREN
    if not granted:
        return
    context = {
        "person_name": person_name,
        "person_email": person.email,
        "granted_by": by,
        "role_labels": _labels(granted),
        "staff_url": f"{settings.SITE_URL}{reverse('accounts:staff')}",
    }
    heads = (
        User.objects.filter(
            memberships__school=school, memberships__role=Role.HEADTEACHER, is_active=True
        )
        .exclude(pk=person.pk)
        .distinct()
        .order_by("pk")
    )
    recipients = [(head, False) for head in heads]
    if tell_person:
        recipients.append((person, True))
    for recipient, to_person in recipients:
        message_queue(
            recipient=recipient.email,
            template="staff_role_granted",
            context={**context, "to_person": to_person},
            dedupe_key=f"staff-role-granted-{event_pk}-{recipient.pk}",
            school=school,
            about=person,
            about_label=person_name,
        )


def _labels(roles: set[str]) -> list[str]:
    return [Role(r).label for r in Role.values if r in roles]


def _or(roles: set[str]) -> str:
    return " or ".join(label.lower() for label in _labels(roles))


def _valid_roles(roles: Iterable[str]) -> set[str]:
    chosen = set(roles)
    unknown = chosen - set(Role.values)
    if unknown:
        raise ValidationError(f"Unknown role: {', '.join(sorted(unknown))}.")
    return chosen
