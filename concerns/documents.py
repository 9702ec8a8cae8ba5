"""The DSL's chronology of a child as a PDF: ``chronology_document`` builds a plain dataclass
(what the tests assert on), ``chronology_pdf`` renders it with ``core.pdf.render_pdf`` from
``templates/concerns/pdf/chronology.html``. Made by a report run, never in a request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

from django.utils import timezone
from django.utils.text import slugify

from accounts.roles import Capability
from core.pdf import render_pdf
from pupils.chronology import ChronologyEntry, chronology_for
from pupils.models import Pupil


@dataclass(frozen=True)
class Row:
    day: dt.date
    time: str  # "14:05", or "" for an entry with only a date
    kind: str
    title: str
    detail: str


@dataclass(frozen=True)
class ChronologyDocument:
    school_name: str
    child_name: str
    date_of_birth: dt.date
    upn: str
    made_on: dt.date
    made_for: str
    rows: list[Row]


def _row(entry: ChronologyEntry) -> Row:
    day, time = entry.sort_key
    timed = isinstance(entry.when, dt.datetime)
    return Row(day, f"{time:%H:%M}" if timed else "", entry.kind, entry.title, entry.detail)


def chronology_document(pupil: Pupil, *, requested_by, today: dt.date) -> ChronologyDocument:
    # The run is asked for by a member of the DSL team (the report kind's capability): the
    # chronology as they see it, every safeguarding entry in full.
    viewer = SimpleNamespace(
        user=requested_by,
        capabilities=frozenset({Capability.ACT_ON_CONCERNS, Capability.VIEW_COHORT}),
    )
    entries = sorted(chronology_for(pupil, viewer), key=lambda e: e.sort_key)  # type: ignore[arg-type]
    return ChronologyDocument(
        school_name=pupil.school.name,
        child_name=pupil.display_name,
        date_of_birth=pupil.date_of_birth,
        upn=pupil.upn,
        made_on=today,
        made_for=requested_by.full_name if requested_by else "",
        rows=[_row(e) for e in entries],
    )


def chronology_pdf(document: ChronologyDocument) -> bytes:
    return render_pdf(
        "concerns/pdf/chronology.html",
        {
            "school_name": document.school_name,
            "document_title": "Safeguarding chronology",
            "doc": document,
        },
    )


def chronology_filename(document: ChronologyDocument) -> str:
    return f"chronology-{slugify(document.child_name)}-{document.made_on:%Y-%m-%d}.pdf"


def local_today() -> dt.date:
    return timezone.localdate()
