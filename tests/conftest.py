"""Personas and fixtures shared by every app's tests.

Clients are named by role (``dt_client``, ``dsl_client`` ...): each is signed in with a
verified second factor at ``school``. ``other_school`` has its own designated teacher, for
proving that one school never sees another's records.
"""

from contextlib import contextmanager

import pytest
from django.db import connection
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.roles import Role
from tests.factories import MembershipFactory, SchoolFactory, TOTPDeviceFactory, UserFactory


@pytest.fixture(autouse=True, scope="session")
def _postgresql_only(django_db_setup, django_db_blocker):
    # The suite proves Harbour on the database it runs on in production; `make test` starts a
    # throwaway PostgreSQL. Running it against SQLite would prove something else.
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.exit("Run the tests with `make test`: they need PostgreSQL and Redis.", 2)


# `make test-quick` leaves out the `browser` and `slow` markers. A test that uses one of these
# fixtures gets its marker whether or not its module remembered it, so the quick run never
# starts Chromium, a worker or a server by accident.
MARKED_BY_FIXTURE = {
    "browser": "browser",  # tests/browser/conftest.py: Chromium (its `page` fixture uses it)
    "live_server": "slow",
    "workers": "slow",  # tests/notifications/conftest.py: Celery workers
    "embedded_stack": "slow",  # tests/test_embedded_stack.py: `make run`'s processes
}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        for fixture, marker in MARKED_BY_FIXTURE.items():
            if fixture in fixtures and item.get_closest_marker(marker) is None:
                item.add_marker(marker)


def sign_in(client, user):
    """Sign ``user`` in on ``client`` as if they had given their password and a TOTP code."""
    device = user.totpdevice_set.filter(confirmed=True).first() or TOTPDeviceFactory(user=user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def render_report_runs() -> int:
    """Make every queued report run's document, as the Celery worker would (its task calls the
    same service). Returns how many were made."""
    from core.models import ReportRun
    from core.report_runs import RenderOutcome, report_run_render

    queued = ReportRun.objects.filter(state=ReportRun.State.QUEUED).order_by("pk")
    outcomes = [report_run_render(run_pk=pk) for pk in queued.values_list("pk", flat=True)]
    return outcomes.count(RenderOutcome.READY)


def member(school, *roles, **user_fields):
    user = UserFactory(**user_fields)
    for role in roles:
        MembershipFactory(user=user, school=school, role=role)
    return user


@pytest.fixture
def school(db):
    return SchoolFactory(name="Fenbridge Academy")


@pytest.fixture
def other_school(db):
    return SchoolFactory(name="Elsewhere Primary School")


@pytest.fixture
def make_client(db):
    """``make_client(school, Role.X, ...)``: a fresh client signed in as a new member."""
    from django.test import Client

    def make(school, *roles, **user_fields):
        return sign_in(Client(), member(school, *roles, **user_fields))

    return make


def _persona(role):
    @pytest.fixture
    def fixture(make_client, school):
        return make_client(school, role)

    return fixture


dt_client = _persona(Role.DESIGNATED_TEACHER)
dsl_client = _persona(Role.DSL)
deputy_dsl_client = _persona(Role.DEPUTY_DSL)
head_client = _persona(Role.HEADTEACHER)
governor_client = _persona(Role.GOVERNOR)
staff_client = _persona(Role.STAFF)
school_admin_client = _persona(Role.ADMINISTRATOR)  # pytest-django owns `admin_client`


@pytest.fixture
def other_school_dt_client(make_client, other_school):
    return make_client(other_school, Role.DESIGNATED_TEACHER)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs about half a second a password; the tests sign in hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """``with run_tasks(): ...``: the Celery tasks the block queues with
    ``transaction.on_commit`` run when it exits, in this process (Celery's eager mode on the
    real app: real tasks and services on the test's database connection), as a worker would once
    the request commits. tests/notifications/conftest.py has real workers for the broker path."""
    from config.celery import app as celery_app

    @contextmanager
    def run():
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = True
        try:
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                yield callbacks
        finally:
            celery_app.conf.task_always_eager = eager

    return run
