"""Every school's own attainment figures (the peers each group's attainment is compared with)
for English, maths and science in every term of 2024 to 2026, and the governors' annual report
of the largest school for 2024 to 2025 (its context and PDF are measured)."""

from __future__ import annotations

from decimal import Decimal

from benchmarks.context import Context
from benchmarks.generators.core import BATCH
from benchmarks.registry import generator
from reports.models import GovernorsReport, PeerAttainment
from schools.models import Term

SUBJECTS = ("English", "Maths", "Science")


@generator("reports", after=["staff"])
def reports(ctx: Context) -> None:
    terms = Term.objects.filter(academic_year__start_year__in=(2024, 2025)).values_list(
        "pk", "academic_year__school_id"
    )
    figures = [
        PeerAttainment(
            school_id=school_id,
            term_id=term_id,
            subject=subject,
            point="4",
            percent_at_or_above=Decimal(55 + (term_id + n) % 20),
        )
        for term_id, school_id in terms
        for n, subject in enumerate(SUBJECTS)
    ]
    PeerAttainment.objects.bulk_create(figures, batch_size=BATCH)
    report = GovernorsReport.objects.create(
        school_id=ctx.largest_school_id,
        kind=GovernorsReport.Kind.ANNUAL,
        academic_year=2024,
        requested_by_id=ctx.dt_user_id,
    )
    ctx.extra["governors_report_id"] = report.pk
    ctx.count(peer_attainment=len(figures), governors_reports=1)
