"""Arranging the pathway's tests: a school with 2026 to 2027 term dates (tests.factories) and
a child in care with a parent, a social worker and a confirmed Virtual School address."""

import datetime as dt

from accounts.roles import Role
from exclusions.models import ExclusionSettings, SuspensionRisk
from pupils.models import ContactKind
from schools.models import VirtualSchoolContact
from tests.conftest import member
from tests.factories import VirtualSchoolFactory, add_year
from tests.pupil_factories import CareEpisodeFactory, ContactFactory, PupilFactory

# Wednesday 14 October 2026: autumn term, before half term (27 to 31 October).
DAY = dt.date(2026, 10, 14)


def school_ready(school):
    if not school.academic_years.filter(start_year=2026).exists():
        add_year(school, 2026)
    ExclusionSettings.objects.get_or_create(
        school=school,
        defaults={
            "local_authority_email": "exclusions@la.test",
            "local_authority_confirmed_email": "exclusions@la.test",
            "governing_board_email": "clerk@school.test",
            "governing_board_confirmed_email": "clerk@school.test",
        },
    )
    return school


def child(school, *, in_care=True, previously=False, social_worker=True, parent=True):
    school_ready(school)
    pupil = PupilFactory(school=school)
    if in_care:
        vs = VirtualSchoolFactory(la_code="873")
        VirtualSchoolContact.objects.get_or_create(
            school=school, virtual_school=vs, defaults={"confirmed_email": vs.email}
        )
        CareEpisodeFactory(pupil=pupil, responsible_authority=vs)
    if previously:
        CareEpisodeFactory(pupil=pupil, kind="previously_in_care", legal_basis="adoption")
    if social_worker:
        ContactFactory(pupil=pupil, email="sw@social.test")
    if parent:
        ContactFactory(pupil=pupil, kind=ContactKind.PARENT, email="parent@home.test")
    return pupil


def consulted(pupil, *, on=DAY):
    return SuspensionRisk.objects.create(
        pupil=pupil,
        opened_on=on,
        opened_by=member(pupil.school, Role.DESIGNATED_TEACHER),
        behaviour="b",
        risk="r",
        consulted_on=on,
        adviser="Adviser",
    )


def head(school):
    return member(school, Role.HEADTEACHER)
