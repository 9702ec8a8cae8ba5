"""The PEP app's entries in a child's chronology: each completed PEP, the targets it set and
reviewed, and each SDQ recorded. Four queries, whatever the number of PEPs."""

from django.db.models import Prefetch
from django.urls import reverse

from peps.models import PepTarget, PersonalEducationPlan, SdqScore, TargetReview
from peps.selectors import sdq_view
from pupils.chronology import ChronologyEntry, register

Status = PersonalEducationPlan.Status


@register("peps")
def pep_entries(pupil, request) -> list[ChronologyEntry]:
    entries: list[ChronologyEntry] = []
    peps = (
        PersonalEducationPlan.objects.filter(pupil=pupil)
        .exclude(status=Status.DRAFT)
        .select_related("term__academic_year", "completed_by")
        .prefetch_related(
            Prefetch("targets", queryset=PepTarget.objects.order_by("pk")),
            Prefetch("reviews", queryset=TargetReview.objects.order_by("pk")),
        )
    )
    for pep in peps:
        url = reverse("peps:pep", args=[pep.pk])
        version = f" (version {pep.version}, a correction)" if pep.version > 1 else ""
        held = f"Meeting held {pep.meeting_date:%-d %B %Y}" if pep.meeting_date else ""
        entries.append(
            ChronologyEntry(
                when=pep.completed_at,
                kind="pep",
                title=f"PEP completed for the {pep.term}{version}",
                detail=", ".join(p for p in (held, f"by {pep.completed_by.full_name}") if p),
                url=url,
            )
        )
        targets = list(pep.targets.all())
        if targets:
            pp_plus = sum(t.pp_plus_amount for t in targets)
            areas = sorted({t.get_area_display() for t in targets})
            detail = ", ".join(areas) + (f"; £{pp_plus:,.2f} of PP+ requested" if pp_plus else "")
            entries.append(
                ChronologyEntry(
                    when=pep.completed_at,
                    kind="pep",
                    title=f"{len(targets)} PEP target{'s' if len(targets) != 1 else ''} set",
                    detail=detail,
                    url=url + "#targets",
                )
            )
        reviews = list(pep.reviews.all())
        if reviews:
            counts = {}
            for review in reviews:
                label = review.get_outcome_display().lower()
                counts[label] = counts.get(label, 0) + 1
            entries.append(
                ChronologyEntry(
                    when=pep.completed_at,
                    kind="pep",
                    title=f"{len(reviews)} earlier PEP target{'s' if len(reviews) != 1 else ''} "
                    "reviewed",
                    detail=", ".join(f"{n} {label}" for label, n in counts.items()),
                    url=url + "#reviews",
                )
            )
    for score in SdqScore.objects.filter(pupil=pupil):
        view = sdq_view(score, pupil.date_of_birth)
        band = f" ({view.total_band.lower()})" if view.total_band else ""
        entries.append(
            ChronologyEntry(
                when=score.taken_on,
                kind="sdq",
                title=f"SDQ recorded: {score.get_informant_display().lower()}",
                detail=f"Total difficulties {view.total} out of 40{band}",
                url=reverse("peps:pupil_peps", args=[pupil.pk]) + "#sdq",
            )
        )
    return entries
