"""Reads of PEPs: each child in care's PEP status from the school calendar, the targets a PEP
must review, SDQ scores and their bands, and the compliance figures for a term.

Statuses come from ``peps.due`` (pure); this module only loads what it needs, in a fixed
number of queries whatever the number of children.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from core.models import ReportRun
from peps.due import (
    ChildFacts,
    PepRule,
    PepState,
    PepStatus,
    pep_statuses,
    previous_term,
    term_pep_status,
)
from peps.models import PepSettings, PepTarget, PersonalEducationPlan, SdqScore, TargetReview
from peps.sdq import (
    SELF_REPORT_NOT_BANDED,
    Band,
    Informant,
    SdqScales,
    dfe_lac_band,
    sdq_bands,
)
from pupils.cohort import IN_CARE, add_years, episodes_open_past_18
from pupils.models import CareEpisode, Pupil
from schools.schooldays import (
    SchoolCalendar,
    TermDates,
    TermDatesMissing,
    academic_year_label,
    term_dates_of,
)

Status = PersonalEducationPlan.Status

# DOMAIN.md 5.4: the main carer completes an SDQ at least once a year for each looked-after
# child aged 4 to 16 (Promoting the health and well-being of looked-after children, 2015).
SDQ_AGES = (4, 16)


# --- The school's rule and calendar ----------------------------------------------------------


def pep_rule(school) -> PepRule:
    return PepRule.from_settings(PepSettings.objects.filter(school=school).first())


def pep_settings_for(school) -> PepSettings:
    """The school's settings, unsaved defaults when it has none yet."""
    return PepSettings.objects.filter(school=school).first() or PepSettings(school=school)


# --- Children in care and their PEP status ---------------------------------------------------


def in_care_pupils(school) -> QuerySet[Pupil]:
    """Pupils of ``school`` who have ever been in care, with their in-care episodes (and the
    responsible authority of each) prefetched: two queries."""
    episodes = CareEpisode.objects.filter(kind=IN_CARE).select_related("responsible_authority")
    return (
        Pupil.objects.filter(school=school)
        .filter(Exists(CareEpisode.objects.filter(pupil=OuterRef("pk"), kind=IN_CARE)))
        .prefetch_related(Prefetch("care_episodes", queryset=episodes, to_attr="in_care_episodes"))
    )


def completed_meetings(pupils) -> dict[int, dict[tuple[int, str], dt.date | None]]:
    """For each pupil, the meeting date of their completed PEP of each term: one query."""
    rows = PersonalEducationPlan.objects.filter(
        pupil__in=pupils, status=Status.COMPLETED
    ).values_list("pupil_id", "term__academic_year__start_year", "term__name", "meeting_date")
    meetings: dict[int, dict[tuple[int, str], dt.date | None]] = {}
    for pupil_id, year, name, meeting_date in rows:
        meetings.setdefault(pupil_id, {})[(year, name)] = meeting_date
    return meetings


def child_facts(pupil: Pupil, completed: dict | None = None) -> ChildFacts:
    """``pupil`` (from ``in_care_pupils``, or any pupil: its episodes are then queried)."""
    episodes = getattr(pupil, "in_care_episodes", None)
    if episodes is None:
        episodes = list(pupil.care_episodes.filter(kind=IN_CARE))
    if completed is None:
        completed = completed_meetings([pupil]).get(pupil.pk, {})
    return ChildFacts(
        episodes=tuple(episodes),
        admission_date=pupil.admission_date,
        leaving_date=pupil.leaving_date,
        date_of_birth=pupil.date_of_birth,
        completed=completed,
    )


@dataclass
class ChildPepStatus:
    """A child in care with the PEPs to act on today (most urgent first)."""

    pupil: Pupil
    statuses: list[PepStatus]

    @property
    def status(self) -> PepStatus:
        return self.statuses[0]

    @property
    def virtual_school(self):
        """The responsible authority of the child's latest in-care episode."""
        episodes = sorted(getattr(self.pupil, "in_care_episodes", []), key=lambda e: e.start_date)
        for episode in reversed(episodes):
            if episode.responsible_authority_id:
                return episode.responsible_authority
        return None


@dataclass
class SchoolPepStatuses:
    """The children in care at a school who need a PEP now or have one to catch up on, and
    those whose deadline Harbour cannot work out because it falls in a school year whose term
    dates are missing (by that year's start year)."""

    children: list[ChildPepStatus] = field(default_factory=list)
    term_dates_missing: dict[int, list[Pupil]] = field(default_factory=dict)


def pep_statuses_and_gaps(
    school, *, today: dt.date, calendar: SchoolCalendar | None = None
) -> SchoolPepStatuses:
    """``pep_statuses_for_school`` without letting one child stop the rest: a child whose
    deadline falls in a year without term dates is set aside under that year. Raises
    ``TermDatesMissing`` only when the school's term dates do not reach ``today``."""
    calendar = calendar or SchoolCalendar.for_school(school)
    calendar.current_or_next_term(today)  # today itself must be answerable
    rule = pep_rule(school)
    pupils = list(in_care_pupils(school))
    meetings = completed_meetings(pupils)
    result = SchoolPepStatuses()
    for pupil in pupils:
        facts = child_facts(pupil, meetings.get(pupil.pk, {}))
        try:
            statuses = pep_statuses(calendar=calendar, child=facts, today=today, rule=rule)
        except TermDatesMissing as missing:
            result.term_dates_missing.setdefault(missing.academic_year, []).append(pupil)
            continue
        if any(s.required for s in statuses):
            result.children.append(ChildPepStatus(pupil=pupil, statuses=statuses))
    return result


def pep_statuses_for_school(
    school, *, today: dt.date, calendar: SchoolCalendar | None = None
) -> list[ChildPepStatus]:
    """Every child in care at ``school`` who needs a PEP now or has one to catch up on (those
    whose deadline cannot be worked out are left out: see ``pep_statuses_and_gaps``).
    Raises ``TermDatesMissing`` when the school's term dates do not reach ``today``."""
    return pep_statuses_and_gaps(school, today=today, calendar=calendar).children


def pep_statuses_for_pupil(
    pupil: Pupil, *, today: dt.date, calendar: SchoolCalendar | None = None
) -> list[PepStatus]:
    calendar = calendar or SchoolCalendar.for_school(pupil.school)
    return pep_statuses(
        calendar=calendar, child=child_facts(pupil), today=today, rule=pep_rule(pupil.school)
    )


def startable_terms(pupil: Pupil, *, today: dt.date, calendar: SchoolCalendar) -> list[TermDates]:
    """The terms a PEP may be started for today: this term (in a holiday, the next) and the
    one before it, for a PEP held late; newest first, without those that already have a
    completed PEP or a draft (one query)."""
    current = calendar.current_or_next_term(today)
    earlier = [t for t in calendar.terms if t.first_day < current.first_day]
    terms = [current] + earlier[-1:]
    taken = set(
        PersonalEducationPlan.objects.filter(
            pupil=pupil, status__in=[Status.COMPLETED, Status.DRAFT]
        ).values_list("term_id", flat=True)
    )
    return [t for t in terms if t.pk not in taken]


@dataclass(frozen=True)
class TermCard:
    """A term the child needs (or had) a PEP for, with what the teacher can do about it: open
    the PEP of the term (the completed one, else the draft) or start one."""

    status: PepStatus
    pep: PersonalEducationPlan | None = None
    can_start: bool = False


def term_cards(
    statuses: list[PepStatus], peps: list[PersonalEducationPlan], startable: list[TermDates]
) -> list[TermCard]:
    """``pep_statuses_for_pupil``'s statuses with the PEP of each term, from rows already
    loaded (``peps_for_pupil``, ``startable_terms``): no queries."""
    startable_pks = {t.pk for t in startable}
    cards = []
    for status in statuses:
        of_term = [p for p in peps if p.term_id == status.term.pk]
        pep = next((p for p in of_term if p.status == Status.COMPLETED), None) or next(
            (p for p in of_term if p.status == Status.DRAFT), None
        )
        cards.append(TermCard(status, pep, status.term.pk in startable_pks))
    return cards


def pep_status_for(pep: PersonalEducationPlan, *, today: dt.date) -> PepStatus | None:
    """The state of the PEPs of ``pep``'s child and term today (when it is due), or None when
    the school's term dates cannot say."""
    school = pep.pupil.school
    try:
        return term_pep_status(
            calendar=SchoolCalendar.for_school(school),
            term=term_dates_of(pep.term),
            child=child_facts(pep.pupil),
            today=today,
            rule=pep_rule(school),
        )
    except TermDatesMissing:
        return None


# --- One child's PEPs ------------------------------------------------------------------------


def peps_for_pupil(pupil: Pupil) -> QuerySet[PersonalEducationPlan]:
    return (
        PersonalEducationPlan.objects.filter(pupil=pupil)
        .select_related("term__academic_year", "completed_by")
        .order_by("-term__first_day", "-version")
    )


def previous_pep(pep: PersonalEducationPlan) -> PersonalEducationPlan | None:
    """The child's latest completed PEP of an earlier term: the one whose targets ``pep``
    reviews."""
    return (
        PersonalEducationPlan.objects.filter(
            pupil_id=pep.pupil_id, status=Status.COMPLETED, term__first_day__lt=pep.term.first_day
        )
        .select_related("term__academic_year")
        .order_by("-term__first_day")
        .first()
    )


def targets_to_review(pep: PersonalEducationPlan) -> list[PepTarget]:
    previous = previous_pep(pep)
    if previous is None:
        return []
    return list(previous.targets.all())


PEP_RECORD_PREFETCH = ("attendees", "attainment", "targets", "reviews__target")


def pep_with_parts(queryset: QuerySet[PersonalEducationPlan]) -> QuerySet[PersonalEducationPlan]:
    return queryset.select_related(
        "pupil__school", "term__academic_year", "completed_by", "created_by", "supersedes"
    ).prefetch_related(*PEP_RECORD_PREFETCH)


@dataclass
class ReviewRow:
    target: PepTarget
    review: TargetReview | None


def review_rows(pep: PersonalEducationPlan, targets: list[PepTarget]) -> list[ReviewRow]:
    """Each target to review with this PEP's review of it (or None), from prefetched rows."""
    by_target = {review.target_id: review for review in pep.reviews.all()}
    return [ReviewRow(target=t, review=by_target.get(t.pk)) for t in targets]


# --- SDQ -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SdqView:
    """One SDQ with what Harbour derives from it."""

    score: SdqScore
    total: int
    bands: dict[str, Band]
    band_note: str = ""
    dfe_band: str = ""

    @property
    def total_band(self) -> str:
        band = self.bands.get("total")
        return band.wording("total") if band else ""

    def band_of(self, scale: str) -> str:
        band = self.bands.get(scale)
        return band.wording(scale) if band else ""


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    return (
        day.year
        - date_of_birth.year
        - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    )


def sdq_view(score: SdqScore, date_of_birth: dt.date) -> SdqView:
    scales = SdqScales(
        emotional=score.emotional,
        conduct=score.conduct,
        hyperactivity=score.hyperactivity,
        peer=score.peer,
        prosocial=score.prosocial,
        impact=score.impact,
    )
    total = score.emotional + score.conduct + score.hyperactivity + score.peer
    note = ""
    if age_on(date_of_birth, score.taken_on) < 4:
        # The 2-4 versions have their own cut-offs, which Harbour's sources do not give.
        bands: dict[str, Band] = {}
        note = "Not banded: the SDQ for ages 2 to 4 has other cut-offs."
    else:
        bands = sdq_bands(scales, Informant(score.informant))
        if score.informant == Informant.YOUNG_PERSON:
            note = SELF_REPORT_NOT_BANDED
    dfe = dfe_lac_band(total).label if score.informant == Informant.CARER else ""
    return SdqView(score=score, total=total, bands=bands, band_note=note, dfe_band=str(dfe))


def sdq_views_for_pupil(pupil: Pupil) -> list[SdqView]:
    return [
        sdq_view(score, pupil.date_of_birth)
        for score in SdqScore.objects.filter(pupil=pupil).select_related("recorded_by")
    ]


def latest_sdqs(views: list[SdqView], on: dt.date | None = None) -> list[SdqView]:
    """The latest SDQ of each informant, taken on or before ``on``, carer first."""
    latest: dict[str, SdqView] = {}
    for view in sorted(views, key=lambda v: (v.score.taken_on, v.score.pk)):
        if on is None or view.score.taken_on <= on:
            latest[view.score.informant] = view
    order = list(Informant.values)
    return sorted(latest.values(), key=lambda v: order.index(v.score.informant))


def carer_sdq_cutoff(today: dt.date) -> dt.date:
    """A carer SDQ taken on or after this day is within the last 12 months."""
    return add_years(today, -1) + dt.timedelta(days=1)


def needs_carer_sdq(pupil: Pupil, views: list[SdqView], *, today: dt.date, in_care: bool) -> bool:
    """A child in care aged 4 to 16 with no carer SDQ in the last 12 months (DOMAIN.md 5.4)."""
    if not in_care:
        return False
    low, high = SDQ_AGES
    if not low <= age_on(pupil.date_of_birth, today) <= high:
        return False
    cutoff = carer_sdq_cutoff(today)
    return not any(
        v.score.informant == Informant.CARER and cutoff <= v.score.taken_on <= today for v in views
    )


def pupils_needing_carer_sdq(pupils: list[Pupil], *, today: dt.date) -> set[int]:
    """Of ``pupils`` (children in care), the pks of those aged 4 to 16 without a carer SDQ in
    the last 12 months: one query."""
    low, high = SDQ_AGES
    in_age = [p for p in pupils if low <= age_on(p.date_of_birth, today) <= high]
    recent = set(
        SdqScore.objects.filter(
            pupil__in=in_age,
            informant=Informant.CARER,
            taken_on__gte=carer_sdq_cutoff(today),
            taken_on__lte=today,
        ).values_list("pupil_id", flat=True)
    )
    return {p.pk for p in in_age} - recent


# --- Compliance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplianceRow:
    pupil: Pupil
    status: PepStatus
    pep_id: int | None = None


@dataclass
class PepCompliance:
    """One term's PEPs at one school: every child in care who needed a PEP in the term, and
    whether it was held on time, late, not yet (the deadline has not passed) or not at all."""

    term: TermDates
    today: dt.date
    on_time: list[ComplianceRow] = field(default_factory=list)
    late: list[ComplianceRow] = field(default_factory=list)
    missing: list[ComplianceRow] = field(default_factory=list)
    not_yet_due: list[ComplianceRow] = field(default_factory=list)
    # The term before, whose PEP can still be held late: the children whose PEP for it is
    # overdue.
    previous_term: TermDates | None = None
    previous_missing: list[ComplianceRow] = field(default_factory=list)
    # Children in care (aged 4 to 16) with no carer SDQ in the last 12 months.
    needing_carer_sdq: list[Pupil] = field(default_factory=list)
    # Children whose PEP deadline falls in a school year without term dates, by that year.
    term_dates_missing: dict[int, list[Pupil]] = field(default_factory=dict)
    # Children whose care episode is still open, or ends, after their 18th birthday: a
    # mistake in the record (no PEP is due after it).
    care_open_past_18: list[Pupil] = field(default_factory=list)

    @property
    def term_dates_missing_by_label(self) -> list[tuple[str, list[Pupil]]]:
        """``term_dates_missing`` as ("2027 to 2028", children), oldest year first."""
        return [
            (academic_year_label(year), pupils)
            for year, pupils in sorted(self.term_dates_missing.items())
        ]

    @property
    def children_in_care(self) -> int:
        return len(self.on_time) + len(self.late) + len(self.missing) + len(self.not_yet_due)

    @property
    def completed(self) -> int:
        return len(self.on_time) + len(self.late)

    @property
    def rows(self) -> list[ComplianceRow]:
        return sorted(
            self.missing + self.not_yet_due + self.late + self.on_time,
            key=lambda r: (r.pupil.legal_surname, r.pupil.legal_forename, r.pupil.pk),
        )


def pep_compliance(
    school, term, *, today: dt.date, calendar: SchoolCalendar | None = None
) -> PepCompliance:
    """The compliance figures for ``term`` (a ``schools.models.Term`` or ``TermDates``) on
    ``today``. Queries: the calendar (2), the settings, the children with their episodes (2),
    their completed PEPs, their carer SDQs: 7 whatever the number of children."""
    return pep_compliance_for_terms(school, [term], today=today, calendar=calendar)[0]


def pep_compliance_for_terms(
    school, terms, *, today: dt.date, calendar: SchoolCalendar | None = None
) -> list[PepCompliance]:
    """``pep_compliance`` for each of ``terms`` from the same reads: the dashboard's and the
    report's terms of a year cost 7 queries, not 7 a term."""
    calendar = calendar or SchoolCalendar.for_school(school)
    rule = pep_rule(school)
    pupils = list(in_care_pupils(school))
    completed = PersonalEducationPlan.objects.filter(
        pupil__in=pupils, status=Status.COMPLETED
    ).values_list("pupil_id", "term__academic_year__start_year", "term__name", "meeting_date", "pk")
    meetings: dict[int, dict] = {}
    pep_ids_by_term: dict[tuple[int, str], dict[int, int]] = {}
    for pupil_id, year, name, meeting_date, pk in completed:
        meetings.setdefault(pupil_id, {})[(year, name)] = meeting_date
        pep_ids_by_term.setdefault((year, name), {})[pupil_id] = pk
    facts_of = {pupil.pk: child_facts(pupil, meetings.get(pupil.pk, {})) for pupil in pupils}
    in_care_today = [p for p in pupils if _in_care_on(p, today) and p.on_roll_on(today)]
    needing = pupils_needing_carer_sdq(in_care_today, today=today) if terms else set()
    results = []
    for term in terms:
        dates = term if isinstance(term, TermDates) else term_dates_of(term)
        pep_ids = pep_ids_by_term.get((dates.academic_year, dates.name), {})
        result = PepCompliance(
            term=dates, today=today, previous_term=previous_term(calendar, dates)
        )
        for pupil in pupils:
            facts = facts_of[pupil.pk]
            episodes = getattr(pupil, "in_care_episodes", [])
            if pupil.on_roll_on(today) and episodes_open_past_18(
                episodes, pupil.date_of_birth, today
            ):
                result.care_open_past_18.append(pupil)
            try:
                status = term_pep_status(
                    calendar=calendar, term=dates, child=facts, today=today, rule=rule
                )
            except TermDatesMissing as missing:
                result.term_dates_missing.setdefault(missing.academic_year, []).append(pupil)
                continue
            if status.required:
                row = ComplianceRow(pupil=pupil, status=status, pep_id=pep_ids.get(pupil.pk))
                if status.state == PepState.DONE:
                    (result.on_time if status.on_time else result.late).append(row)
                elif status.state == PepState.OVERDUE:
                    result.missing.append(row)
                else:
                    result.not_yet_due.append(row)
            earlier = _previous_status(calendar, result.previous_term, facts, today, rule)
            if earlier is not None and earlier.state == PepState.OVERDUE:
                result.previous_missing.append(ComplianceRow(pupil=pupil, status=earlier))
        # The most urgent first; the PEPs held in the order they were held.
        for rows in (result.missing, result.not_yet_due, result.previous_missing):
            rows.sort(key=lambda r: (r.status.deadline, r.pupil.surname, r.pupil.forename))
        for rows in (result.on_time, result.late):
            rows.sort(key=lambda r: (r.pupil.surname, r.pupil.forename))
        result.needing_carer_sdq = [p for p in in_care_today if p.pk in needing]
        results.append(result)
    return results


def _previous_status(calendar, term, facts, today, rule) -> PepStatus | None:
    if term is None:
        return None
    try:
        return term_pep_status(calendar=calendar, term=term, child=facts, today=today, rule=rule)
    except TermDatesMissing:
        return None  # the year before the school's first term dates


def _in_care_on(pupil: Pupil, day: dt.date) -> bool:
    return any(e.in_force_on(day) for e in getattr(pupil, "in_care_episodes", []))


# The report run kind of a PEP's PDF (registered in peps/report_kinds.py).
PEP_PDF = "pep_pdf"


def pep_pdf_run(pep: PersonalEducationPlan, *, lock: bool = False) -> ReportRun | None:
    """The latest run making or holding ``pep``'s PDF that has not failed (without the file)."""
    runs = ReportRun.objects.filter(
        school_id=pep.pupil.school_id, kind=PEP_PDF, parameters__pep=pep.pk
    ).exclude(state=ReportRun.State.FAILED)
    if lock:
        runs = runs.select_for_update()
    return runs.defer("content").order_by("-created_at", "-pk").first()


def pep_pdf_failed(pep: PersonalEducationPlan) -> bool:
    """Whether a run making ``pep``'s PDF has failed (its page offers to try again)."""
    return ReportRun.objects.filter(
        school_id=pep.pupil.school_id,
        kind=PEP_PDF,
        parameters__pep=pep.pk,
        state=ReportRun.State.FAILED,
    ).exists()
