from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "concerns"
    verbose_name = "Safeguarding concerns"

    def ready(self):
        from concerns import (
            chronology,  # noqa: F401  (registers the "concerns" chronology source)
            report_kinds,  # noqa: F401  (registers the "concern_chronology_pdf" report run)
        )
        from concerns.audit import ConcernAction
        from core.sensitivity import register_safeguarding_actions

        register_safeguarding_actions(ConcernAction)

        from concerns.report_sections import register_all

        # The dashboard's section (DSL team and head only) and the DSL team's work queue.
        register_all()

        from pupils.leaving import register_task_page
        from pupils.models import LeavingTask

        # The checklist's item links to the transfer page, which confirms it when receipt is.
        register_task_page(LeavingTask.Item.CP_FILE_TRANSFERRED, "concerns:cp_file")

        from concerns.services import concern_from_safety_worry
        from pupils.safety_hooks import on_safety_worry

        # A child's safety answer before a PEP meeting becomes a concern for the DSL team.
        on_safety_worry(concern_from_safety_worry)
