"""What other apps supply to a PEP, without peps importing them nor them importing peps
(import-linter: the feature apps are independent). An app offers a provider by naming it on
its AppConfig::

    # attendance/apps.py
    class AttendanceConfig(AppConfig):
        # peps.providers: the PEP's attendance section.
        pep_providers = {"attendance_summary": "attendance.pep_provider.attendance_summary"}

A provider takes keyword arguments (``pupil=``, ``until=``: the meeting date) and returns rows
of (label, text) for the PEP's page and PDF, or [] when it has nothing to say. ``provide``
returns [] when no installed app offers the name.
"""

import datetime as dt
from collections.abc import Callable
from functools import cache

from django.apps import apps
from django.utils.module_loading import import_string

# The school year's attendance up to ``until`` (the meeting date).
ATTENDANCE_SUMMARY = "attendance_summary"

Rows = list[tuple[str, str]]


@cache
def _providers() -> dict[str, Callable[..., Rows]]:
    found: dict[str, Callable[..., Rows]] = {}
    for config in apps.get_app_configs():
        for name, path in getattr(config, "pep_providers", {}).items():
            found[name] = import_string(path)
    return found


def provide(name: str, *, pupil, until: dt.date) -> Rows:
    provider = _providers().get(name)
    return provider(pupil=pupil, until=until) if provider else []
