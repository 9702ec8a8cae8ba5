from django.apps import AppConfig


class PepsConfig(AppConfig):
    name = "peps"
    verbose_name = "Personal Education Plans"

    def ready(self):
        from notifications.services import register_send_time_secret
        from peps import (
            chronology,  # noqa: F401  (registers the "peps" chronology source)
            report_kinds,  # noqa: F401  (registers the "pep_pdf" report run)
        )
        from peps.contributions import services as contributions
        from peps.contributions import (
            tasks,  # noqa: F401  (the chasing sweep's task)
            work_queue,
        )

        # The contributor's link and code are made as their emails are sent, never stored.
        register_send_time_secret(contributions.LINK_TEMPLATE, contributions.make_link_secret)
        register_send_time_secret(contributions.CODE_TEMPLATE, contributions.make_code_secret)
        # The designated teacher's home page: answers waiting, and meetings near unanswered.
        work_queue.register()
