from django.apps import AppConfig


class PepsConfig(AppConfig):
    name = "peps"
    verbose_name = "Personal Education Plans"

    def ready(self):
        from peps import (
            chronology,  # noqa: F401  (registers the "peps" chronology source)
            report_kinds,  # noqa: F401  (registers the "pep_pdf" report run)
        )
