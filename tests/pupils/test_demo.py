import datetime as dt

import pytest

from demo.pupils import Child, demo_children, load_demo_pupils
from pupils.cohort import CohortGroup, cohort_status
from pupils.models import Pupil
from schools.models import VirtualSchool

TODAY = dt.date(2026, 11, 23)
pytestmark = pytest.mark.django_db


def test_demo_cohort_covers_every_group_authority_and_the_six_year_rule(school):
    pupils = load_demo_pupils(school, today=TODAY)
    assert 30 <= len(pupils) <= 40
    statuses = {p.legal_forename: cohort_status(list(p.care_episodes.all()), TODAY) for p in pupils}
    groups = {s.group for s in statuses.values()}
    assert groups == set(CohortGroup)  # kinship care is a group of its own
    assert any(s.kinship_care for s in statuses.values())
    # Plan ended 5 years 11 months ago: still in; 6 years 1 month ago: out.
    assert statuses["Reuben"].group == CohortGroup.CWSW
    assert statuses["Reuben"].leaves_cohort_on == dt.date(2026, 12, 23)
    assert statuses["Hannah"].group == CohortGroup.NONE
    codes = set(
        VirtualSchool.objects.filter(care_episodes__pupil__school=school).values_list(
            "la_code", flat=True
        )
    )
    assert codes == {"873", "919", "876"}
    years = {p.date_of_birth.year for p in pupils}
    assert len(years) >= 10
    assert Pupil.objects.filter(school=school, leaving_date__isnull=False).count() == 2


def test_loading_the_demo_twice_changes_nothing(school):
    load_demo_pupils(school, today=TODAY)
    load_demo_pupils(school, today=TODAY + dt.timedelta(days=3))
    assert Pupil.objects.filter(school=school).count() == len(demo_children())


def test_a_typo_in_the_demo_data_stops_the_loader_rather_than_being_ignored():
    entry = {"forename": "Ada", "surname": "Lane", "sex": "F", "year": 3, "birth_month": 4}
    assert Child.from_data(entry).key_adult == "dt"
    with pytest.raises(ValueError, match="unknown key"):
        Child.from_data(entry | {"social_wroker": "Dan Price"})
    with pytest.raises(ValueError, match="in_cair"):
        Child.from_data(entry | {"episodes": [{"kind": "in_cair", "started_months_ago": 3}]})
