"""The demo's schools, staff logins and term dates, read from ``demo/data/school.toml``.
Running it again updates what exists and adds nothing."""

from dataclasses import dataclass

from accounts.models import Membership, User
from accounts.roles import Role
from demo.datafile import read_datafile
from schools.models import AcademicYear, Closure, School, Term

DEMO_PASSWORD = "harbour-demo-password"  # noqa: S105 (fictional demo accounts only)


@dataclass(frozen=True)
class Login:
    email: str
    roles: str  # their labels, for the list of demo logins


def load_demo_schools() -> tuple[School, list[Login]]:
    """Create or update the demo schools, their term dates and the demo staff. Returns the
    demo school (the first in the file) and the logins, in the file's order."""
    data = read_datafile("school")
    schools = []
    for entry in data["schools"]:
        details = dict(entry)
        school, _ = School.objects.update_or_create(urn=details.pop("urn"), defaults=details)
        schools.append(school)
    for school in schools:
        load_demo_term_dates(school)
    school = schools[0]
    by_urn = {s.urn: s for s in schools}
    logins, elsewhere = [], []
    for entry in data["users"]:
        roles = [Role(role) for role in entry["roles"]]
        user = _user(f"{entry['login']}@{data['domain']}", entry["name"])
        for role in roles:
            Membership.objects.get_or_create(user=user, school=school, role=role)
        logins.append(Login(user.email, ", ".join(role.label for role in roles)))
        elsewhere += [(user, by_urn[urn], roles) for urn in entry.get("also_at", ())]
    for user, other, roles in elsewhere:
        for role in roles:
            Membership.objects.get_or_create(user=user, school=other, role=role)
    return school, logins


def _user(email: str, name: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
    if created or not user.check_password(DEMO_PASSWORD):
        user.full_name = name
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def load_demo_term_dates(school: School) -> None:
    """The demo's school years, terms and closures, for ``school``. Idempotent."""
    data = read_datafile("school")
    for entry in data["years"]:
        year, _ = AcademicYear.objects.get_or_create(school=school, start_year=entry["start_year"])
        for term in entry["terms"]:
            half_term_first_day, half_term_last_day = term["half_term"]
            Term.objects.update_or_create(
                academic_year=year,
                name=term["name"],
                defaults={
                    "first_day": term["first_day"],
                    "last_day": term["last_day"],
                    "half_term_first_day": half_term_first_day,
                    "half_term_last_day": half_term_last_day,
                },
            )
    for closure in data["closures"]:
        Closure.objects.get_or_create(
            school=school,
            first_day=closure["day"],
            last_day=closure["day"],
            reason=closure["reason"],
        )
