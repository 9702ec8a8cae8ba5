"""3,000 suspensions (at the full scale; in proportion at a smaller one) over the autumn of 2025
and the spring of 2026 so far, each of one to three school days from a Monday, decided by the
school's head (the designated teacher stands in outside the largest school), with its notices
to the parents, the local authority and, for a child in care, the Virtual School: most
delivered, some still to send (the sweep's and the dashboard's work)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from benchmarks.context import Context
from benchmarks.generators.core import BATCH
from benchmarks.registry import generator
from exclusions.models import Exclusion, Reason, Recipient, StatutoryNotice
from pupils.models import Pupil

SUSPENSIONS = 3_000
REASONS = [Reason.DISRUPTION, Reason.VERBAL_ABUSE_ADULT, Reason.PHYSICAL_ASSAULT_PUPIL]
# Mondays of school weeks (the generated term dates) before "today".
MONDAYS = [
    dt.date(2025, 9, 8) + dt.timedelta(weeks=w)
    for w in range(15)
    if dt.date(2025, 9, 8) + dt.timedelta(weeks=w) not in (dt.date(2025, 10, 27),)
] + [dt.date(2026, 1, 5), dt.date(2026, 1, 12)]


@generator("exclusions", after=["pupils"])
def exclusions(ctx: Context) -> None:
    wanted = SUSPENSIONS * ctx.scale.children // 12_000
    pupils = list(Pupil.objects.order_by("pk").values_list("pk", "school_id"))
    in_care = set(ctx.extra["in_care_pupils"])
    decider = dict(ctx.extra["dt_of_school"])
    decider[ctx.largest_school_id] = ctx.head_user_id
    made = []
    for n in range(wanted):
        pk, school_id = pupils[(n * 13) % len(pupils)]
        start = MONDAYS[n % len(MONDAYS)]
        length = 1 + n % 3
        made.append(
            Exclusion(
                pupil_id=pk,
                kind=Exclusion.Kind.SUSPENSION,
                start_date=start,
                length=length,
                last_day=start + dt.timedelta(days=length - 1),
                return_date=start + dt.timedelta(days=length),
                reason=REASONS[n % len(REASONS)],
                account="Left the lesson and refused to return.",
                decided_on=start - dt.timedelta(days=3),
                decided_by_id=decider[school_id],
                in_care=pk in in_care,
            )
        )
    made = Exclusion.objects.bulk_create(made, batch_size=BATCH)
    now = timezone.now()
    notices = []
    for n, exclusion in enumerate(made):
        recipients = [Recipient.PARENTS, Recipient.LOCAL_AUTHORITY]
        if exclusion.in_care:
            recipients.append(Recipient.VIRTUAL_SCHOOL)
        for recipient in recipients:
            # One in ten of January's (the last two Mondays) is still to be sent.
            delivered = n % 10 != 0 or n % len(MONDAYS) < len(MONDAYS) - 2
            notices.append(
                StatutoryNotice(
                    exclusion=exclusion,
                    pupil_id=exclusion.pupil_id,
                    purpose=StatutoryNotice.Purpose.DECISION,
                    recipient=recipient,
                    held_because="" if delivered else "no email address",
                    due_by=exclusion.decided_on + dt.timedelta(days=1),
                    delivered_at=now if delivered else None,
                    delivered_by_id=exclusion.decided_by_id if delivered else None,
                )
            )
    StatutoryNotice.objects.bulk_create(notices, batch_size=BATCH)
    ctx.count(suspensions=len(made), exclusion_notices=len(notices))
