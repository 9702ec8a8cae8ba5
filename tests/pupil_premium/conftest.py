"""Fixtures for the PP+ ledger: the PEP tests' school, term dates and child in care (Amelia,
placed by Cambridgeshire), and a child previously in care (Noah, adopted in 2021)."""

import pytest

from tests.peps.conftest import (  # noqa: F401  (fixtures)
    D,
    autumn,
    cambridgeshire,
    child,
    draft,
    fill,
    spring,
    summer,
    teacher,
    year,
)
from tests.pupil_factories import CareEpisodeFactory, PupilFactory


@pytest.fixture
def adopted(school):
    """Noah, previously in care: adopted on 1 March 2021 after two years in care."""
    pupil = PupilFactory(school=school, legal_forename="Noah", legal_surname="Bright")
    CareEpisodeFactory(
        pupil=pupil, start_date=D(2019, 2, 1), end_date=D(2021, 3, 1), legal_basis="s31"
    )
    CareEpisodeFactory(
        pupil=pupil, kind="previously_in_care", start_date=D(2021, 3, 1), legal_basis="adoption"
    )
    return pupil
