"""Which cohort group a child is in on a given day, and their national curriculum year.

Pure functions over plain values, so the rules are tested at their boundaries without a
database. ``pupils.selectors`` computes the same answers in SQL for lists; tests hold the two
to each other.

The groups (DESIGN.md; DOMAIN.md "How Harbour settles"), in order of precedence:

1. **CiC**, a child in care: an in-care episode is in force that day.
2. **CPiC**, a child previously in care: a previously-in-care episode (adoption, special
   guardianship order, child arrangements order, adopted from state care abroad) is in force.
3. **CWSW**, a child with a social worker: a Child in Need or Child Protection plan is in force,
   or the last one ended within the previous 6 years. A child who was in care and went home
   (not adopted, no SGO or CAO) counts here too: a looked-after child has a social worker, and
   DfE's "children in need" measure, which the 6-year CWSW definition is built on, includes
   looked-after children.

4. **Kinship care**: a kinship-care episode is in force, and the child is in none of the groups
   above. DESIGN.md counts children in kinship care with the children with a social worker
   (the Virtual School head's extended role covers both, DOMAIN.md 3.5), but a child in kinship
   care need not have a social worker, so they are a group of their own in the filters and
   counts rather than "not in a group". Kinship care has no 6-year tail: it counts while it
   lasts.

``kinship_care`` is also shown alongside a higher group (a child in care placed with relatives,
a child with a plan who lives with a grandparent), so each child is counted once.

**The 6-year rule, exactly.** An episode applies up to, not including, its end date (the day it
ended; see ``pupils.models``). A child stays in the CWSW group for 6 years after that day and
leaves the cohort on its sixth anniversary: a plan that ended on 10 March 2020 keeps the child
in the group to 9 March 2026 inclusive, and they leave on 10 March 2026. A plan that ended on
29 February leaves on 1 March six years later (the child keeps the full 6 years).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from django.db import models

from pupils import periods
from pupils.models import EpisodeKind
from schools.schooldays import academic_year_of

CWSW_YEARS = 6

IN_CARE = EpisodeKind.IN_CARE
PREVIOUSLY_IN_CARE = EpisodeKind.PREVIOUSLY_IN_CARE
CHILD_IN_NEED_PLAN = EpisodeKind.CHILD_IN_NEED_PLAN
CHILD_PROTECTION_PLAN = EpisodeKind.CHILD_PROTECTION_PLAN
KINSHIP_CARE = EpisodeKind.KINSHIP_CARE
# Episodes during which the child had a social worker: they start the 6 years when they end.
SOCIAL_WORKER_KINDS = (CHILD_PROTECTION_PLAN, CHILD_IN_NEED_PLAN, IN_CARE)


class CohortGroup(models.TextChoices):
    CIC = "cic", "Child in care"
    CPIC = "cpic", "Child previously in care"
    CWSW = "cwsw", "Child with a social worker"
    KINSHIP = "kinship", "Child in kinship care"
    NONE = "none", "Not in a group"


class Episode(Protocol):
    kind: str
    start_date: dt.date
    end_date: dt.date | None


@dataclass(frozen=True)
class CohortStatus:
    group: str  # a CohortGroup value
    kinship_care: bool
    # The day a CWSW child leaves the cohort, when every plan has an end date; None otherwise.
    leaves_cohort_on: dt.date | None
    # The episode that puts the child in their group (its responsible authority is theirs).
    episode: Episode | None

    @property
    def label(self) -> str:
        return CohortGroup(self.group).label

    @property
    def in_cohort(self) -> bool:
        return self.group != CohortGroup.NONE


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 1 March in a year without one."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def cwsw_earliest_end(today: dt.date) -> dt.date:
    """The earliest end date of a plan that still keeps a child in the CWSW group on ``today``:
    a plan that ended on this day or later, ``add_years(end, 6) > today``."""
    try:
        six_years_ago = today.replace(year=today.year - CWSW_YEARS)
    except ValueError:  # today is 29 February: a plan ending 28 Feb six years ago ran out.
        six_years_ago = dt.date(today.year - CWSW_YEARS, 2, 28)
    return six_years_ago + dt.timedelta(days=1)


def cwsw_window_start(today: dt.date) -> dt.date:
    """The first day of the 6 years before ``today``: a social-work episode in force on this day
    or later keeps the child in the CWSW group (it ended on ``cwsw_earliest_end`` or later)."""
    return cwsw_earliest_end(today) - dt.timedelta(days=1)


def in_force(episode: Episode, day: dt.date) -> bool:
    return periods.in_force_on(episode.start_date, episode.end_date, day)


def had_social_worker(episode: Episode, today: dt.date) -> bool:
    """A care or plan episode in force on some day of the 6 years to ``today``."""
    return episode.kind in SOCIAL_WORKER_KINDS and periods.in_force_during(
        episode.start_date, episode.end_date, cwsw_window_start(today), today
    )


def cohort_status(episodes: Iterable[Episode], on: dt.date) -> CohortStatus:
    """The child's group on ``on`` from their episodes (any order)."""
    episodes = list(episodes)
    kinship_now = [e for e in episodes if e.kind == KINSHIP_CARE and in_force(e, on)]
    candidates = [
        e
        for e in episodes
        if (e.kind in (IN_CARE, PREVIOUSLY_IN_CARE) and in_force(e, on)) or had_social_worker(e, on)
    ]
    if not candidates:
        if kinship_now:
            # Ordered as deciding_rank orders episodes of one kind (pupils.selectors agrees).
            episode = min(kinship_now, key=lambda e: deciding_rank(e, on))
            return CohortStatus(CohortGroup.KINSHIP, True, None, episode)
        return CohortStatus(CohortGroup.NONE, False, None, None)
    deciding = min(candidates, key=lambda e: deciding_rank(e, on))
    group = (CohortGroup.CIC, CohortGroup.CPIC, CohortGroup.CWSW)[deciding_rank(deciding, on)[0]]
    kinship = bool(kinship_now)
    leaves_on = None
    if group == CohortGroup.CWSW:
        # The plans of the 6 years: an open plan is among them, and so is the last to end.
        social_work = [e for e in episodes if had_social_worker(e, on)]
        ends = [e.end_date for e in social_work if e.end_date is not None]
        if len(ends) == len(social_work):  # no plan is open
            leaves_on = add_years(max(ends), CWSW_YEARS)
    return CohortStatus(group, kinship, leaves_on, deciding)


_KIND_RANK: dict[str, int] = {CHILD_PROTECTION_PLAN: 0, CHILD_IN_NEED_PLAN: 1, IN_CARE: 2}


def deciding_rank(episode: Episode, on: dt.date) -> tuple[int, int, int, int, int, int]:
    """Which episode puts the child in their group: the lowest rank wins.

    In care today, then previously in care today, then the social-work episodes: one in force
    before one that has ended, then the latest to end (an open one first), then a Child
    Protection plan before a Child in Need plan before a care episode, then the latest to
    start, then the latest entered.
    ``pupils.selectors`` orders by the same key in SQL.
    """
    current = in_force(episode, on)
    if current and episode.kind == IN_CARE:
        group_rank = 0
    elif current and episode.kind == PREVIOUSLY_IN_CARE:
        group_rank = 1
    else:
        group_rank = 2
    end_key = -episode.end_date.toordinal() if episode.end_date else -(10**9)
    return (
        group_rank,
        0 if current else 1,
        end_key,
        _KIND_RANK.get(episode.kind, 9),
        -episode.start_date.toordinal(),
        -(getattr(episode, "pk", None) or 0),
    )


# --- The 18th birthday -------------------------------------------------------------------

# Statuses the law ends at 18 (Children Act 1989 s105: a "child" is a person under 18): care,
# and the Child in Need and Child Protection plans. Adoption and the orders after care do not
# end a child's history, so previously-in-care episodes are not among them.
ENDS_AT_18 = (IN_CARE, CHILD_IN_NEED_PLAN, CHILD_PROTECTION_PLAN)


def eighteenth_birthday(date_of_birth: dt.date) -> dt.date:
    """The day a child turns 18 (born 29 February: 1 March in a year without one)."""
    return add_years(date_of_birth, 18)


E = TypeVar("E", bound=Episode)


def episodes_open_past_18(episodes: Iterable[E], date_of_birth: dt.date, today: dt.date) -> list[E]:
    """Care or plan episodes recorded as running past the child's 18th birthday: open on or
    after it, or ending after it. An episode ending on the birthday is right (episodes apply up
    to, not including, their end date)."""
    birthday = eighteenth_birthday(date_of_birth)
    return [
        e
        for e in episodes
        if e.kind in ENDS_AT_18
        and ((e.end_date is None and today >= birthday) or (e.end_date or birthday) > birthday)
    ]


# --- National curriculum year -------------------------------------------------------------


def nc_year_for_age(date_of_birth: dt.date, academic_year: int) -> int:
    """The national curriculum year of a child's age group in the academic year starting in
    September of ``academic_year``: 0 is Reception, 1 to 13 are Years 1 to 13, -1 Nursery.

    In England a year group is the children born from 1 September to 31 August; they start
    Reception in the September after their fourth birthday, the school year in which they turn
    five (Education Act 1996 s8 and the School Admissions Code: a child must be offered a
    full-time place in the September after their fourth birthday). So a child aged 4 on
    31 August before the year starts is in Reception.
    """
    age_on_31_august = academic_year - date_of_birth.year
    if (date_of_birth.month, date_of_birth.day) > (8, 31):
        age_on_31_august -= 1
    return age_on_31_august - 4


def nc_year_for(date_of_birth: dt.date, offset: int, on: dt.date) -> int:
    return nc_year_for_age(date_of_birth, academic_year_of(on)) + offset


def nc_year_label(nc_year: int | None) -> str:
    if nc_year is None:
        return ""
    if nc_year == 0:
        return "Reception"
    if nc_year < 0:
        return "Nursery"
    return f"Year {nc_year}"


# The years a school in Harbour teaches, for choices: Nursery to Year 13.
NC_YEAR_CHOICES = [(n, nc_year_label(n)) for n in range(-1, 14)]
