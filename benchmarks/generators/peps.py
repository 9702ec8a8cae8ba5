"""PEPs for every child in care: three a year (autumn, spring and summer of 2024 to 2025 and
the autumn of 2025 completed, a draft for the spring of 2026 for half of them), each with its
attendees, attainment, three SMART targets and the review of the last PEP's targets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from benchmarks.context import Context
from benchmarks.generators.core import BATCH
from benchmarks.registry import generator
from peps.models import (
    AttainmentRecord,
    PepAttendee,
    PepTarget,
    PersonalEducationPlan,
    TargetArea,
    TargetReview,
)
from pupils.models import Pupil
from schools.models import Term

COMPLETED_TERMS = [(2024, "autumn"), (2024, "spring"), (2024, "summer"), (2025, "autumn")]
DRAFT_TERM = (2025, "spring")
AREAS = [TargetArea.ACADEMIC, TargetArea.SEMH, TargetArea.ATTENDANCE]


@generator("peps", after=["pupils"])
def peps(ctx: Context) -> None:
    terms: dict[tuple[int, int, str], Term] = {
        (t.academic_year.school_id, t.academic_year.start_year, t.name): t
        for t in Term.objects.select_related("academic_year")
    }
    dt_of = ctx.extra["dt_of_school"]
    now = timezone.now()
    plans: list[PersonalEducationPlan] = []
    pupils = Pupil.objects.filter(pk__in=ctx.extra["in_care_pupils"]).order_by("pk")
    for n, (pk, school_id) in enumerate(pupils.values_list("pk", "school_id")):
        wanted = COMPLETED_TERMS + ([DRAFT_TERM] if n % 2 == 0 else [])
        for year, name in wanted:
            term = terms[(school_id, year, name)]
            completed = (year, name) != DRAFT_TERM
            plans.append(
                PersonalEducationPlan(
                    pupil_id=pk,
                    term=term,
                    status="completed" if completed else "draft",
                    meeting_date=term.first_day + dt.timedelta(days=21),
                    meeting_place="School",
                    voice_going_well="Maths and football club.",
                    voice_hard="Mornings.",
                    carer_views="Settled at home.",
                    social_worker_views="Placement stable.",
                    attendance_percent=Decimal("93.5"),
                    created_by_id=dt_of[school_id],
                    completed_at=now if completed else None,
                    completed_by_id=dt_of[school_id] if completed else None,
                )
            )
    plans = PersonalEducationPlan.objects.bulk_create(plans, batch_size=BATCH)
    attendees, attainment, targets = [], [], []
    for plan in plans:
        attendees += [
            PepAttendee(pep=plan, role="child", name="The child", attendance="present"),
            PepAttendee(pep=plan, role="carer", name="Carer", attendance="present"),
            PepAttendee(pep=plan, role="social_worker", name="Worker", attendance="in_writing"),
        ]
        attainment += [
            AttainmentRecord(pep=plan, subject=s, current="4", expected="5")
            for s in ("English", "Maths", "Science")
        ]
        targets += [
            PepTarget(
                pep=plan,
                area=area,
                action=f"{area.label}: one session a week with the key adult.",
                success_measure="Teacher assessment at the next PEP.",
                responsible="Key adult",
                due_by=plan.term.last_day,
                pp_plus_amount=Decimal("150.00"),
                pp_plus_purpose="Tutoring",
            )
            for area in AREAS
        ]
    PepAttendee.objects.bulk_create(attendees, batch_size=BATCH)
    AttainmentRecord.objects.bulk_create(attainment, batch_size=BATCH)
    targets = PepTarget.objects.bulk_create(targets, batch_size=BATCH)
    # Each PEP after a child's first reviews the targets of the one before.
    by_plan: dict[int, list[PepTarget]] = {}
    for target in targets:
        by_plan.setdefault(target.pep_id, []).append(target)
    reviews = []
    for previous, plan in zip(plans, plans[1:], strict=False):
        if previous.pupil_id != plan.pupil_id:
            continue
        reviews += [
            TargetReview(pep=plan, target=t, outcome="partly", evidence="Some progress.")
            for t in by_plan[previous.pk]
        ]
    TargetReview.objects.bulk_create(reviews, batch_size=BATCH)
    mine = [p for p in plans if p.pupil_id == ctx.most_history_pupil_id]
    ctx.completed_pep_id = next(p.pk for p in reversed(mine) if p.status == "completed")
    drafts = [p for p in plans if p.status == "draft"]
    ctx.draft_pep_id = next(
        (p.pk for p in mine if p.status == "draft"), drafts[0].pk if drafts else 0
    )
    ctx.count(
        peps=len(plans),
        pep_attendees=len(attendees),
        pep_attainment=len(attainment),
        pep_targets=len(targets),
        target_reviews=len(reviews),
    )
