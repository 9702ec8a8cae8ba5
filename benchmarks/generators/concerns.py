"""20,000 safeguarding concerns (at the full scale; in proportion at a smaller one), each about
one child (one in twenty about two siblings), with one or two categories, two or three actions
and, for two in three, a closing decision: the DSL team's list of the largest school holds
hundreds, most of them closed. Raised by each school's designated teacher (the DSL in the
largest school)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from benchmarks.context import Context
from benchmarks.generators.core import BATCH
from benchmarks.registry import generator
from concerns.models import Action, Category, Concern, ConcernCategory, ConcernPupil, Decision
from pupils.models import Pupil

CONCERNS = 20_000
KINDS = [
    Action.Kind.TRIAGED,
    Action.Kind.SPOKE_TO_CHILD,
    Action.Kind.CONSULTED_SOCIAL_WORKER,
    Action.Kind.MONITORING,
]


@generator("concerns", after=["pupils"])
def concerns(ctx: Context) -> None:
    wanted = CONCERNS * ctx.scale.children // 12_000
    pupils = list(Pupil.objects.order_by("pk").values_list("pk", "school_id"))
    categories = list(Category.objects.order_by("position").values_list("pk", flat=True))
    dt_of = dict(ctx.extra["dt_of_school"])
    dt_of[ctx.largest_school_id] = ctx.dsl_user_id
    seen = timezone.make_aware(dt.datetime(2025, 12, 1, 10, 30))
    made = Concern.objects.bulk_create(
        (
            Concern(
                school_id=pupils[(n * 7) % len(pupils)][1],
                raised_by_id=dt_of[pupils[(n * 7) % len(pupils)][1]],
                seen_at=seen - dt.timedelta(hours=n % 4000),
                location="Classroom",
                account="Said they had not eaten since yesterday.",
                immediate_risk=n % 50 == 0,
            )
            for n in range(wanted)
        ),
        batch_size=BATCH,
    )
    children, cats, actions, decisions = [], [], [], []
    for n, concern in enumerate(made):
        i = (n * 7) % len(pupils)
        children.append(ConcernPupil(concern=concern, pupil_id=pupils[i][0]))
        if n % 20 == 0 and i + 1 < len(pupils) and pupils[i + 1][1] == pupils[i][1]:
            children.append(ConcernPupil(concern=concern, pupil_id=pupils[i + 1][0]))
        cats.append(ConcernCategory(concern=concern, category_id=categories[n % len(categories)]))
        if n % 3 == 0:
            cats.append(
                ConcernCategory(concern=concern, category_id=categories[(n + 1) % len(categories)])
            )
        day = concern.seen_at.date()
        for a in range(2 + n % 2):
            actions.append(
                Action(
                    concern=concern,
                    kind=KINDS[(n + a) % len(KINDS)],
                    taken_on=day + dt.timedelta(days=a),
                    taken_by="Safeguarding Lead",
                    details="Spoke with the child; no further concerns today.",
                    recorded_by_id=concern.raised_by_id,
                )
            )
        if n % 3 != 2:
            decisions.append(
                Decision(
                    concern=concern,
                    kind=Decision.Kind.CLOSED,
                    decision="Closed: support in place.",
                    reason="Monitoring showed no further concern.",
                    recorded_by_id=concern.raised_by_id,
                )
            )
    ConcernPupil.objects.bulk_create(children, batch_size=BATCH)
    ConcernCategory.objects.bulk_create(cats, batch_size=BATCH)
    Action.objects.bulk_create(actions, batch_size=BATCH)
    Decision.objects.bulk_create(decisions, batch_size=BATCH)
    ctx.count(
        concerns=len(made),
        concern_children=len(children),
        concern_actions=len(actions),
        concern_decisions=len(decisions),
    )
