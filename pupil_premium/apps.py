from django.apps import AppConfig


class PupilPremiumConfig(AppConfig):
    name = "pupil_premium"
    verbose_name = "Pupil Premium Plus"

    def ready(self):
        from pupil_premium import (
            chronology,  # noqa: F401  (registers the "pupil_premium" chronology source)
            services,
        )
        from pupils import pep_hooks

        # A completed PEP's PP+ requests and reviews reach the ledger; the PEP page and PDF
        # show each target's PP+ status.
        pep_hooks.on_pep_completed(services.pep_completed)
        pep_hooks.target_status_provider(services.target_statuses)

        # The head's dashboard, the governors' report and the home page's work queues.
        from pupil_premium.report_sections import register_sections

        register_sections()
