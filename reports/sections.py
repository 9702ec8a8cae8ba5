"""The sections reports builds from the apps that exist today, registered into
``core.report_sections`` from ``ReportsConfig.ready`` like any app's: the children in each
group, PEPs, attainment against peers, destinations of leavers and the training record.

Every dashboard callable runs a fixed number of queries whatever the number of children; every
report callable returns counts and Harbour's own words, never a child's name, date of birth
or UPN.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import Role
from core.charts import Series, bar_chart
from core.report_sections import (
    Figure,
    Period,
    ReportSection,
    Section,
    SectionFigures,
    Table,
    register,
    suppressed_percent,
)
from peps.models import SCALE_VALUES, AttainmentRecord, AttainmentScale, PersonalEducationPlan
from peps.selectors import pep_compliance, pep_compliance_for_terms, pep_settings_for
from pupils import periods
from pupils.cohort import CohortGroup
from pupils.models import Destination, Pupil, SenStatus
from pupils.selectors import with_cohort
from reports.models import (
    PeerAttainment,
    ReportSettings,
    TermlyAttainment,
    TrainingKind,
    TrainingRecord,
)
from reports.periods import terms_in
from schools.schooldays import SchoolCalendar, TermDatesMissing

GROUPS = [CohortGroup.CIC, CohortGroup.CPIC, CohortGroup.CWSW, CohortGroup.KINSHIP]
GROUP_NAMES = {
    CohortGroup.CIC: "Children in care",
    CohortGroup.CPIC: "Children previously in care",
    CohortGroup.CWSW: "Children with a social worker",
    CohortGroup.KINSHIP: "Children in kinship care (and in no other group)",
}


def cohort_url(**filters) -> str:
    query = {k: v for k, v in filters.items() if v not in (None, "")}
    return reverse("pupils:cohort") + ("?" + urlencode(query) if query else "")


def settings_for(school) -> ReportSettings:
    return ReportSettings.objects.filter(school=school).first() or ReportSettings(school=school)


# --- Children in each group ------------------------------------------------------------------


def cohort_counts(school, day: dt.date) -> dict:
    """Children on roll on ``day`` in each group, with kinship care, SEN and every pupil: one
    query, counted in SQL."""
    pupils = with_cohort(Pupil.objects.filter(school=school).on_roll_on(day), today=day)
    in_cohort = ~Q(cohort_group=CohortGroup.NONE)
    counts = {g.value: Count("pk", filter=Q(cohort_group=g.value)) for g in GROUPS}
    return pupils.aggregate(
        **counts,
        all_pupils=Count("pk"),
        in_cohort=Count("pk", filter=in_cohort),
        kinship_any=Count("pk", filter=Q(kinship_care=True)),
        sen_support=Count("pk", filter=in_cohort & Q(sen_status=SenStatus.SEN_SUPPORT)),
        ehc_plan=Count("pk", filter=in_cohort & Q(sen_status=SenStatus.EHC_PLAN)),
    )


def authority_counts(school, day: dt.date) -> list[dict]:
    """Children in a group on ``day`` by the responsible authority of the episode that puts
    them there: one query."""
    pupils = with_cohort(Pupil.objects.filter(school=school).on_roll_on(day), today=day)
    return list(
        pupils.exclude(cohort_group=CohortGroup.NONE)
        .exclude(authority_id=None)
        .values("authority_id", "authority_name")
        .annotate(children=Count("pk"))
        .order_by("authority_name")
    )


def _cohort_figures(school, period: Period, today: dt.date, *, links: bool):
    day = period.as_at(today)
    counts = cohort_counts(school, day)
    authorities = authority_counts(school, day)

    def url(**filters):
        # The list behind the number: the children on roll on ``day``, in their group then.
        return cohort_url(**filters, on=day.isoformat() if day < today else "") if links else ""

    figures = [Figure(GROUP_NAMES[g], counts[g.value], url(group=g.value)) for g in GROUPS] + [
        Figure("In kinship care (any group)", counts["kinship_any"], url(kinship="on")),
        Figure(
            "In a group with SEN support",
            counts["sen_support"],
            url(group="in_cohort", sen_status=SenStatus.SEN_SUPPORT),
        ),
        Figure(
            "In a group with an EHC plan",
            counts["ehc_plan"],
            url(group="in_cohort", sen_status=SenStatus.EHC_PLAN),
        ),
        Figure("All pupils on roll", counts["all_pupils"], url(), children=False),
    ]
    table = Table(
        caption="Children in a group by responsible authority",
        headers=["Responsible authority", "Children"],
        rows=[
            [
                a["authority_name"],
                Figure(
                    a["authority_name"],
                    a["children"],
                    url(group="in_cohort", authority=a["authority_id"]),
                ),
            ]
            for a in authorities
        ],
        count_columns=(1,),
        key="authorities",
    )
    return day, counts, figures, table


def cohort_dashboard(school, period: Period, *, capabilities, today: dt.date) -> SectionFigures:
    day, counts, figures, table = _cohort_figures(school, period, today, links=True)
    return SectionFigures(
        key="cohort",
        title="Children in each group",
        figures=figures,
        tables=[table],
        note=(
            f"On roll on {day:%-d %B %Y}. The lists behind the numbers show each child's group "
            "on that day."
        ),
    )


def cohort_report(school, period: Period, *, threshold: int, today: dt.date) -> ReportSection:
    day, counts, figures, table = _cohort_figures(school, period, today, links=False)
    chart = bar_chart(
        title="Children in each group",
        summary="Children on roll in each group: "
        + ", ".join(f"{GROUP_NAMES[g]} {counts[g.value]}" for g in GROUPS),
        labels=[CohortGroup(g).label for g in GROUPS],
        series=[Series("Children", [counts[g.value] for g in GROUPS])],
    )
    return ReportSection(
        key="cohort",
        title="Children in each group",
        paragraphs=[
            f"The children on roll on {day:%-d %B %Y} in each group the designated teacher "
            "looks after. Each child is counted once, in the first group that applies: in "
            "care, previously in care, with a social worker (now or in the last six years), "
            "in kinship care."
        ],
        figures=figures,
        tables=[table],
        # A chart of small numbers would show what the table hides: only when none is small.
        charts=[chart]
        if all(counts[g.value] == 0 or counts[g.value] >= threshold for g in GROUPS)
        else [],
    )


# --- PEPs ------------------------------------------------------------------------------------


# The compliance page's anchors (templates/peps/compliance.html).
ANCHORS = {
    "needed": "counts",
    "on_time": "on-time",
    "late": "late",
    "missing": "missing",
    "not_yet_due": "not-yet",
}


def _pep_rows(school, period: Period, today: dt.date):
    calendar = SchoolCalendar.for_school(school)
    terms = [term for term in terms_in(calendar, period) if term.first_day <= today]
    try:
        # One set of reads for every term of the period (docs/benchmarks.md).
        return list(
            zip(
                terms,
                pep_compliance_for_terms(school, terms, today=today, calendar=calendar),
                strict=True,
            )
        )
    except TermDatesMissing:
        pass
    rows = []
    for term in terms:
        try:
            report = pep_compliance(school, term, today=today, calendar=calendar)
        except TermDatesMissing:
            continue
        rows.append((term, report))
    return rows


def pep_dashboard(school, period: Period, *, capabilities, today: dt.date) -> SectionFigures:
    rows = _pep_rows(school, period, today)
    if not rows:
        return SectionFigures(
            key="peps", title="Personal Education Plans", note="No term of this period has started."
        )
    url = reverse("peps:compliance")
    table_rows = []
    totals: defaultdict[str, int] = defaultdict(int)
    for term, report in rows:
        link = f"{url}?term={term.pk}"
        counts = {
            "needed": len(report.on_time)
            + len(report.late)
            + len(report.missing)
            + len(report.not_yet_due),
            "on_time": len(report.on_time),
            "late": len(report.late),
            "missing": len(report.missing),
            "not_yet_due": len(report.not_yet_due),
        }
        for name, value in counts.items():
            totals[name] += value
        table_rows.append(
            [str(term)]
            + [Figure(name, value, f"{link}#{ANCHORS[name]}") for name, value in counts.items()]
        )
    latest_term, latest = rows[-1]
    latest_link = f"{url}?term={latest_term.pk}"
    figures = [
        Figure(
            "PEPs overdue", len(latest.missing), f"{latest_link}#missing", hint=str(latest_term)
        ),
        Figure(
            "PEPs not yet held, deadline to come", len(latest.not_yet_due), f"{latest_link}#not-yet"
        ),
        Figure("PEPs held on time", len(latest.on_time), f"{latest_link}#on-time"),
        Figure("PEPs held late", len(latest.late), f"{latest_link}#late"),
    ]
    return SectionFigures(
        key="peps",
        title="Personal Education Plans",
        figures=figures,
        tables=[
            Table(
                caption="PEPs by term",
                headers=["Term", "Needed", "On time", "Late", "Missing", "Not yet due"],
                rows=table_rows,
                count_columns=(1, 2, 3, 4, 5),
                total_column=1,
                key="peps",
            )
        ],
        note=f"The figures above are for {latest_term}.",
    )


def pep_report(school, period: Period, *, threshold: int, today: dt.date) -> ReportSection:
    rows = _pep_rows(school, period, today)
    table_rows = []
    on_time = needed = 0
    for term, report in rows:
        held = len(report.on_time) + len(report.late)
        term_needed = held + len(report.missing) + len(report.not_yet_due)
        needed += term_needed - len(report.not_yet_due)
        on_time += len(report.on_time)
        table_rows.append(
            [
                str(term),
                term_needed,
                len(report.on_time),
                len(report.late),
                len(report.missing),
                len(report.not_yet_due),
            ]
        )
    paragraphs = [
        "Every child in care must have a Personal Education Plan, reviewed each term with the "
        "Virtual School (Children Act 1989 s22(3A); Promoting the education of looked-after "
        "children, 2018). Harbour counts a PEP on time when its meeting was held by the term's "
        "deadline, or within 20 school days of a child coming into care or joining the school."
    ]
    if needed:
        share = suppressed_percent(on_time, needed, threshold)
        paragraphs.append(f"Of the PEPs whose deadline has passed, {share} were held on time.")
    return ReportSection(
        key="peps",
        title="Personal Education Plans",
        paragraphs=paragraphs,
        tables=[
            Table(
                caption="PEPs of children in care by term",
                headers=[
                    "Term",
                    "Needed",
                    "Held on time",
                    "Held late",
                    "Not held",
                    "Deadline to come",
                ],
                rows=table_rows,
                count_columns=(1, 2, 3, 4, 5),
                # Needed = on time + late + not held + deadline to come: declared so that a
                # hidden count cannot be worked out by subtraction.
                total_column=1,
            )
        ],
    )


# --- Attainment against peers ----------------------------------------------------------------

ATTAINMENT_GROUPS = [CohortGroup.CIC, CohortGroup.CPIC, CohortGroup.CWSW]
ATTAINMENT_HEADERS = [
    "Subject",
    "In care",
    "Previously in care",
    "With a social worker",
    "All pupils",
]


def standard_point(scale: str) -> str:
    """The point that counts as "at the expected standard": Expected (primary) or grade 4, a
    standard pass (secondary: DfE's headline measure)."""
    return "Expected" if scale == AttainmentScale.PRIMARY else "4"


def at_or_above(value: str, point: str, scale: str) -> bool:
    values = SCALE_VALUES[scale]
    return value in values and values.index(value) >= values.index(point)


def attainment_figures(school, period: Period, today: dt.date) -> dict:
    """For the last started term of ``period``: per subject, per group, how many children have
    an attainment recorded and how many are at the standard or above, and the whole school's
    percentage. Children in care from their latest completed PEP of the term; children
    previously in care or with a social worker from their termly record. Five queries."""
    calendar = SchoolCalendar.for_school(school)
    terms = [t for t in terms_in(calendar, period) if t.first_day <= today]
    if not terms:
        return {"term": None}
    term = terms[-1]
    if term.pk is None:
        raise ValueError(f"{term} is not a saved term: attainment is recorded against a saved one")
    scale = pep_settings_for(school).attainment_scale
    point = standard_point(scale)
    day = min(term.last_day, today)
    groups = dict(
        with_cohort(Pupil.objects.filter(school=school).on_roll_on(day), today=day)
        .filter(cohort_group__in=[g.value for g in ATTAINMENT_GROUPS])
        .values_list("pk", "cohort_group")
    )
    records = list(
        AttainmentRecord.objects.filter(
            pep__pupil_id__in=groups,
            pep__term_id=term.pk,
            pep__status=PersonalEducationPlan.Status.COMPLETED,
        ).values_list("pep__pupil_id", "subject", "current")
    ) + list(
        TermlyAttainment.objects.filter(pupil_id__in=groups, term_id=term.pk).values_list(
            "pupil_id", "subject", "current"
        )
    )
    by_subject: dict[str, dict[str, list[int]]] = defaultdict(
        lambda: {g.value: [0, 0] for g in ATTAINMENT_GROUPS}
    )
    seen = set()
    for pupil_id, subject, current in records:
        if (pupil_id, subject) in seen:  # a child in care with a PEP and a termly record
            continue
        seen.add((pupil_id, subject))
        cell = by_subject[subject][groups[pupil_id]]
        cell[0] += 1
        cell[1] += at_or_above(current, point, scale)
    peers = dict(
        PeerAttainment.objects.filter(school=school, term_id=term.pk, point=point).values_list(
            "subject", "percent_at_or_above"
        )
    )
    subjects = sorted(set(by_subject) | set(peers))
    return {
        "term": term,
        "point": point,
        "subjects": [(s, by_subject[s], peers.get(s)) for s in subjects],
    }


def _percent(cell) -> str:
    n, at = cell
    return f"{round(100 * at / n)}% ({at} of {n})" if n else "–"


def _peer(value: Decimal | None) -> str:
    return f"{value.normalize():f}%" if value is not None else "not entered"


def attainment_dashboard(school, period: Period, *, capabilities, today: dt.date) -> SectionFigures:
    data = attainment_figures(school, period, today)
    if data["term"] is None:
        return SectionFigures(
            key="attainment",
            title="Attainment against peers",
            note="No term of this period has started.",
        )
    rows = [
        [subject] + [_percent(cells[g.value]) for g in ATTAINMENT_GROUPS] + [_peer(peer)]
        for subject, cells, peer in data["subjects"]
    ]
    return SectionFigures(
        key="attainment",
        title="Attainment against peers",
        tables=[
            Table(
                caption=f"At {data['point']} or above, {data['term']}",
                headers=ATTAINMENT_HEADERS,
                rows=rows,
                key="attainment",
            )
        ],
        note=(
            "Children in care: their PEP of the term. Others: their termly record. All pupils: "
            "the figures entered under Peer attainment."
        )
        if rows
        else "No attainment recorded for this term yet.",
    )


def attainment_report(school, period: Period, *, threshold: int, today: dt.date) -> ReportSection:
    data = attainment_figures(school, period, today)
    if data["term"] is None:
        return ReportSection(
            key="attainment",
            title="Progress and attainment against peers",
            paragraphs=["No term of this period has started."],
        )
    rows = [
        [subject]
        + [
            suppressed_percent(cells[g.value][1], cells[g.value][0], threshold)
            for g in ATTAINMENT_GROUPS
        ]
        + [_peer(peer)]
        for subject, cells, peer in data["subjects"]
    ]
    return ReportSection(
        key="attainment",
        title="Progress and attainment against peers",
        paragraphs=[
            f"The share of each group at {data['point']} or above in each subject in "
            f"{data['term']}, against all pupils at the school. A group of fewer than "
            f"{threshold} children is not shown, so that no child can be identified."
        ],
        tables=[
            Table(
                caption=f"At {data['point']} or above, {data['term']}",
                headers=ATTAINMENT_HEADERS,
                rows=rows,
            )
        ],
    )


# --- Destinations of leavers -----------------------------------------------------------------

DESTINATION_GROUPS = [CohortGroup.CIC, CohortGroup.CPIC, CohortGroup.CWSW, CohortGroup.KINSHIP]


def destination_counts(school, period: Period) -> dict[tuple[str, str], int]:
    """Leavers of ``period`` (last day on roll within it) in a group, by group and destination;
    the group is the child's on the period's last day. One query."""
    leavers = with_cohort(
        Pupil.objects.filter(
            periods.left_during_q(period.first_day, period.last_day), school=school
        ),
        today=period.last_day,
    )
    rows = (
        leavers.exclude(cohort_group=CohortGroup.NONE)
        .values("cohort_group", "destination")
        .annotate(children=Count("pk"))
        .order_by()
    )
    return {
        (r["cohort_group"], r["destination"] or Destination.NOT_KNOWN): r["children"] for r in rows
    }


def _destination_table(school, period: Period, *, links: bool) -> Table:
    counts = destination_counts(school, period)
    rows = []
    for value, label in Destination.choices:
        cells: list = [label]
        for group in DESTINATION_GROUPS:
            n = counts.get((group.value, value), 0)
            url = (
                cohort_url(
                    left_in=period.academic_year,
                    destination=value,
                    group=group.value,
                    on=period.last_day.isoformat(),
                )
                if links
                else ""
            )
            cells.append(Figure(label, n, url))
        rows.append(cells)
    return Table(
        caption=f"Leavers in {period.label} by destination",
        headers=[
            "Destination",
            "In care",
            "Previously in care",
            "With a social worker",
            "Kinship care",
        ],
        rows=rows,
        count_columns=(1, 2, 3, 4),
        key="destinations",
    )


def destination_dashboard(
    school, period: Period, *, capabilities, today: dt.date
) -> SectionFigures:
    return SectionFigures(
        key="destinations",
        title="Destinations of leavers",
        tables=[_destination_table(school, period, links=True)],
    )


def destination_report(school, period: Period, *, threshold: int, today: dt.date) -> ReportSection:
    return ReportSection(
        key="destinations",
        title="Destinations of leavers",
        paragraphs=[
            "Where the children in each group who left the school in this period went, as the "
            "school recorded it when they left."
        ],
        tables=[_destination_table(school, period, links=False)],
    )


# --- Training --------------------------------------------------------------------------------

LEAD_ROLES: dict[str, str] = {
    Role.DESIGNATED_TEACHER: "Designated teacher",
    Role.DSL: "Designated safeguarding lead",
}


def training_figures(school, period: Period) -> dict:
    """The designated teacher's and DSL's training days in ``period`` against the school's
    expectation, and the whole-staff sessions on attachment and trauma-informed practice.
    Four queries."""
    settings = settings_for(school)
    leads = list(
        Membership.objects.filter(school=school, role__in=list(LEAD_ROLES))
        .order_by("role", "user__full_name")
        .values_list("user_id", "user__full_name", "role")
    )
    in_period = Q(
        trainingrecord__school=school,
        trainingrecord__date__gte=period.first_day,
        trainingrecord__date__lte=period.last_day,
    )
    # django-stubs loses the "hours" annotation on a values() queryset of the through model.
    hours = dict(
        TrainingRecord.attendees.through.objects.filter(in_period)  # type: ignore[misc]
        .values("user_id")
        .annotate(hours=Sum("trainingrecord__hours"))
        .values_list("user_id", "hours")
    )
    whole_staff = TrainingRecord.objects.filter(
        school=school,
        kind=TrainingKind.ATTACHMENT,
        date__gte=period.first_day,
        date__lte=period.last_day,
    ).aggregate(sessions=Count("pk"), staff=Sum("staff_attending"))
    people = []
    for user_id, name, role in leads:
        days = (hours.get(user_id) or Decimal(0)) / settings.hours_per_training_day
        people.append(
            {
                "name": name,
                "role": LEAD_ROLES[role],
                "days": days.quantize(Decimal("0.1")),
                "met": days >= settings.expected_training_days,
            }
        )
    return {
        "people": people,
        "expected": settings.expected_training_days,
        "whole_staff": whole_staff,
    }


def training_table(data, period: Period) -> Table:
    return Table(
        caption=f"Training days in {period.label} (expected: {data['expected']:g} a year)",
        headers=["Role", "Name", "Days", "Expectation met"],
        rows=[
            [p["role"], p["name"], f"{p['days'].normalize():f}", "Yes" if p["met"] else "Not yet"]
            for p in data["people"]
        ],
        key="training",
    )


def training_dashboard(school, period: Period, *, capabilities, today: dt.date) -> SectionFigures:
    data = training_figures(school, period)
    url = reverse("reports:training") + f"?year={period.academic_year}"
    short = sum(1 for p in data["people"] if not p["met"])
    return SectionFigures(
        key="training",
        title="Training",
        figures=[
            Figure("Leads below the expected training days", short, url, children=False),
            Figure(
                "Whole-staff sessions on attachment and trauma",
                data["whole_staff"]["sessions"],
                url,
                children=False,
            ),
        ],
        tables=[training_table(data, period)],
    )


def training_report(school, period: Period, *, threshold: int, today: dt.date) -> ReportSection:
    data = training_figures(school, period)
    sessions = data["whole_staff"]["sessions"]
    staff = data["whole_staff"]["staff"] or 0
    return ReportSection(
        key="training",
        title="Training of the designated teacher and staff",
        paragraphs=[
            f"The school expects its designated teacher and designated safeguarding lead to "
            f"train for {data['expected']:g} days a year. In this period the whole staff had "
            f"{sessions} session{'s' if sessions != 1 else ''} on attachment and "
            f"trauma-informed practice ({staff} attendances)."
        ],
        tables=[training_table(data, period)],
    )


def register_sections() -> None:
    register(Section("cohort", "Children in each group", 10, cohort_dashboard, cohort_report))
    register(Section("peps", "Personal Education Plans", 20, pep_dashboard, pep_report))
    register(
        Section(
            "attainment", "Attainment against peers", 30, attainment_dashboard, attainment_report
        )
    )
    register(
        Section(
            "destinations", "Destinations of leavers", 70, destination_dashboard, destination_report
        )
    )
    register(Section("training", "Training", 80, training_dashboard, training_report))
