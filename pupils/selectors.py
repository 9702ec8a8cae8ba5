"""Reads of pupils: the cohort list with each child's group computed in SQL, and the record
shown on a child's page.

``pupils_for_cohort`` annotates the same answers ``pupils.cohort.cohort_status`` gives in
Python (tests hold the two to each other), so the list filters, sorts and paginates in the
database with a constant number of queries whatever the page size.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ExtractYear

from pupils.cohort import (
    CHILD_IN_NEED_PLAN,
    CHILD_PROTECTION_PLAN,
    CWSW_YEARS,
    IN_CARE,
    KINSHIP_CARE,
    PREVIOUSLY_IN_CARE,
    SOCIAL_WORKER_KINDS,
    CohortGroup,
    CohortStatus,
    add_years,
    cohort_status,
    cwsw_window_start,
    eighteenth_birthday,
    episodes_open_past_18,
    nc_year_for,
)
from pupils.models import CareEpisode, Contact, ContactKind, LeavingTask, Pupil
from pupils.periods import in_force_during_q, in_force_on_q
from schools.schooldays import academic_year_of

GROUP_ORDER = [
    CohortGroup.CIC,
    CohortGroup.CPIC,
    CohortGroup.CWSW,
    CohortGroup.KINSHIP,
    CohortGroup.NONE,
]


def _had_social_worker(today: dt.date) -> Q:
    """``pupils.cohort.had_social_worker``: a care or plan episode in force on some day of the
    6 years to ``today``."""
    return Q(kind__in=SOCIAL_WORKER_KINDS) & in_force_during_q(cwsw_window_start(today), today)


def _deciding_episode(today: dt.date) -> QuerySet[CareEpisode]:
    """The episode that puts the child in their group, first: ordered as
    ``pupils.cohort.deciding_rank`` (in care, then previously in care, then the plans, then
    kinship care)."""
    in_force = in_force_on_q(today)
    social_work = _had_social_worker(today)
    relevant = (in_force & Q(kind__in=[IN_CARE, PREVIOUSLY_IN_CARE, KINSHIP_CARE])) | social_work
    return (
        CareEpisode.objects.filter(relevant, pupil=OuterRef("pk"))
        .annotate(
            group_rank=Case(
                When(in_force & Q(kind=IN_CARE), then=Value(0)),
                When(in_force & Q(kind=PREVIOUSLY_IN_CARE), then=Value(1)),
                When(kind=KINSHIP_CARE, then=Value(3)),
                default=Value(2),
            ),
            force_rank=Case(When(in_force, then=Value(0)), default=Value(1)),
            kind_rank=Case(
                When(kind=CHILD_PROTECTION_PLAN, then=Value(0)),
                When(kind=CHILD_IN_NEED_PLAN, then=Value(1)),
                When(kind=IN_CARE, then=Value(2)),
                default=Value(9),
            ),
        )
        .order_by(
            "group_rank",
            "force_rank",
            F("end_date").desc(nulls_first=True),
            "kind_rank",
            "-start_date",
            "-pk",
        )
    )


class CohortAnnotations(TypedDict):
    """What ``with_cohort`` adds to each pupil, so the type checker can follow filters on it
    (``Any``: the plugin checks ``cohort_group__in=[...]`` against the field's own type)."""

    cohort_group: Any
    group_order: Any
    kinship_care: Any
    social_work_open: Any
    social_work_last_end: Any
    authority_id: Any
    authority_name: Any
    key_adult_id: Any
    key_adult_name: Any
    nc_year: Any


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    CohortPupil = WithAnnotations[Pupil, CohortAnnotations]


def with_cohort(pupils: QuerySet[Pupil], *, today: dt.date) -> "QuerySet[CohortPupil]":
    """Annotate each pupil with their cohort on ``today``: ``cohort_group``, ``group_order``,
    ``kinship_care``, ``nc_year``, ``authority_id``, ``authority_name``, ``key_adult_id``,
    ``key_adult_name`` and what ``leaves_cohort_on`` needs. All in the one query."""
    episodes = CareEpisode.objects.filter(pupil=OuterRef("pk"))
    in_force = in_force_on_q(today)
    # The plans of the 6 years: an open plan is among them, and so is the last to end.
    social_work = episodes.filter(_had_social_worker(today))
    group = Case(
        When(Exists(episodes.filter(in_force, kind=IN_CARE)), then=Value(CohortGroup.CIC.value)),
        When(
            Exists(episodes.filter(in_force, kind=PREVIOUSLY_IN_CARE)),
            then=Value(CohortGroup.CPIC.value),
        ),
        When(Exists(social_work), then=Value(CohortGroup.CWSW.value)),
        When(
            Exists(episodes.filter(in_force, kind=KINSHIP_CARE)),
            then=Value(CohortGroup.KINSHIP.value),
        ),
        default=Value(CohortGroup.NONE.value),
    )
    deciding = _deciding_episode(today)
    key_adult = Contact.objects.filter(
        in_force, pupil=OuterRef("pk"), kind=ContactKind.KEY_ADULT
    ).order_by("-start_date", "-pk")
    # Year of the child's age group: Reception (0) for a child aged 4 on 31 August before the
    # academic year starts (pupils.cohort.nc_year_for_age), plus the school's offset.
    born_autumn = Case(When(date_of_birth__month__gte=9, then=Value(1)), default=Value(0))
    nc_year = ExpressionWrapper(
        Value(academic_year_of(today) - 4)
        - ExtractYear("date_of_birth")
        - born_autumn
        + F("nc_year_offset"),
        output_field=IntegerField(),
    )
    return pupils.annotate(
        cohort_group=group,
        group_order=Case(
            *(When(cohort_group=g.value, then=Value(i)) for i, g in enumerate(GROUP_ORDER)),
            output_field=IntegerField(),
        ),
        kinship_care=Exists(episodes.filter(in_force, kind=KINSHIP_CARE)),
        social_work_open=Exists(social_work.filter(end_date__isnull=True)),
        social_work_last_end=Subquery(
            social_work.filter(end_date__isnull=False).order_by("-end_date").values("end_date")[:1]
        ),
        authority_id=Subquery(deciding.values("responsible_authority_id")[:1]),
        authority_name=Subquery(deciding.values("responsible_authority__local_authority_name")[:1]),
        key_adult_id=Subquery(key_adult.values("user_id")[:1]),
        key_adult_name=Subquery(key_adult.values("user__full_name")[:1]),
        nc_year=nc_year,
    )


def leaves_cohort_on(pupil: Pupil) -> dt.date | None:
    """For a pupil annotated by ``with_cohort``: the day a CWSW child leaves the cohort, or
    None while a plan is open (or the child is in another group)."""
    if pupil.cohort_group != CohortGroup.CWSW or pupil.social_work_open:  # type: ignore[attr-defined]
        return None
    last_end = pupil.social_work_last_end  # type: ignore[attr-defined]
    return add_years(last_end, CWSW_YEARS) if last_end else None


def pupils_for_cohort(school, *, today: dt.date) -> QuerySet[Pupil]:
    """Every pupil of ``school`` with their cohort on ``today``, leavers included (the filter
    decides whether to show them)."""
    return with_cohort(Pupil.objects.filter(school=school), today=today)


class CohortPaginator(Paginator):
    """Cuts the page's children first, then annotates only them: the cohort's correlated
    subqueries (group, authority, key adult) run for the page's rows, not for every child on
    the roll before the page is cut (at 400 children that was most of the page's time; see
    docs/benchmarks.md). Still two queries: the count, and the page (the ids are a subquery
    of it). A filter or sort on an annotation still evaluates it in the ids' subquery, as it
    must, but only there."""

    def __init__(
        self,
        object_list: QuerySet[Pupil],
        per_page: int,
        *,
        annotate: Callable[[QuerySet[Pupil]], QuerySet[Pupil]],
    ):
        super().__init__(object_list, per_page)
        self.annotate = annotate

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset: QuerySet[Pupil] = self.object_list  # type: ignore[assignment]
        ids = queryset.values("pk")[bottom:top]
        rows = self.annotate(Pupil.objects.filter(pk__in=ids)).order_by(*queryset.query.order_by)
        return Page(rows, number, self)


def cohort_paginator(pupils: QuerySet[Pupil], per_page: int, *, today: dt.date) -> Paginator:
    """The cohort list's pages of ``pupils`` (filtered and sorted, not yet annotated)."""
    return CohortPaginator(pupils, per_page, annotate=lambda page: with_cohort(page, today=today))


# --- The child's page -----------------------------------------------------------------------


@dataclass
class PupilRecord:
    pupil: Pupil
    today: dt.date
    status: CohortStatus
    nc_year: int
    episodes: list[CareEpisode]
    current_contacts: list[Contact]
    past_contacts: list[Contact]
    leaving_tasks: list[LeavingTask]
    key_adults: list[Contact] = field(default_factory=list)
    # Care or plan episodes recorded as running past the 18th birthday (a mistake to fix).
    open_past_18: list[CareEpisode] = field(default_factory=list)

    @property
    def eighteenth_birthday(self) -> dt.date:
        return eighteenth_birthday(self.pupil.date_of_birth)

    @property
    def responsible_authority(self):
        episode = self.status.episode
        return getattr(episode, "responsible_authority", None)

    @property
    def open_tasks(self) -> list[LeavingTask]:
        return [t for t in self.leaving_tasks if not t.is_done]


PUPIL_RECORD_PREFETCH = (
    "care_episodes__responsible_authority",
    "care_episodes__created_by",
    "contacts__user",
    "contacts__virtual_school",
    "leaving_tasks__completed_by",
)


def pupil_record(pupil: Pupil, *, today: dt.date) -> PupilRecord:
    """What the child's page shows, from ``pupil`` with ``PUPIL_RECORD_PREFETCH`` prefetched
    (the chronology reads the same prefetched rows)."""
    episodes = list(pupil.care_episodes.all())
    contacts = list(pupil.contacts.all())
    current = [c for c in contacts if not c.ended_by(today)]  # in force, or still to start
    return PupilRecord(
        pupil=pupil,
        today=today,
        status=cohort_status(episodes, today),
        nc_year=nc_year_for(pupil.date_of_birth, pupil.nc_year_offset, today),
        episodes=episodes,
        current_contacts=current,
        past_contacts=[c for c in contacts if c not in current],
        leaving_tasks=list(pupil.leaving_tasks.all()),
        key_adults=[c for c in current if c.kind == ContactKind.KEY_ADULT],
        open_past_18=episodes_open_past_18(episodes, pupil.date_of_birth, today),
    )
