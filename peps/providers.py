"""Sections of a PEP that other apps fill in (exclusions, attendance, PP+), without peps
importing them: feature apps are independent (import-linter), so each registers a provider
here from its ``AppConfig.ready``. Feature apps may not import each other (import-linter), so
it registers through Django's app registry rather than an import::

    # exclusions/apps.py
    def ready(self):
        from django.apps import apps
        if apps.is_installed("peps"):
            apps.get_app_config("peps").register_pep_provider("exclusions", pep_exclusion_fields)

A provider is ``provider(pupil, *, term, today) -> dict`` of ``PersonalEducationPlan`` field
values (``{"suspensions": 1, "suspension_days": Decimal("3")}``); ``pep_start`` fills a new
draft from every provider. A provider that raises a ``ValidationError`` (term dates missing,
say) is left out: the teacher types the figures instead.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError

PepProvider = Callable[..., dict]

_PROVIDERS: dict[str, PepProvider] = {}


def register_pep_provider(name: str, provider: PepProvider) -> None:
    """Register (or, for the same name, replace) the provider of one app."""
    _PROVIDERS[name] = provider


def pep_fields_from_providers(pupil, *, term, today) -> dict:
    values: dict = {}
    for provider in _PROVIDERS.values():
        try:
            values.update(provider(pupil, term=term, today=today))
        except ValidationError:
            continue
    return values
