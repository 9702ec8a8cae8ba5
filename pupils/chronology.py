"""The child's chronology: one time-ordered feed of everything that happened to the child in
Harbour, to which every app contributes its own events.

How an app adds its events
--------------------------
Write a function that takes the pupil and the viewer's request and returns a list of
``ChronologyEntry``, and register it once when the app loads::

    # peps/chronology.py
    from pupils.chronology import ChronologyEntry, register

    @register("peps")
    def pep_entries(pupil, request):
        return [
            ChronologyEntry(
                when=meeting.held_on,
                kind="pep",
                title="PEP meeting held",
                detail=meeting.summary,
                url=reverse("peps:meeting", args=[meeting.pk]),
            )
            for meeting in pupil.pep_meetings.all()
        ]

    # peps/apps.py
    class PepsConfig(AppConfig):
        name = "peps"

        def ready(self):
            from peps import chronology  # noqa: F401  (registers the source)

The child's page calls ``chronology_for(pupil, request)``, which asks every source, merges the
entries and sorts them newest first. A source reads only what the viewer may see; the page
already requires ``VIEW_COHORT``.

Safeguarding
------------
A source marks an entry ``sensitivity=Sensitivity.SAFEGUARDING`` (or ``restricted=True``, the
older spelling of the same) when it comes from a safeguarding record (a concern, its actions
and outcome). ``chronology_for`` asks ``core.sensitivity.visible_detail``, the one rule every
page uses: a viewer whose roles hold ``ACT_ON_CONCERNS`` (the DSL team and the head) sees the
entry in full; one who sees children but not concerns (the DT) sees only its date and "A
safeguarding record exists – speak to the DSL, <names>" with no detail and no link; anyone else
sees no entry at all. The registry does this, not each source, so a new source cannot forget it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.sensitivity import Detail, Sensitivity, visible_detail


@dataclass(frozen=True)
class ChronologyEntry:
    when: dt.date | dt.datetime
    kind: str  # "status", "contact", "roll", "pep", "concern": a word a page can style
    title: str
    detail: str = ""
    url: str = ""
    # A safeguarding record: shown in full only to viewers who may act on concerns.
    sensitivity: str = Sensitivity.ORDINARY
    restricted: bool = False  # the same as sensitivity=SAFEGUARDING

    @property
    def marked(self) -> str:
        return Sensitivity.SAFEGUARDING if self.restricted else self.sensitivity

    @property
    def day(self) -> dt.date:
        return self.sort_key[0]

    @property
    def sort_key(self) -> tuple[dt.date, dt.time]:
        # An entry with only a date sorts after the timed entries of the same day.
        if isinstance(self.when, dt.datetime):
            moment = timezone.localtime(self.when) if timezone.is_aware(self.when) else self.when
            return (moment.date(), moment.time())
        return (self.when, dt.time.min)


ChronologySource = Callable[..., list[ChronologyEntry]]

_SOURCES: dict[str, ChronologySource] = {}


def register(name: str) -> Callable[[ChronologySource], ChronologySource]:
    """Register ``source(pupil, request) -> list[ChronologyEntry]`` under ``name`` (the app's
    label). Registering the same name again replaces the source, so a module re-imported in
    tests does not add its entries twice."""

    def decorator(source: ChronologySource) -> ChronologySource:
        _SOURCES[name] = source
        return source

    return decorator


def registered_sources() -> dict[str, ChronologySource]:
    return dict(_SOURCES)


def chronology_for(pupil, request: HttpRequest) -> list[ChronologyEntry]:
    """Every source's entries for ``pupil``, newest first, each cut to what the viewer may see
    of it (``core.sensitivity.visible_detail``)."""
    entries = [entry for source in _SOURCES.values() for entry in source(pupil, request)]
    entries = _as_seen_by(entries, pupil, getattr(request, "capabilities", frozenset()))
    return sorted(entries, key=lambda e: e.sort_key, reverse=True)


def _as_seen_by(entries: list[ChronologyEntry], pupil, capabilities) -> list[ChronologyEntry]:
    seen: list[ChronologyEntry] = []
    title = ""
    for entry in entries:
        detail = visible_detail(entry.marked, capabilities)
        if detail is Detail.FULL:
            seen.append(entry)
        elif detail is Detail.EXISTS:
            # One query for the names, and only when there is something to withhold.
            title = title or f"A safeguarding record exists – speak to {dsl_names(pupil.school)}"
            seen.append(replace(entry, kind="safeguarding", title=title, detail="", url=""))
    return seen


def dsl_names(school) -> str:
    """ "the DSL, Tom Okafor, or a deputy DSL, Grace Lewis", from the school's memberships."""
    from accounts.models import Membership

    names: dict[str, list[str]] = {Role.DSL: [], Role.DEPUTY_DSL: []}
    memberships = Membership.objects.filter(
        school=school, role__in=[Role.DSL, Role.DEPUTY_DSL], user__is_active=True
    ).select_related("user")
    for membership in memberships.order_by("user__full_name"):
        names[membership.role].append(membership.user.full_name)
    parts = []
    if names[Role.DSL]:
        parts.append("the DSL, " + " or ".join(names[Role.DSL]))
    if names[Role.DEPUTY_DSL]:
        deputies = " or ".join(names[Role.DEPUTY_DSL])
        parts.append(f"a deputy DSL, {deputies}")
    return ", or ".join(parts) if parts else "the designated safeguarding lead"


# --- The pupils app's own events -------------------------------------------------------------


@register("pupils")
def pupil_entries(pupil, request: HttpRequest) -> list[ChronologyEntry]:
    """Joining and leaving the school, status episodes starting and ending, contacts changing,
    the leaving checklist. Reads the rows ``pupils.selectors.PUPIL_RECORD_PREFETCH`` loads."""
    from pupils.models import Destination

    today = timezone.localdate()
    entries: list[ChronologyEntry] = []
    if pupil.admission_date:
        entries.append(ChronologyEntry(pupil.admission_date, "roll", "Joined the school"))
    if pupil.leaving_date:
        where = Destination(pupil.destination).label if pupil.destination else ""
        if pupil.destination_school_name:
            where = pupil.destination_school_name
        entries.append(
            ChronologyEntry(pupil.leaving_date, "roll", "Last day on roll", detail=where)
        )
    for episode in pupil.care_episodes.all():
        kind = episode.get_kind_display()
        authority = episode.responsible_authority
        detail = ", ".join(
            part
            for part in (
                episode.get_legal_basis_display() if episode.legal_basis else "",
                str(authority) if authority else "",
            )
            if part
        )
        entries.append(ChronologyEntry(episode.start_date, "status", f"{kind} started", detail))
        if episode.ended_by(today):
            entries.append(ChronologyEntry(episode.end_date, "status", f"{kind} ended", detail))
    for contact in pupil.contacts.all():
        role = contact.get_kind_display()
        who = contact.person_name
        entries.append(ChronologyEntry(contact.start_date, "contact", f"{role}: {who}"))
        if contact.ended_by(today):
            entries.append(
                ChronologyEntry(contact.end_date, "contact", f"{role} {who} no longer involved")
            )
    for task in pupil.leaving_tasks.all():
        if task.is_done:
            entries.append(
                ChronologyEntry(
                    task.completed_on,
                    "roll",
                    task.get_item_display(),
                    detail=f"Recorded by {task.completed_by}",
                    url=reverse("pupils:pupil", args=[pupil.pk]) + "#leaving",
                )
            )
    return entries
