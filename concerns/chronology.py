"""The concerns app's entries in a child's chronology: each concern raised, each action and
decision, each child protection file sent. Every entry is marked SAFEGUARDING: the registry
(``pupils.chronology``) shows it in full to the DSL team and the head, as "a safeguarding record
exists" to the designated teacher, and not at all to anyone else. Four queries per child."""

from django.urls import reverse

from concerns.models import Action, Concern, CpFileTransfer, Decision
from core.sensitivity import Sensitivity
from pupils.chronology import ChronologyEntry, register

SAFEGUARDING = Sensitivity.SAFEGUARDING


@register("concerns")
def concern_entries(pupil, request) -> list[ChronologyEntry]:
    entries: list[ChronologyEntry] = []
    concerns = Concern.objects.filter(children__pupil=pupil, school_id=pupil.school_id)
    for concern in concerns.select_related("raised_by").prefetch_related("categories"):
        url = reverse("concerns:concern", args=[concern.pk])
        categories = ", ".join(c.name for c in concern.categories.all())
        urgent = " (immediate risk)" if concern.immediate_risk else ""
        entries.append(
            ChronologyEntry(
                when=concern.seen_at,
                kind="concern",
                title=f"Concern {concern.reference} raised{urgent}",
                detail=f"{categories}; by {concern.raised_by_label}",
                url=url,
                sensitivity=SAFEGUARDING,
            )
        )
    actions = Action.objects.filter(concern__in=concerns).select_related("concern")
    for action in actions:
        entries.append(
            ChronologyEntry(
                when=action.taken_on,
                kind="concern",
                title=f"{action.get_kind_display()} ({action.concern.reference})",
                detail=f"By {action.taken_by}",
                url=reverse("concerns:concern", args=[action.concern_id]) + f"#action-{action.pk}",
                sensitivity=SAFEGUARDING,
            )
        )
    for decision in Decision.objects.filter(concern__in=concerns).select_related("concern"):
        entries.append(
            ChronologyEntry(
                when=decision.recorded_at,
                kind="concern",
                title=f"{decision.get_kind_display()} ({decision.concern.reference})",
                detail="",
                url=reverse("concerns:concern", args=[decision.concern_id])
                + f"#decision-{decision.pk}",
                sensitivity=SAFEGUARDING,
            )
        )
    transfer = CpFileTransfer.objects.filter(pupil=pupil).first()
    if transfer is not None:
        entries.append(
            ChronologyEntry(
                when=transfer.sent_on,
                kind="concern",
                title="Child protection file sent",
                detail=transfer.recipient_school,
                url=reverse("concerns:cp_file", args=[pupil.pk]),
                sensitivity=SAFEGUARDING,
            )
        )
    return entries
