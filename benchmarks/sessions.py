"""Signed-in sessions without a password or a TOTP code: a session as Harbour's sign-in leaves
it (user, backend, hash, verified device, chosen school), written to the session store. Used by
the in-process clients and handed to locust as cookies."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.middleware import SCHOOL_SESSION_KEY
from accounts.models import User


def session_key(user_id: int, device_id: str, school_id: int) -> str:
    user = User.objects.get(pk=user_id)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device_id
    store[SCHOOL_SESSION_KEY] = school_id
    store.save()
    return store.session_key


def signed_in_client(user_id: int, device_id: str, school_id: int) -> Client:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key(user_id, device_id, school_id)
    return client
