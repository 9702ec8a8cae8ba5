"""The two date rules of a child's record, each written once, in SQL and in Python.

**In force.** A care or plan episode (``CareEpisode``) and a contact (``Contact``) apply from
their ``start_date`` up to, but not including, their ``end_date``: the end date is the day it
ended, and an empty end date means it has not ended. A care order that ended on 14 March is
not in force on 14 March; a new episode may start that same day. The 6-year rule is built on
the same convention (``pupils.cohort``).

**On roll.** A pupil is on roll from their ``admission_date`` to their ``leaving_date``, both
days included: the MIS and the CTF record the leaving date as the last day on roll, so a child
whose last day was 20 November has left on 21 November. An empty admission date is a child who
joined before the school recorded it; an empty leaving date, a child who has not left.

Each rule is here as a ``Q`` for querysets (``prefix`` reaches through a relation, as in
``Pupil.objects.filter(in_force_on_q(day, "care_episodes__"))``; a subquery filters the
episodes themselves, ``CareEpisode.objects.filter(in_force_on_q(day), pupil=OuterRef("pk"))``)
and as a predicate over plain dates for pure code (``peps.due``, ``pupils.cohort``). Models and
querysets call these (``CareEpisode.in_force_on``, ``PupilQuerySet.on_roll_on``).
``tests/pupils/test_cohort_rules.py`` holds the SQL and the Python to each other at every
boundary, and fails if a date of these four fields is compared anywhere else.
"""

import datetime as dt

from django.db.models import F, Q

# --- In force: care and plan episodes, contacts ------------------------------------------------


def ended_by(end: dt.date | None, day: dt.date) -> bool:
    """The period had ended by ``day``: its end date (the day it ended) is ``day`` or earlier."""
    return end is not None and end <= day


def in_force_during(start: dt.date, end: dt.date | None, first: dt.date, last: dt.date) -> bool:
    """In force on at least one day from ``first`` to ``last``, both included."""
    return start <= last and not ended_by(end, first)


def in_force_on(start: dt.date, end: dt.date | None, day: dt.date) -> bool:
    return in_force_during(start, end, day, day)


def ends_after_start(start: dt.date, end: dt.date | None) -> bool:
    """An end date is after the start date: a period is in force on at least one day."""
    return end is None or end > start


def ended_by_q(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}end_date__lte": day})


def in_force_during_q(first: dt.date, last: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": last}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": first})
    )


def in_force_on_q(day: dt.date, prefix: str = "") -> Q:
    return in_force_during_q(day, day, prefix)


def ends_after_start_q() -> Q:
    """``ends_after_start`` as a check constraint (unchanged from the first migration)."""
    return Q(end_date__isnull=True) | Q(end_date__gt=F("start_date"))


# --- On roll: pupils ---------------------------------------------------------------------------


def has_left(leaving: dt.date | None, day: dt.date) -> bool:
    """Left by ``day``: ``leaving`` is the last day on roll, so the day after it."""
    return leaving is not None and leaving < day


def on_roll_on(admission: dt.date | None, leaving: dt.date | None, day: dt.date) -> bool:
    return (admission is None or admission <= day) and not has_left(leaving, day)


def has_left_q(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}leaving_date__lt": day})


def left_during_q(first: dt.date, last: dt.date, prefix: str = "") -> Q:
    """Left within ``first``..``last``, both included: the last day on roll falls in it (the
    leavers of a school year, for destinations)."""
    return Q(**{f"{prefix}leaving_date__gte": first, f"{prefix}leaving_date__lte": last})


def on_roll_on_q(day: dt.date, prefix: str = "") -> Q:
    return (
        Q(**{f"{prefix}admission_date__isnull": True}) | Q(**{f"{prefix}admission_date__lte": day})
    ) & (Q(**{f"{prefix}leaving_date__isnull": True}) | Q(**{f"{prefix}leaving_date__gte": day}))
