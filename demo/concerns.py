"""Demo safeguarding concerns (``demo/data/concerns.toml``): one open with a body map raised by
the demo member of staff (who typed the child's name; the DSL linked it), one closed with its
actions and outcome, one urgent about two children. Written through ``concerns.services`` as
the people who would write them, so the audit trail and the DSL team's emails are what a
school's own would be. Idempotent: a school
that has any concern is left alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from concerns.models import Category, Concern
from concerns.services import (
    MarkInput,
    concern_action_record,
    concern_child_link,
    concern_decision_record,
    concern_raise,
)
from demo.datafile import read_datafile
from pupils.models import Pupil

LOGINS = {
    "staff": Role.STAFF,
    "dt": Role.DESIGNATED_TEACHER,
    "dsl": Role.DSL,
    "head": Role.HEADTEACHER,
}


def _user(school, login: str) -> User:
    user = User.objects.filter(memberships__school=school, memberships__role=LOGINS[login]).first()
    if user is None:
        raise ValueError(f"demo concerns: no {login} at {school}")
    return user


def load_demo_concerns(school, *, today: dt.date) -> list[Concern]:
    if Concern.objects.filter(school=school).exists():
        return []
    dsl = _user(school, "dsl")
    made = []
    for entry in read_datafile("concerns")["concerns"]:
        pupils = [
            Pupil.objects.get(school=school, legal_forename=name)
            for name in entry.get("children", [])
        ]
        hours, minutes = (int(part) for part in entry["time"].split(":"))
        seen = timezone.make_aware(
            dt.datetime.combine(
                today - dt.timedelta(days=entry["days_ago"]), dt.time(hours, minutes)
            )
        )
        concern = concern_raise(
            school=school,
            by=_user(school, entry["raised_by"]),
            pupils=pupils,
            seen_at=min(seen, timezone.now()),
            location=entry["location"],
            categories=list(Category.objects.filter(key__in=entry["categories"])),
            account=entry["account"],
            immediate_risk=entry["immediate_risk"],
            marks=[
                MarkInput(
                    m["side"],
                    m["region"],
                    m["description"],
                    Decimal(str(m["x"])),
                    Decimal(str(m["y"])),
                )
                for m in entry.get("marks", [])
            ],
            child_name=entry.get("child_name", ""),
            child_class=entry.get("child_class", ""),
        )
        for name in entry.get("linked", []):
            concern_child_link(
                concern=concern,
                pupil=Pupil.objects.get(school=school, legal_forename=name),
                by=dsl,
                reason="Checked with the class teacher",
            )
        for action in entry.get("actions", []):
            concern_action_record(
                concern=concern,
                by=dsl,
                kind=action["kind"],
                taken_on=today - dt.timedelta(days=action["days_ago"]),
                taken_by=action["taken_by"],
                details=action["details"],
                today=today,
            )
        if "closed" in entry:
            concern_decision_record(
                concern=concern,
                by=dsl,
                kind="closed",
                decision=entry["closed"]["decision"],
                reason=entry["closed"]["reason"],
            )
        made.append(concern)
    return made
