"""factory_boy factories for PEPs. They write rows directly, without the rules in
``peps.services``: use them to arrange a test, and the services when the rule is the point."""

import datetime as dt
from decimal import Decimal

import factory

from peps.models import (
    PepAttendee,
    PepTarget,
    PersonalEducationPlan,
    SdqScore,
    TargetArea,
)
from tests.pupil_factories import PupilFactory


class PepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonalEducationPlan

    pupil = factory.SubFactory(PupilFactory)
    term = None  # pass a schools.models.Term of the pupil's school


class CompletedPepFactory(PepFactory):
    status = PersonalEducationPlan.Status.COMPLETED
    meeting_date = dt.date(2026, 10, 14)
    next_meeting_date = dt.date(2027, 2, 3)
    voice_going_well = "I like art club"
    voice_how_gathered = "At the meeting"
    completed_at = factory.LazyFunction(lambda: dt.datetime(2026, 10, 15, 16, 0, tzinfo=dt.UTC))
    completed_by = factory.SubFactory("tests.factories.UserFactory")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PepTarget

    pep = factory.SubFactory(PepFactory)
    area = TargetArea.ACADEMIC
    action = "Read with Mr Hale for 20 minutes on Tuesdays and Thursdays"
    success_measure = "Reading age up from 8y2m to 9y"
    responsible = "Mr Hale, class teacher"
    due_by = dt.date(2027, 2, 1)
    pp_plus_amount = Decimal("0")


class AttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PepAttendee

    pep = factory.SubFactory(PepFactory)
    role = PepAttendee.Role.CARER
    name = "Sam Carter"
    attendance = PepAttendee.Attendance.PRESENT


class SdqFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SdqScore

    pupil = factory.SubFactory(PupilFactory)
    taken_on = dt.date(2026, 6, 1)
    informant = "carer"
    emotional = 3
    conduct = 2
    hyperactivity = 5
    peer = 4
    prosocial = 8
    impact = 1
