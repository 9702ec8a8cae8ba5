from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "attendance"
    # peps.providers: the PEP's attendance section, without peps importing attendance.
    pep_providers = {"attendance_summary": "attendance.pep_provider.attendance_summary"}

    def ready(self):
        from attendance import (
            chronology,  # noqa: F401  (registers the "attendance" chronology source)
            import_kinds,  # noqa: F401  (registers the "attendance_marks" import kind)
        )
