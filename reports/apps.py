from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Dashboard and reports"

    def ready(self):
        from reports import (
            deadlines,
            documents,  # noqa: F401  (registers the "governors_report" run)
        )
        from reports.sections import register_sections
        from reports.work_queues import register_work_queues

        register_sections()
        register_work_queues()
        deadlines.register()
