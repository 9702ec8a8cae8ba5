import datetime as dt

import pytest

from accounts.roles import Role
from tests.conftest import member
from tests.factories import VirtualSchoolFactory
from tests.pupil_factories import PupilFactory


@pytest.fixture
def pupil(school):
    return PupilFactory(
        school=school,
        legal_forename="Amelia",
        legal_surname="Okonkwo",
        date_of_birth=dt.date(2015, 10, 3),
        admission_date=dt.date(2020, 9, 2),
    )


@pytest.fixture
def cambridgeshire(db):
    return VirtualSchoolFactory(la_code="873")


@pytest.fixture
def dt_user(school):
    return member(school, Role.DESIGNATED_TEACHER)
