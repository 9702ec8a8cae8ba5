"""The PEP as a PDF for the Virtual School: ``pep_document`` builds a plain dataclass (what the
tests assert on), ``pep_pdf`` renders it with ``core.pdf.render_pdf`` (WeasyPrint, no URL
fetching) from ``templates/peps/pdf/pep.html``.

The document carries every section a Virtual School's ePEP asks for (DOMAIN.md 3.3): the
school, the child (name, date of birth, UPN, year group, care status, responsible authority),
the meeting and who came, the child's own words, the carer's and social worker's views,
attainment, attendance and exclusions, SEN, the latest SDQ, the review of the last PEP's
targets, the new SMART targets with the PP+ asked for each, transition plans and the next
meeting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import slugify

from core.pdf import render_pdf
from peps.contributions.selectors import pep_credits
from peps.models import PersonalEducationPlan
from peps.selectors import latest_sdqs, review_rows, sdq_views_for_pupil, targets_to_review
from pupils import pep_hooks as hooks
from pupils.cohort import IN_CARE, nc_year_for, nc_year_label


@dataclass(frozen=True)
class ChildSection:
    name: str
    legal_name: str
    date_of_birth: dt.date
    upn: str
    year_group: str
    care_status: str
    responsible_authority: str


@dataclass(frozen=True)
class AttendeeRow:
    name: str
    role: str
    attendance: str


@dataclass(frozen=True)
class AttainmentRow:
    subject: str
    current: str
    expected: str
    notes: str


@dataclass(frozen=True)
class SdqRow:
    informant: str
    taken_on: dt.date
    total: int
    band: str
    note: str
    scales: list[tuple[str, int, str]]  # (scale, score, band)
    impact: int | None


@dataclass(frozen=True)
class ReviewRowText:
    area: str
    target: str
    outcome: str
    evidence: str


@dataclass(frozen=True)
class TargetRow:
    area: str
    action: str
    success_measure: str
    responsible: str
    due_by: dt.date | None
    pp_plus_amount: Decimal
    pp_plus_purpose: str
    # What became of the PP+ asked for (other apps' words, through pupils.pep_hooks).
    pp_plus_status: tuple[str, ...] = ()


@dataclass(frozen=True)
class PepDocument:
    school_name: str
    document_title: str
    term: str
    version: int
    status: str
    correction_reason: str
    completed_on: dt.date | None
    completed_by: str
    child: ChildSection
    meeting_date: dt.date | None
    meeting_place: str
    attendees: list[AttendeeRow]
    voice: list[tuple[str, str]]  # (question, the child's words)
    voice_how_gathered: str
    carer_views: str
    social_worker_views: str
    virtual_school_views: str
    attainment_scale: str
    attainment: list[AttainmentRow]
    attendance_percent: Decimal | None
    suspensions: int | None
    suspension_days: Decimal | None
    attendance_notes: str
    sen_status: str
    sen_notes: str
    sdq: list[SdqRow]
    reviews: list[ReviewRowText]
    targets: list[TargetRow]
    transition_plans: str
    next_meeting_date: dt.date | None
    pp_plus_total: Decimal = field(default=Decimal("0"))
    # Whose words each section holds and how they were gathered, for the views accepted from
    # a secure link (peps.contributions): {"Carer's views": ["Sam Carter (carer). Through..."]}.
    credits: dict[str, list[str]] = field(default_factory=dict)
    # From Harbour's register (pupils.pep_hooks): the school year to the meeting date.
    attendance_from_register: list[tuple[str, str]] = field(default_factory=list)

    @property
    def sdq_grid(self) -> list[tuple[str, list[str]]]:
        """The latest SDQs as one table, a row per scale and a column per informant: each cell
        the score and, where Harbour has cut-offs for the informant, its band."""
        if not self.sdq:
            return []
        rows = [
            (label, [_score(s.scales[i][1], s.scales[i][2]) for s in self.sdq])
            for i, (_, label) in enumerate(SDQ_SCALES)
        ]
        rows.append(("Total difficulties (0 to 40)", [_score(s.total, s.band) for s in self.sdq]))
        rows.append(("Impact", ["–" if s.impact is None else str(s.impact) for s in self.sdq]))
        return rows


def _score(score: int, band: str) -> str:
    return f"{score} ({band.lower()})" if band else str(score)


def _care_status(pep: PersonalEducationPlan, day: dt.date) -> tuple[str, str]:
    episodes = sorted(
        (e for e in pep.pupil.care_episodes.all() if e.kind == IN_CARE),
        key=lambda e: e.start_date,
        reverse=True,
    )
    current = next((e for e in episodes if e.in_force_on(day)), episodes[0] if episodes else None)
    if current is None:
        return "Not recorded as in care", "Not recorded"
    basis = f", {current.get_legal_basis_display()}" if current.legal_basis else ""
    status = f"In care{basis}, since {current.start_date:%-d %B %Y}"
    if current.ended_by(day):
        status = (
            f"Was in care{basis}, {current.start_date:%-d %B %Y} to {current.end_date:%-d %B %Y}"
        )
    authority = str(current.responsible_authority) if current.responsible_authority else ""
    return status, authority or "Not recorded"


def pep_document(pep: PersonalEducationPlan) -> PepDocument:
    """Everything the PDF shows, from ``pep`` (a few queries; nothing is rendered)."""
    pupil = pep.pupil
    day = pep.meeting_date or pep.term.first_day
    care_status, authority = _care_status(pep, day)
    sdqs = latest_sdqs(sdq_views_for_pupil(pupil), on=day)
    targets = list(pep.targets.all())
    statuses = hooks.target_statuses(targets)
    return PepDocument(
        school_name=pupil.school.name,
        document_title=f"Personal Education Plan: {pupil.display_name}, {pep.term}",
        term=str(pep.term),
        version=pep.version,
        status=pep.get_status_display(),
        correction_reason=pep.correction_reason,
        completed_on=pep.completed_at.date() if pep.completed_at else None,
        completed_by=pep.completed_by.full_name if pep.completed_by else "",
        child=ChildSection(
            name=pupil.display_name,
            legal_name=pupil.legal_name,
            date_of_birth=pupil.date_of_birth,
            upn=pupil.upn or "Not recorded",
            year_group=nc_year_label(nc_year_for(pupil.date_of_birth, pupil.nc_year_offset, day)),
            care_status=care_status,
            responsible_authority=authority,
        ),
        meeting_date=pep.meeting_date,
        meeting_place=pep.meeting_place,
        attendees=[
            AttendeeRow(a.name, a.get_role_display(), a.get_attendance_display())
            for a in pep.attendees.all()
        ],
        voice=[
            ("What is going well", pep.voice_going_well),
            ("What is hard", pep.voice_hard),
            ("What I would like", pep.voice_would_like),
            ("How I like to be helped", pep.voice_how_helped),
        ],
        voice_how_gathered=pep.voice_how_gathered,
        carer_views=pep.carer_views,
        social_worker_views=pep.social_worker_views,
        virtual_school_views=pep.virtual_school_views,
        attainment_scale=pep.get_attainment_scale_display(),
        attainment=[
            AttainmentRow(r.subject, r.current, r.expected, r.notes) for r in pep.attainment.all()
        ],
        attendance_percent=pep.attendance_percent,
        attendance_from_register=hooks.summary(hooks.ATTENDANCE_SUMMARY, pupil=pupil, until=day),
        suspensions=pep.suspensions,
        suspension_days=pep.suspension_days,
        attendance_notes=pep.attendance_notes,
        sen_status=pep.get_sen_status_display() if pep.sen_status else "Not recorded",
        sen_notes=pep.sen_notes,
        sdq=[
            SdqRow(
                informant=view.score.get_informant_display(),
                taken_on=view.score.taken_on,
                total=view.total,
                band=view.total_band,
                note=view.band_note,
                scales=[
                    (label, getattr(view.score, name), view.band_of(name))
                    for name, label in SDQ_SCALES
                ],
                impact=view.score.impact,
            )
            for view in sdqs
        ],
        reviews=[
            ReviewRowText(
                area=row.target.get_area_display(),
                target=row.target.action,
                outcome=row.review.get_outcome_display() if row.review else "Not reviewed",
                evidence=row.review.evidence if row.review else "",
            )
            for row in review_rows(pep, targets_to_review(pep))
        ],
        targets=[
            TargetRow(
                area=t.get_area_display(),
                action=t.action,
                success_measure=t.success_measure,
                responsible=t.responsible,
                due_by=t.due_by,
                pp_plus_amount=t.pp_plus_amount,
                pp_plus_purpose=t.pp_plus_purpose,
                pp_plus_status=tuple(status.text for status in statuses[t.pk]),
            )
            for t in targets
        ],
        transition_plans=pep.transition_plans,
        next_meeting_date=pep.next_meeting_date,
        pp_plus_total=sum((t.pp_plus_amount for t in targets), Decimal("0")),
        credits=pep_credits(pep),
    )


SDQ_SCALES = [
    ("emotional", "Emotional symptoms"),
    ("conduct", "Conduct problems"),
    ("hyperactivity", "Hyperactivity and inattention"),
    ("peer", "Peer relationship problems"),
    ("prosocial", "Prosocial behaviour"),
]


def pep_filename(pep: PersonalEducationPlan) -> str:
    # ASCII only: the name goes into a Content-Disposition header and an email attachment.
    name = slugify(f"{pep.pupil.surname} {pep.pupil.forename}")
    version = f"-v{pep.version}" if pep.version > 1 else ""
    return f"PEP-{name}-{pep.term.name}-{pep.term.academic_year.start_year}{version}.pdf"


def pep_pdf(pep: PersonalEducationPlan) -> bytes:
    document = pep_document(pep)
    return render_pdf(
        "peps/pdf/pep.html",
        {
            "school_name": document.school_name,
            "document_title": document.document_title,
            "pep": document,
        },
    )
