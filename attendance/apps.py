from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "attendance"

    def ready(self):
        from attendance import (
            chronology,  # noqa: F401  (registers the "attendance" chronology source)
            import_kinds,  # noqa: F401  (registers the "attendance_marks" import kind)
        )
        from attendance.pep_provider import attendance_summary
        from pupils import pep_hooks

        # The PEP's attendance section, through the registry below both apps.
        pep_hooks.summary_provider(pep_hooks.ATTENDANCE_SUMMARY, attendance_summary)
