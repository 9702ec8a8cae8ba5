"""Concerns for tests, made through the service as a member of staff would raise them."""

import datetime as dt
from zoneinfo import ZoneInfo

from concerns.models import Category
from concerns.services import MarkInput, concern_raise

LONDON = ZoneInfo("Europe/London")


def category(key: str = "physical_abuse", name: str = "Physical abuse") -> Category:
    # The seed migration's row, or made again when a transactional test has flushed it.
    return Category.objects.get_or_create(key=key, defaults={"name": name})[0]


def raise_concern(
    school,
    *,
    by,
    pupils,
    immediate_risk=False,
    marks=(),
    account="Bruise on the left forearm; said 'I fell off my bike'.",
    seen_at=dt.datetime(2026, 10, 13, 9, 30, tzinfo=LONDON),
    now=None,
    child_name="",
):
    return concern_raise(
        school=school,
        by=by,
        pupils=list(pupils),
        seen_at=seen_at,
        location="Playground",
        categories=[category()],
        account=account,
        immediate_risk=immediate_risk,
        marks=list(marks),
        child_name=child_name,
        now=now or dt.datetime(2026, 10, 14, 10, 0, tzinfo=LONDON),
    )


FOREARM = MarkInput("front", "left_forearm", "Bruise 3cm, purple")
