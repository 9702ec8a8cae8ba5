"""Settings come from the environment through a parser that refuses what cannot be meant, and
the production settings the README documents pass Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_networks

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("1", True), ("no", False)])
def test_booleans_read_the_usual_words(monkeypatch, raw, expected):
    monkeypatch.setenv("HARBOUR_FLAG", raw)
    assert env_bool("HARBOUR_FLAG", not expected) is expected


def test_a_misspelt_boolean_stops_harbour(monkeypatch):
    monkeypatch.setenv("DEBUG", "ture")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        env_bool("DEBUG", False)


def test_numbers_and_choices_are_checked(monkeypatch):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "thirty")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("SESSION_IDLE_MINUTES", 30)
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT must be one of"):
        env_choice("LOG_FORMAT", "text", {"text", "json"})


def test_unset_values_take_the_embedded_defaults(monkeypatch):
    monkeypatch.delenv("ALLOWED_HOSTS", raising=False)
    assert env_list("ALLOWED_HOSTS", ["127.0.0.1"]) == ["127.0.0.1"]
    monkeypatch.setenv("ALLOWED_HOSTS", "harbour.example.org, www.harbour.example.org")
    assert env_list("ALLOWED_HOSTS", []) == ["harbour.example.org", "www.harbour.example.org"]


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    # The test run's own variables (the browser tests' async switch) are not production's.
    env = {
        **_production_environment(),
        "DEBUG": "false",
        "SECRET_KEY": "k3y-" + "x7Qp9-Lm2Vr8-Zt4Wn6-Hs1Jd5-Fb3Gc0-Ya8Ue2-Ri9Oo7-Pw",
        "HTTPS": "true",
        "ALLOWED_HOSTS": "harbour.example.org",
        "HARBOUR_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# The test run's own switches (the browser tests' async switch, the permission to sign with the
# development key) are not production's.
_TEST_RUN_ONLY = {"DJANGO_ALLOW_ASYNC_UNSAFE", "HARBOUR_ALLOW_DEV_KEY", "SECRET_KEY", "DEBUG"}


def _production_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in _TEST_RUN_ONLY}


def _load_settings(tmp_path, **variables: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh Python, as gunicorn or a Celery worker would start."""
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env={**_production_environment(), "HARBOUR_VAR_DIR": str(tmp_path), **variables},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "secret_key",
    [None, "", "django-insecure-harbour-local-only-never-use-in-production"],
    ids=["unset", "empty", "the-public-key"],
)
def test_production_refuses_to_start_with_the_public_development_key(tmp_path, secret_key):
    variables = {"DEBUG": "false"}
    if secret_key is not None:
        variables["SECRET_KEY"] = secret_key
    result = _load_settings(tmp_path, **variables)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is empty or the public development key" in (
        result.stderr
    )


def test_a_demo_says_so_to_use_the_development_key(tmp_path):
    assert _load_settings(tmp_path, HARBOUR_ALLOW_DEV_KEY="true").returncode == 0


def test_debug_on_a_laptop_may_use_the_development_key(tmp_path):
    assert _load_settings(tmp_path, DEBUG="true").returncode == 0


def test_a_real_key_needs_no_permission(tmp_path):
    result = _load_settings(
        tmp_path, SECRET_KEY="k3y-" + "Zt4Wn6-Hs1Jd5-Fb3Gc0-Ya8Ue2-Ri9Oo7-Pw-x7Qp9"
    )
    assert result.returncode == 0, result.stderr


def test_trusted_proxies_are_addresses_or_networks(monkeypatch):
    monkeypatch.setenv("HARBOUR_TRUSTED_PROXIES", "10.0.0.5, 172.16.0.0/12, ::1")
    assert [str(n) for n in env_networks("HARBOUR_TRUSTED_PROXIES")] == [
        "10.0.0.5/32",
        "172.16.0.0/12",
        "::1/128",
    ]
    monkeypatch.delenv("HARBOUR_TRUSTED_PROXIES")
    assert env_networks("HARBOUR_TRUSTED_PROXIES") == ()
    monkeypatch.setenv("HARBOUR_TRUSTED_PROXIES", "proxy.example.org")
    with pytest.raises(ImproperlyConfigured, match="HARBOUR_TRUSTED_PROXIES must list IP"):
        env_networks("HARBOUR_TRUSTED_PROXIES")
