from django.apps import AppConfig


class ExclusionsConfig(AppConfig):
    name = "exclusions"
    verbose_name = "Suspensions and exclusions"

    def ready(self):
        from exclusions import (
            chronology,  # noqa: F401  (registers the "exclusions" chronology source)
            report_kinds,  # noqa: F401  (registers the "exclusion_letter" report run)
        )
        from exclusions.pep import pep_exclusion_fields
        from exclusions.sections import register_sections
        from pupils import pep_hooks

        # The PEP's exclusions section is filled from here, through the registry below both
        # apps (feature apps do not import each other).
        pep_hooks.pep_fields_provider("exclusions", pep_exclusion_fields)
        # The dashboard's and reports' section, and the home page's work queues.
        register_sections()
