"""factory_boy factories for the PP+ ledger. They write rows directly, without the rules in
``pupil_premium.services``: use them to arrange a test, and the services when the rule is the
point."""

import datetime as dt
from decimal import Decimal

import factory

from pupil_premium.models import PpAllocation, PpItem
from tests.pupil_factories import PupilFactory


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PpAllocation

    pupil = factory.SubFactory(PupilFactory)
    school = factory.LazyAttribute(lambda a: a.pupil.school)
    financial_year = 2026
    group = "cpic"
    amount = Decimal("2630.00")
    source = "census"


class ItemFactory(factory.django.DjangoModelFactory):
    """A previously-in-care child's request (no PEP target needed)."""

    class Meta:
        model = PpItem

    pupil = factory.SubFactory(PupilFactory)
    school = factory.LazyAttribute(lambda i: i.pupil.school)
    group = "cpic"
    financial_year = 2026
    date = dt.date(2026, 10, 5)
    description = "Weekly maths tutoring"
    category = "tuition"
    amount = Decimal("450.00")
