import datetime as dt

import pytest

from concerns.models import BodyMark, Concern, ConcernPupil, Decision
from concerns.selectors import is_closed, with_status
from demo.concerns import load_demo_concerns
from demo.pupils import load_demo_pupils
from demo.schools import load_demo_schools

pytestmark = pytest.mark.django_db


def test_the_demo_has_open_and_closed_concerns_one_with_a_body_map_one_by_the_staff_member():
    from tests.concerns.factories import category

    for key in ("physical_abuse", "neglect", "exploitation", "online_safety"):
        category(key, key)
    school, _ = load_demo_schools()
    today = dt.date(2026, 11, 23)
    load_demo_pupils(school, today=today)
    made = load_demo_concerns(school, today=today)
    assert len(made) == 3
    rows = list(with_status(Concern.objects.filter(school=school)))
    assert {is_closed(c) for c in rows} == {True, False}
    assert BodyMark.objects.filter(concern__school=school).exists()
    assert Concern.objects.filter(school=school, raised_by__memberships__role="staff").exists()
    assert Decision.objects.filter(kind="closed").count() == 1
    # The member of staff typed the child's name; the DSL linked it to the child in Harbour.
    typed = Concern.objects.get(school=school, raised_by__memberships__role="staff")
    assert typed.child_name == "Noah"
    assert ConcernPupil.objects.get(concern=typed).linked_by is not None
    assert load_demo_concerns(school, today=today) == []  # idempotent
