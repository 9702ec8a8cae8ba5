"""The demo's suspension pathway (``demo/data/exclusions.toml``): the addresses the notices go
to (confirmed by the head), the whole school's figures, a child in care at risk with the Virtual
School consulted and alternatives tried, a three-day suspension whose notices sit in the outbox,
and a reduced timetable due for review. Written through ``exclusions.services`` as the people
who would write them, so the audit trail and the outbox are what a school's own would be.
Idempotent: a school with any risk of suspension is left alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from accounts.models import User
from accounts.roles import Role
from demo.datafile import read_datafile
from exclusions import services
from exclusions.models import Exclusion, SuspensionRisk
from pupils.models import Pupil
from schools.schooldays import SchoolCalendar, TermDatesMissing, academic_year_of

LOGINS = {"dt": Role.DESIGNATED_TEACHER, "head": Role.HEADTEACHER}


def _user(school, login: str) -> User:
    user = User.objects.filter(memberships__school=school, memberships__role=LOGINS[login]).first()
    if user is None:
        raise ValueError(f"demo exclusions: no {login} at {school}")
    return user


def _child(school, forename: str) -> Pupil:
    return Pupil.objects.get(school=school, legal_forename=forename)


def load_demo_exclusions(school, *, today: dt.date) -> list[Exclusion]:
    if SuspensionRisk.objects.filter(pupil__school=school).exists():
        return []
    data = read_datafile("exclusions")
    head = _user(school, "head")
    settings = data["settings"]
    services.settings_save(school=school, by=head, **settings)
    for prefix in ("local_authority", "governing_board"):
        services.settings_address_confirm(
            school=school, prefix=prefix, email=settings[f"{prefix}_email"], by=head, today=today
        )
    whole = data["whole_school"]
    services.whole_school_save(
        school=school,
        academic_year=academic_year_of(today),
        by=head,
        **{**whole, "suspension_days": Decimal(whole["suspension_days"])},
    )
    for entry in data["risks"]:
        pupil = _child(school, entry["child"])
        by = _user(school, entry["by"])
        risk = services.risk_open(
            pupil=pupil,
            by=by,
            today=today - dt.timedelta(days=entry["days_ago"]),
            behaviour=entry["behaviour"],
            risk=entry["risk"],
        )
        services.risk_consultation_record(
            risk=risk,
            by=by,
            today=today,
            consulted_on=today - dt.timedelta(days=entry["consulted_days_ago"]),
            adviser=entry["adviser"],
            advice=entry["advice"],
        )
        for alternative in entry["alternatives"]:
            services.alternative_add(
                risk=risk,
                by=by,
                kind=alternative["kind"],
                started_on=today - dt.timedelta(days=alternative["started_days_ago"]),
                outcome=alternative["outcome"],
            )
    made = []
    try:
        calendar = SchoolCalendar.for_school(school)
        first_day = calendar.school_day_on_or_after(today + dt.timedelta(days=1))
    except TermDatesMissing:  # no term dates ahead: the demo shows the risks only
        first_day = None
    for entry in data["suspensions"] if first_day else []:
        made.append(
            services.exclusion_decide(
                pupil=_child(school, entry["child"]),
                by=head,
                today=today,
                kind=Exclusion.Kind.SUSPENSION,
                start_date=first_day,
                length=entry["length"],
                reason=entry["reason"],
                account=entry["account"],
            )
        )
    dt_user = _user(school, "dt")
    for entry in data["reduced_timetables"]:
        starts_on = today - dt.timedelta(days=entry["started_days_ago"])
        services.reduced_timetable_add(
            pupil=_child(school, entry["child"]),
            by=dt_user,
            today=starts_on,
            starts_on=starts_on,
            hours_per_week=Decimal(entry["hours_per_week"]),
            reason=entry["reason"],
            parent_agreed_on=starts_on,
            virtual_school_agreed_on=starts_on,
            review_on=today,  # due for review the day the demo is loaded
        )
    return made
