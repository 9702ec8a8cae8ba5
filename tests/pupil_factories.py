"""factory_boy factories for pupils, their status episodes and their contacts.

These write rows directly, without the rules in ``pupils.services``: use them to arrange a test,
and the services when the rule is what the test is about.
"""

import datetime as dt

import factory

from pupils.models import CareEpisode, Contact, ContactKind, EpisodeKind, Pupil
from pupils.upn import check_letter
from tests.factories import SchoolFactory, UserFactory


def valid_upn(n: int, la_code: str = "873") -> str:
    tail = f"{la_code}4000{n % 100:02d}{n // 100 % 1000:03d}"
    return check_letter(tail) + tail


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    legal_forename = factory.Faker("first_name", locale="en_GB")
    legal_surname = factory.Faker("last_name", locale="en_GB")
    date_of_birth = dt.date(2015, 5, 17)
    sex = "F"
    upn = factory.Sequence(valid_upn)
    admission_date = dt.date(2020, 9, 2)


class CareEpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareEpisode

    pupil = factory.SubFactory(PupilFactory)
    kind = EpisodeKind.IN_CARE
    start_date = dt.date(2022, 1, 10)
    end_date = None
    legal_basis = ""


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    pupil = factory.SubFactory(PupilFactory)
    kind = ContactKind.SOCIAL_WORKER
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"worker{n}@socialcare.test")
    start_date = dt.date(2022, 1, 10)


class KeyAdultFactory(ContactFactory):
    """A key adult: a member of staff of the pupil's school (pass ``user=`` for a given one)."""

    kind = ContactKind.KEY_ADULT
    name = ""
    email = ""
    user = factory.SubFactory(UserFactory)
