"""Reading attendance: the figures for any period, computed in SQL (DOMAIN.md 1.4).

* Possible sessions: marks whose code is present, approved educational activity (AEA),
  authorised or unauthorised absence; ``D``, ``X``, ``Q``, ``Y1``-``Y7``, ``Z`` and ``#`` are not.
* Attendance % = (present + AEA) / possible x 100; absence is the rest.
* Persistent absence: missing 10% or more of one's own possible sessions; severe: 50% or more.
  Both are compared as whole numbers (missed x 10 >= possible), so exactly 10% is persistent.
* The placement-move figure leaves out absence on the days of a care placement move
  (``PlacementMove``): those sessions are neither missed nor possible.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from attendance.codes import (
    ABSENT,
    ATTENDED,
    LATE_AFTER_CLOSE,
    LATE_BEFORE_CLOSE,
    POSSIBLE,
    Category,
    codes_in,
)
from attendance.models import PlacementMove, SessionMark

PERSISTENT_PERCENT = 10  # DOMAIN.md 1.4 [S18]: DfE's line since 2015/16
SEVERE_PERCENT = 50  # DOMAIN.md 1.4 [S18]


@dataclass(frozen=True)
class Figures:
    possible: int = 0
    present: int = 0
    aea: int = 0
    authorised: int = 0
    unauthorised: int = 0
    late_before_close: int = 0
    late_after_close: int = 0
    not_possible: int = 0

    @property
    def attended(self) -> int:
        return self.present + self.aea

    @property
    def missed(self) -> int:
        return self.authorised + self.unauthorised

    @property
    def percent(self) -> Decimal | None:
        if not self.possible:
            return None
        return (Decimal(self.attended) * 100 / self.possible).quantize(Decimal("0.1"))

    @property
    def persistent(self) -> bool:
        return bool(self.possible) and self.missed * 100 >= self.possible * PERSISTENT_PERCENT

    @property
    def severe(self) -> bool:
        return bool(self.possible) and self.missed * 100 >= self.possible * SEVERE_PERCENT


def _counts(prefix: str = "") -> dict:
    def n(codes) -> Count:
        return Count(
            "pk" if not prefix else f"{prefix}pk", filter=Q(**{f"{prefix}code__in": codes})
        )

    return {
        "possible": n(POSSIBLE),
        "present": n(codes_in(Category.PRESENT)),
        "aea": n(codes_in(Category.AEA)),
        "authorised": n(codes_in(Category.AUTHORISED)),
        "unauthorised": n(codes_in(Category.UNAUTHORISED)),
        "late_before_close": n([LATE_BEFORE_CLOSE]),
        "late_after_close": n([LATE_AFTER_CLOSE]),
        "not_possible": n(codes_in(Category.NOT_POSSIBLE)),
    }


def _in_placement_move() -> Exists:
    return Exists(
        PlacementMove.objects.filter(
            pupil=OuterRef("pupil"), first_day__lte=OuterRef("date"), last_day__gte=OuterRef("date")
        )
    )


def marks_between(pupil, first: dt.date, last: dt.date) -> QuerySet[SessionMark]:
    return SessionMark.objects.filter(pupil=pupil, date__gte=first, date__lte=last)


def figures_for(
    pupil, first: dt.date, last: dt.date, *, without_placement_moves: bool = False
) -> Figures:
    """One child's figures from ``first`` to ``last`` (both included): one query."""
    marks = marks_between(pupil, first, last)
    if without_placement_moves:
        marks = marks.exclude(_in_placement_move() & Q(code__in=ABSENT))
    return Figures(**marks.aggregate(**_counts()))


def figures_by_pupil(pupils: QuerySet, first: dt.date, last: dt.date) -> dict[int, Figures]:
    """Each child's figures from ``first`` to ``last``: one grouped query, whatever their number."""
    rows = (
        SessionMark.objects.filter(pupil__in=pupils, date__gte=first, date__lte=last)
        .values("pupil_id")
        .annotate(**_counts())
    )
    return {row.pop("pupil_id"): Figures(**row) for row in rows}


@dataclass(frozen=True)
class GroupFigures:
    pupils: int
    possible: int
    attended: int
    persistent: int
    severe: int

    @property
    def percent(self) -> Decimal | None:
        if not self.possible:
            return None
        return (Decimal(self.attended) * 100 / self.possible).quantize(Decimal("0.1"))


def group_figures(pupils: QuerySet, first: dt.date, last: dt.date) -> GroupFigures:
    by_pupil = figures_by_pupil(pupils, first, last)
    figures = list(by_pupil.values())
    return GroupFigures(
        pupils=len(figures),
        possible=sum(f.possible for f in figures),
        attended=sum(f.attended for f in figures),
        persistent=sum(f.persistent for f in figures),
        severe=sum(f.severe for f in figures),
    )


def weekly_percentages(
    pupil, first: dt.date, last: dt.date
) -> list[tuple[dt.date, Decimal | None]]:
    """(Monday, attendance %) for each week with a possible session: one grouped query."""
    from django.db.models.functions import TruncWeek

    rows = (
        marks_between(pupil, first, last)
        .annotate(week=TruncWeek("date"))
        .values("week")
        .annotate(
            possible=Count("pk", filter=Q(code__in=POSSIBLE)),
            attended=Count("pk", filter=Q(code__in=ATTENDED)),
        )
        .order_by("week")
    )
    out = []
    for row in rows:
        if row["possible"]:
            week = row["week"].date() if isinstance(row["week"], dt.datetime) else row["week"]
            pct = (Decimal(row["attended"]) * 100 / row["possible"]).quantize(Decimal("0.1"))
            out.append((week, pct))
    return out


def unexplained_run(pupil, last: dt.date, *, limit: int = 60) -> int:
    """How many of the child's latest possible sessions up to ``last`` are in a row N, O or U."""
    from attendance.codes import UNEXPLAINED

    codes = (
        SessionMark.objects.filter(pupil=pupil, date__lte=last, code__in=POSSIBLE)
        .order_by("-date", "-session")
        .values_list("code", flat=True)[:limit]
    )
    run = 0
    for code in codes:
        if code not in UNEXPLAINED:
            break
        run += 1
    return run
