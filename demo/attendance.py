"""Demo attendance (``demo/data/attendance.toml``): twelve months of register marks for the demo
cohort, bulk-loaded in one statement, chosen so each of Harbour's flags shows at least once
(persistent and severe absence, below the threshold over four weeks, a run of N/O/U, the
15-school-day illness return, a care placement move); the school's whole-roll figures for each
term begun; then the daily sweep for the last school day, which opens the attendance concerns
with their proposed notices, as a school's own morning would.

Idempotent: a school that already has demo marks is left alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from attendance.models import PeerFigures, PlacementMove, SessionMark
from attendance.services import settings_for
from attendance.sweep import sweep_school
from demo.datafile import read_datafile
from pupils.models import Pupil
from schools.models import Term
from schools.schooldays import SchoolCalendar, TermDatesMissing

PRESENT = {"AM": "/", "PM": "\\"}
RULE_KEYS = {"code", "session", "every", "offset", "last", "from_end", "days", "placement_move"}


@dataclass
class DemoAttendance:
    marks: int = 0
    concerns: int = 0
    moves: int = 0


def _applies(rule: dict, i: int, n: int) -> bool:
    """Whether ``rule`` covers the ``i``-th of ``n`` school days (the last is ``n - 1``)."""
    if "every" in rule:
        offset = rule.get("offset", 0)
        if i < offset or (i - offset) % rule["every"]:
            return False
    if "last" in rule and i < n - rule["last"]:
        return False
    if "from_end" in rule:
        first = n - 1 - rule["from_end"]
        if not first <= i < first + rule.get("days", 1):
            return False
    return True


def _sessions(rule: dict) -> tuple[str, ...]:
    session = rule.get("session", "both")
    return ("AM", "PM") if session == "both" else (session,)


def load_demo_attendance(school, *, today: dt.date) -> DemoAttendance:
    outcome = DemoAttendance()
    if SessionMark.objects.filter(school=school, source=SessionMark.Source.DEMO).exists():
        return outcome
    data = read_datafile("attendance")
    try:
        calendar = SchoolCalendar.for_school(school)
        days = calendar.school_dates_in(
            max(today - dt.timedelta(days=365), min(t.first_day for t in calendar.terms)), today
        )
    except (TermDatesMissing, ValueError):
        return outcome
    if not days:
        return outcome
    n = len(days)
    rules_by_name = {c["forename"]: c["rules"] for c in data["children"]}
    for name, rules in rules_by_name.items():
        for rule in rules:
            unknown = set(rule) - RULE_KEYS
            if unknown:
                raise ValueError(f"demo attendance, {name}: unknown key(s) {sorted(unknown)}")

    pupils = list(Pupil.objects.filter(school=school).order_by("pk"))
    by_name = {p.legal_forename: p for p in pupils}
    missing = set(rules_by_name) - set(by_name)
    if missing:
        raise ValueError(f"demo attendance: no child called {', '.join(sorted(missing))}")

    marks: list[SessionMark] = []
    for pupil in pupils:
        codes = {(i, s): PRESENT[s] for i in range(n) for s in ("AM", "PM")}
        moves: list[int] = []
        for rule in rules_by_name.get(pupil.legal_forename, []):
            for i in range(n):
                if _applies(rule, i, n):
                    for session in _sessions(rule):
                        codes[(i, session)] = rule["code"]
                    if rule.get("placement_move"):
                        moves.append(i)
        first = pupil.admission_date or days[0]
        last = pupil.leaving_date or days[-1]
        marks.extend(
            SessionMark(
                school=school,
                pupil=pupil,
                date=days[i],
                session=session,
                code=code,
                source=SessionMark.Source.DEMO,
            )
            for (i, session), code in sorted(codes.items())
            if first <= days[i] <= last
        )
        if moves:
            PlacementMove.objects.create(
                school=school, pupil=pupil, first_day=days[min(moves)], last_day=days[max(moves)]
            )
            outcome.moves += 1
    SessionMark.objects.bulk_create(marks, batch_size=5000)
    outcome.marks = len(marks)

    found = settings_for(school)
    found.threshold_percent = Decimal(str(data["threshold_percent"]))
    found.unexplained_sessions = data["unexplained_sessions"]
    found.save()

    peers = data["peers"]
    for term in Term.objects.filter(academic_year__school=school, first_day__lte=days[-1]):
        possible = (
            2 * peers["on_roll"] * len([d for d in days if term.first_day <= d <= term.last_day])
        )
        if not possible:
            continue
        attended = int(possible * Decimal(str(peers["attendance_percent"])) / 100)
        PeerFigures.objects.get_or_create(
            school=school,
            term=term,
            defaults={
                "possible_sessions": possible,
                "attended_sessions": attended,
                "persistently_absent": peers["persistently_absent"],
                "on_roll": peers["on_roll"],
            },
        )

    outcome.concerns = sweep_school(school, today=days[-1]).opened
    return outcome
