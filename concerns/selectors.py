"""Reads of safeguarding concerns: the list (the DSL team's, or one's own), a concern with all
its parts, the flag on an open concern nobody has acted on, and the DSL's chronology of a child.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from concerns.models import (
    Action,
    Addendum,
    BodyMark,
    Category,
    Concern,
    ConcernPupil,
    Decision,
    Link,
)
from pupils.models import Pupil
from schools.schooldays import SchoolCalendar, TermDatesMissing

# Harbour's product rule (issue 12), not statute: an open concern with no action recorded for
# this many school days is flagged on the DSL team's list.
NO_ACTION_FLAG_SCHOOL_DAYS = 3


def with_status(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    """Annotate ``status_kind`` (the latest closing or reopening decision's kind, or None: open)
    and ``last_activity`` (the latest action's date, else the day it was raised): two
    subqueries in the one query of the list."""
    last_status = (
        Decision.objects.filter(concern=OuterRef("pk"))
        .exclude(kind=Decision.Kind.DECISION)
        .order_by("-recorded_at", "-pk")
        .values("kind")[:1]
    )
    return concerns.annotate(
        status_kind=Subquery(last_status),
        last_action_on=Max("actions__taken_on"),
    )


def concern_list(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    """The list page's concerns with what each row shows: three queries (the concerns with
    their status, their children, their categories) however many rows."""
    return (
        with_status(concerns)
        .select_related("raised_by")
        .prefetch_related(
            Prefetch(
                "children",
                queryset=ConcernPupil.objects.select_related("pupil").order_by("pk"),
            ),
            Prefetch("categories", queryset=Category.objects.order_by("position")),
        )
        .order_by("-raised_at", "-pk")
    )


def is_closed(concern: Concern) -> bool:
    return getattr(concern, "status_kind", None) == Decision.Kind.CLOSED


@dataclass(frozen=True)
class Flag:
    school_days: int  # school days since the last action (or since it was raised)


def no_action_flag(
    concern: Concern, calendar: SchoolCalendar | None, today: dt.date
) -> Flag | None:
    """An open concern nobody has acted on for ``NO_ACTION_FLAG_SCHOOL_DAYS`` school days.
    Reads ``with_status``'s annotations; no query."""
    if is_closed(concern) or calendar is None:
        return None
    since = getattr(concern, "last_action_on", None) or timezone.localtime(concern.raised_at).date()
    try:
        days = calendar.school_days_between(since, today)
    except TermDatesMissing:
        return None
    return Flag(days) if days >= NO_ACTION_FLAG_SCHOOL_DAYS else None


def calendar_or_none(school) -> SchoolCalendar | None:
    try:
        return SchoolCalendar.for_school(school)
    except TermDatesMissing:
        return None


def concern_with_parts(concern: Concern) -> Concern:
    """The concern with everything its page shows, in a handful of queries."""
    return (
        with_status(Concern.objects.filter(pk=concern.pk))
        .select_related("raised_by", "school")
        .prefetch_related(
            Prefetch(
                "children", queryset=ConcernPupil.objects.select_related("pupil").order_by("pk")
            ),
            Prefetch("categories", queryset=Category.objects.order_by("position")),
            Prefetch("marks", queryset=BodyMark.objects.order_by("pk")),
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("recorded_by").prefetch_related(
                    Prefetch("addenda", queryset=Addendum.objects.select_related("written_by"))
                ),
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("recorded_by").prefetch_related(
                    Prefetch("addenda", queryset=Addendum.objects.select_related("written_by"))
                ),
            ),
            Prefetch(
                "addenda",
                queryset=Addendum.objects.filter(
                    action__isnull=True, decision__isnull=True
                ).select_related("written_by"),
                to_attr="own_addenda",
            ),
            Prefetch("links_from", queryset=Link.objects.select_related("linked")),
            Prefetch("links_to", queryset=Link.objects.select_related("concern")),
        )
        .get()
    )


def concerns_about(pupil: Pupil) -> QuerySet[Concern]:
    return Concern.objects.filter(children__pupil=pupil, school_id=pupil.school_id)


def pupils_for_raising(school, today: dt.date) -> QuerySet[Pupil]:
    """The children a member of staff may raise a concern about: everyone on roll, and those
    who left within the last term (a disclosure may come after a child has gone)."""
    return (
        Pupil.objects.filter(school=school)
        .not_left_by(today - dt.timedelta(days=120))
        .order_by("legal_surname", "legal_forename", "pk")
    )
