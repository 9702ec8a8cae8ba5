from django.apps import AppConfig


class ExclusionsConfig(AppConfig):
    name = "exclusions"
    verbose_name = "Suspensions and exclusions"

    def ready(self):
        from django.apps import apps

        from exclusions import (
            chronology,  # noqa: F401  (registers the "exclusions" chronology source)
            report_kinds,  # noqa: F401  (registers the "exclusion_letter" report run)
        )
        from exclusions.pep import pep_exclusion_fields

        # The PEP's exclusions section is filled from here; feature apps do not import each
        # other, so through the peps app's config (peps.providers), not an import.
        if apps.is_installed("peps"):
            apps.get_app_config("peps").register_pep_provider("exclusions", pep_exclusion_fields)
