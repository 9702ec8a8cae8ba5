"""Harbour's settings for `make bench` only: production settings plus the floor's URL.

Everything else (middleware, templates, database, sessions) is config.settings unchanged, so the
floor and the pages go through the same stack. Nothing in production imports this module.
"""

from config.settings import *  # noqa: F403

# The floor page (benchmarks/urls.py) exists only under these settings.
ROOT_URLCONF = "benchmarks.urls"
# The in-process measurements use Django's test client, whose host is "testserver".
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
# django-axes counts sign-in failures; the benchmark never signs in by password.
AXES_ENABLED = False
