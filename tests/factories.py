"""factory_boy factories for the foundation's models. Each later app adds its own module."""

import datetime as dt

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, User
from accounts.roles import Role
from schools.models import AcademicYear, Closure, School, Term, VirtualSchool

PASSWORD = "correct horse battery staple"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Test School {n}")
    urn = factory.Sequence(lambda n: f"{900000 + n}")
    la_code = "873"
    establishment_number = factory.Sequence(lambda n: f"{4000 + n % 6000:04d}")
    local_authority_name = "Cambridgeshire"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@school.test")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.DESIGNATED_TEACHER


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True


class VirtualSchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VirtualSchool
        django_get_or_create = ("la_code",)

    local_authority_name = factory.Sequence(lambda n: f"Authority {n}")
    la_code = factory.Sequence(lambda n: f"{100 + n % 800:03d}")
    email = factory.LazyAttribute(lambda o: f"virtualschool@la{o.la_code}.test")


def add_year(
    school: School,
    start_year: int,
    *,
    autumn=((9, 3), (12, 18), (10, 27), (10, 31)),
    spring=((1, 5), (3, 27), (2, 16), (2, 20)),
    summer=((4, 13), (7, 21), (5, 25), (5, 29)),
) -> AcademicYear:
    """An academic year with three terms and their half-term breaks, as (month, day) pairs:
    (first day, last day, half-term first day, half-term last day)."""
    year = AcademicYear.objects.create(school=school, start_year=start_year)
    for name, dates in (("autumn", autumn), ("spring", spring), ("summer", summer)):
        calendar_year = start_year if name == "autumn" else start_year + 1
        first, last, ht_first, ht_last = (dt.date(calendar_year, m, d) for m, d in dates)
        Term.objects.create(
            academic_year=year,
            name=name,
            first_day=first,
            last_day=last,
            half_term_first_day=ht_first,
            half_term_last_day=ht_last,
        )
    return year


def add_closure(school: School, first: dt.date, last: dt.date | None = None, reason="INSET day"):
    return Closure.objects.create(
        school=school, first_day=first, last_day=last or first, reason=reason
    )
