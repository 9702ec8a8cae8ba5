"""Create a fictional school with term dates, one user per role and (when the pupils app
provides it) a fictional cohort. Safe to run again: it updates what exists."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, User
from accounts.roles import Role
from peps.demo import load_demo_peps
from pupils.demo import load_demo_pupils
from schools.models import AcademicYear, Closure, School, Term

DEMO_PASSWORD = "harbour-demo-password"  # noqa: S105 (fictional demo accounts only)
DEMO_DOMAIN = "fenbridge.example"
NON_DELIVERING_BACKENDS = {
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}  # RFC 2606: never a real mailbox

USERS = [
    ("dt", "Priya Shah", [Role.DESIGNATED_TEACHER]),
    ("dsl", "Tom Okafor", [Role.DSL]),
    ("deputy-dsl", "Grace Lewis", [Role.DEPUTY_DSL]),
    ("head", "Helen Marsh", [Role.HEADTEACHER]),
    ("governor", "Martin Cole", [Role.GOVERNOR]),
    ("staff", "Sam Turner", [Role.STAFF]),
    ("admin", "Jo Bennett", [Role.ADMINISTRATOR]),
]

# (term, first day, last day, half-term first day, half-term last day)
TERM_DATES = {
    2025: [
        ("autumn", (2025, 9, 3), (2025, 12, 19), (2025, 10, 27), (2025, 10, 31)),
        ("spring", (2026, 1, 5), (2026, 3, 27), (2026, 2, 16), (2026, 2, 20)),
        ("summer", (2026, 4, 13), (2026, 7, 21), (2026, 5, 25), (2026, 5, 29)),
    ],
    2026: [
        ("autumn", (2026, 9, 2), (2026, 12, 18), (2026, 10, 26), (2026, 10, 30)),
        ("spring", (2027, 1, 4), (2027, 3, 26), (2027, 2, 15), (2027, 2, 19)),
        ("summer", (2027, 4, 12), (2027, 7, 21), (2027, 5, 31), (2027, 6, 4)),
    ],
}
CLOSURES = [
    ((2026, 1, 5), "INSET day"),
    ((2026, 5, 4), "Early May bank holiday"),
    ((2026, 9, 2), "INSET day"),
    ((2027, 1, 4), "INSET day"),
    ((2027, 5, 3), "Early May bank holiday"),
]


class Command(BaseCommand):
    help = "Load the fictional demo school, its term dates, users and pupils."

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
        school, _ = School.objects.update_or_create(
            urn="999001",
            defaults={
                "name": "Fenbridge Academy",
                "la_code": "873",
                "establishment_number": "4999",
                "local_authority_name": "Cambridgeshire",
            },
        )
        second, _ = School.objects.update_or_create(
            urn="999002",
            defaults={
                "name": "Ashby Community Primary School",
                "la_code": "873",
                "establishment_number": "2999",
                "local_authority_name": "Cambridgeshire",
            },
        )
        self._term_dates(school)
        self._term_dates(second)
        logins = []
        for local_part, name, roles in USERS:
            user = self._user(f"{local_part}@{DEMO_DOMAIN}", name)
            for role in roles:
                Membership.objects.get_or_create(user=user, school=school, role=role)
            logins.append((user.email, ", ".join(Role(r).label for r in roles)))
        # The administrator works for the trust and looks after both schools: they choose one.
        admin = User.objects.get(email=f"admin@{DEMO_DOMAIN}")
        Membership.objects.get_or_create(user=admin, school=second, role=Role.ADMINISTRATOR)
        self._pupils(school)
        self._write_logins(logins)
        self.stdout.write(self.style.SUCCESS(f"Demo school ready: {school.name}"))

    def _user(self, email: str, name: str) -> User:
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
        if created or not user.check_password(DEMO_PASSWORD):
            user.full_name = name
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def _term_dates(self, school: School) -> None:
        for start_year, terms in TERM_DATES.items():
            year, _ = AcademicYear.objects.get_or_create(school=school, start_year=start_year)
            for name, first, last, ht_first, ht_last in terms:
                Term.objects.update_or_create(
                    academic_year=year,
                    name=name,
                    defaults={
                        "first_day": dt.date(*first),
                        "last_day": dt.date(*last),
                        "half_term_first_day": dt.date(*ht_first),
                        "half_term_last_day": dt.date(*ht_last),
                    },
                )
        for day, reason in CLOSURES:
            Closure.objects.get_or_create(
                school=school, first_day=dt.date(*day), last_day=dt.date(*day), reason=reason
            )

    def _pupils(self, school: School) -> None:
        load_demo_pupils(school, today=timezone.localdate())
        load_demo_peps(school, today=timezone.localdate())

    def _write_logins(self, logins: list[tuple[str, str]]) -> None:
        lines = [f"Demo logins (password for all: {DEMO_PASSWORD})"]
        lines += [f"  {email:<32} {roles}" for email, roles in logins]
        if not settings.TWO_FACTOR_REQUIRED:
            lines.append("Two-factor sign-in is off for this demo (TWO_FACTOR_REQUIRED=false).")
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        (settings.VAR_DIR / "demo-logins.txt").write_text("\n".join(lines) + "\n")
        self.stdout.write("\n".join(lines))
