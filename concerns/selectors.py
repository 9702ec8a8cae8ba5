"""Reads of safeguarding concerns: the list (the DSL team's, or one's own), a concern with all
its parts, the flag on an open concern nobody has acted on, and the DSL's chronology of a child.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from concerns.models import (
    Action,
    Addendum,
    BodyMark,
    Category,
    Concern,
    ConcernPupil,
    ConcernSettings,
    Decision,
    Link,
)
from pupils.models import Pupil
from schools.schooldays import SchoolCalendar, TermDatesMissing

# Harbour's product rule (issue 12), not statute: an open concern with no action recorded for
# this many school days is flagged on the DSL team's list. Each school may set its own
# (``ConcernSettings``); these are the defaults.
NO_ACTION_FLAG_SCHOOL_DAYS = ConcernSettings._meta.get_field("no_action_flag_school_days").default


def concern_settings_for(school) -> ConcernSettings:
    """The school's safeguarding settings, unsaved defaults when it has none yet: one query."""
    return ConcernSettings.objects.filter(school=school).first() or ConcernSettings(school=school)


def with_status(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    """Annotate ``status_kind`` (the latest closing or reopening decision's kind, or "": open)
    and ``last_activity`` (the latest action's date, else the day it was raised): two
    subqueries in the one query of the list."""
    last_status = (
        Decision.objects.filter(concern=OuterRef("pk"))
        .exclude(kind=Decision.Kind.DECISION)
        .order_by("-recorded_at", "-pk")
        .values("kind")[:1]
    )
    # Coalesced: NOT (NULL = 'closed') is NULL in SQL, so ``exclude(status_kind="closed")``
    # would otherwise leave out every concern nobody has closed or reopened.
    return concerns.annotate(
        status_kind=Coalesce(Subquery(last_status), Value("")),
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
    concern: Concern,
    calendar: SchoolCalendar | None,
    today: dt.date,
    after: int = NO_ACTION_FLAG_SCHOOL_DAYS,
) -> Flag | None:
    """An open concern nobody has acted on for ``after`` school days (the school's
    ``ConcernSettings.no_action_flag_school_days``). Reads ``with_status``'s annotations; no
    query."""
    if is_closed(concern) or calendar is None:
        return None
    since = getattr(concern, "last_action_on", None) or timezone.localtime(concern.raised_at).date()
    try:
        days = calendar.school_days_between(since, today)
    except TermDatesMissing:
        return None
    return Flag(days) if days >= after else None


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
                "children",
                queryset=ConcernPupil.objects.select_related("pupil", "linked_by").order_by("pk"),
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


def pupils_for_raising(school, today: dt.date, window_days: int | None = None) -> QuerySet[Pupil]:
    """The children someone who may see the cohort (``VIEW_COHORT``) may choose when raising a
    concern, and the DSL team when linking one: everyone on roll, and those who left within the
    school's window (``ConcernSettings.raise_window_days``, 120 days unless set: a disclosure
    may come after a child has gone). A member of staff without ``VIEW_COHORT`` is never shown
    this list: it would tell them which children are in care."""
    if window_days is None:
        window_days = concern_settings_for(school).raise_window_days
    return (
        Pupil.objects.filter(school=school)
        .not_left_by(today - dt.timedelta(days=window_days))
        .order_by("legal_surname", "legal_forename", "pk")
    )


def pupils_named(pupils: QuerySet[Pupil], query: str, limit: int = 20) -> QuerySet[Pupil]:
    """The children of ``pupils`` whose names hold every word of ``query`` (legal, middle or
    preferred names): the DSL team's search for the child a concern names."""
    for word in query.split()[:5]:
        pupils = pupils.filter(
            Q(legal_forename__icontains=word)
            | Q(legal_surname__icontains=word)
            | Q(middle_names__icontains=word)
            | Q(preferred_forename__icontains=word)
            | Q(preferred_surname__icontains=word)
        )
    return pupils.order_by("legal_surname", "legal_forename", "pk")[:limit]


def unlinked_concerns(school) -> QuerySet[Concern]:
    """Concerns named by typing that the DSL team has not yet linked to a child in Harbour."""
    return (
        Concern.objects.filter(school=school)
        .exclude(Exists(ConcernPupil.objects.filter(concern=OuterRef("pk"))))
        .order_by("raised_at", "pk")
    )


# DOMAIN.md 7.2: a school's child protection file is kept until the child is 25, then reviewed
# (IRMS Information Management Toolkit for Schools).
RETENTION_YEARS = 25


def retention_ends(date_of_birth: dt.date) -> dt.date:
    try:
        return date_of_birth.replace(year=date_of_birth.year + RETENTION_YEARS)
    except ValueError:  # born on 29 February
        return dt.date(date_of_birth.year + RETENTION_YEARS, 3, 1)


@dataclass(frozen=True)
class RetentionRow:
    pupil: Pupil
    ends: dt.date
    concerns: int
    references: list[str]
    cp_file: bool


def retention_due(school, today: dt.date) -> list[RetentionRow]:
    """Children of ``school`` with child protection records (concerns, a CP-file transfer)
    whose retention period ended on or before ``today``: listed for a person to review and
    decide. Nothing here deletes anything (the records' triggers would refuse). Three queries."""
    from concerns.models import CpFileTransfer

    born_by = retention_ends_inverse(today)
    links = list(
        ConcernPupil.objects.filter(concern__school=school, pupil__date_of_birth__lte=born_by)
        .select_related("pupil")
        .order_by("pupil__date_of_birth", "pupil_id", "concern_id")
    )
    files = set(
        CpFileTransfer.objects.filter(school=school, pupil__date_of_birth__lte=born_by).values_list(
            "pupil_id", flat=True
        )
    )
    extra = list(Pupil.objects.filter(pk__in=files - {link.pupil_id for link in links}))
    by_child: dict[int, RetentionRow] = {}
    for link in links:
        row = by_child.get(link.pupil_id)
        if row is None:
            row = by_child[link.pupil_id] = RetentionRow(
                link.pupil, retention_ends(link.pupil.date_of_birth), 0, [], link.pupil_id in files
            )
        row.references.append(f"C{link.concern_id:05d}")
    for child in extra:
        by_child[child.pk] = RetentionRow(child, retention_ends(child.date_of_birth), 0, [], True)
    return sorted(
        (
            RetentionRow(r.pupil, r.ends, len(r.references), r.references, r.cp_file)
            for r in by_child.values()
        ),
        key=lambda r: (r.ends, r.pupil.pk),
    )


def retention_ends_inverse(today: dt.date) -> dt.date:
    """The latest date of birth whose retention period has ended by ``today``."""
    try:
        return today.replace(year=today.year - RETENTION_YEARS)
    except ValueError:  # 29 February
        return dt.date(today.year - RETENTION_YEARS, 2, 28)
