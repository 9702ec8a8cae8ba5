"""Create a fictional school with term dates, one user per role, a fictional cohort, its
PEPs, the training record and a published governors' report. The content is in demo/data/; the
code that writes it is demo/schools.py, demo/pupils.py, demo/peps.py and demo/reports.py. Safe
to run again: it updates what exists."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from demo.attendance import load_demo_attendance
from demo.concerns import load_demo_concerns
from demo.contributions import load_demo_contributions
from demo.exclusions import load_demo_exclusions
from demo.peps import load_demo_peps
from demo.pupil_premium import load_demo_pupil_premium
from demo.pupils import load_demo_pupils
from demo.reports import load_demo_reports
from demo.schools import DEMO_PASSWORD, Login, load_demo_schools

NON_DELIVERING_BACKENDS = {
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


class Command(BaseCommand):
    help = "Load the fictional demo school, its term dates, users, pupils, PEPs and concerns."

    @transaction.atomic
    def handle(self, *args, **options):
        # The demo's children belong to real local authorities, whose Virtual Schools' real
        # addresses are in the directory: a demo PEP or reminder must never reach them.
        if settings.EMAIL_BACKEND not in NON_DELIVERING_BACKENDS:
            raise CommandError(
                "load_demo writes fictional children whose PEPs are emailed to real Virtual "
                f"Schools; it runs only where email is not delivered (EMAIL_BACKEND is "
                f"{settings.EMAIL_BACKEND})."
            )
        school, logins = load_demo_schools()
        today = timezone.localdate()
        load_demo_pupils(school, today=today)
        load_demo_peps(school, today=today)
        load_demo_contributions(school, today=today)
        load_demo_pupil_premium(school, today=today)
        load_demo_concerns(school, today=today)
        load_demo_attendance(school, today=today)
        load_demo_exclusions(school, today=today)
        # Last: the governors' report is made from everything above.
        load_demo_reports(school, today=today)
        self._write_logins(logins)
        self.stdout.write(self.style.SUCCESS(f"Demo school ready: {school.name}"))

    def _write_logins(self, logins: list[Login]) -> None:
        lines = [f"Demo logins (password for all: {DEMO_PASSWORD})"]
        lines += [f"  {login.email:<32} {login.roles}" for login in logins]
        if not settings.TWO_FACTOR_REQUIRED:
            lines.append("Two-factor sign-in is off for this demo (TWO_FACTOR_REQUIRED=false).")
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        (settings.VAR_DIR / "demo-logins.txt").write_text("\n".join(lines) + "\n")
        self.stdout.write("\n".join(lines))
