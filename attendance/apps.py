from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "attendance"

    def ready(self):
        from attendance import (
            chronology,  # noqa: F401  (registers the "attendance" chronology source)
            import_kinds,  # noqa: F401  (the "attendance_marks" and "attendance_ctf" kinds)
        )
        from attendance.pep_provider import attendance_summary
        from attendance.record_summary import attendance_record_summary
        from attendance.report_sections import register_attendance_sections
        from pupils import pep_hooks, record_summaries

        # The PEP's attendance section, through the registry below both apps.
        pep_hooks.summary_provider(pep_hooks.ATTENDANCE_SUMMARY, attendance_summary)
        # The term's figure and flags on the child's main record page.
        record_summaries.register("attendance", attendance_record_summary)
        # The dashboard's and governors' report's section and the DT's work queue item.
        register_attendance_sections()
