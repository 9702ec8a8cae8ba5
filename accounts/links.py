"""Links Harbour emails to a person. A set-password link is a working secret: it is made only
by the outbox worker as it sends (``notifications.services``), never stored or shown."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User


def set_password_link(user: User) -> str:
    """A fresh link that lets ``user`` choose a password. Django's token is derived from the
    user's state (password hash, last sign-in), so it stops working once they use it."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def sign_in_link() -> str:
    return f"{settings.SITE_URL}{reverse('accounts:login')}"


def password_reset_valid_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))
