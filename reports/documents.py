"""The governors' annual report and the termly report to the head: one document made from
every registered section (``core.report_sections``), as a report run (``core.report_runs``).

``report_document`` builds a plain dataclass the tests assert on without rendering; every count
of children in it is already suppressed below the school's threshold. ``report_pdf`` renders
it. Nothing in either reads a child's name, date of birth or UPN: sections return counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse

from accounts.roles import Capability
from core.models import ReportRun
from core.pdf import NO_CHILD_NAMED, render_pdf
from core.report_runs import ReportKind, register, report_run_progress
from core.report_sections import ReportSection, report_sections, suppress_section
from reports.audit import ReportAction
from reports.models import GovernorsReport
from reports.periods import term_period, year_period
from reports.sections import settings_for
from schools.schooldays import term_dates_of

GOVERNORS_REPORT = "governors_report"


@dataclass(frozen=True)
class DocumentSection:
    number: int
    section: ReportSection
    narrative: str = ""

    @property
    def anchor(self) -> str:
        return f"section-{self.section.key}"


@dataclass
class ReportDocument:
    school_name: str
    document_title: str
    period_label: str
    made_on: dt.date
    threshold: int
    sections: list[DocumentSection] = field(default_factory=list)


def report_period(report: GovernorsReport):
    if report.term_id:
        return term_period(term_dates_of(report.term))
    return year_period(report.academic_year)


def report_document(report: GovernorsReport, *, today: dt.date, run=None) -> ReportDocument:
    school = report.school
    period = report_period(report)
    threshold = settings_for(school).small_group_threshold
    title = (
        f"Designated teacher's annual report to governors, {period.label}"
        if report.kind == GovernorsReport.Kind.ANNUAL
        else f"Designated teacher's report to the headteacher, {period.label}"
    )
    document = ReportDocument(
        school_name=school.name,
        document_title=title,
        period_label=period.label,
        made_on=today,
        threshold=threshold,
    )
    registered = report_sections()
    for number, entry in enumerate(registered, start=1):
        assert entry.report is not None  # report_sections() keeps only sections with a report
        section = entry.report(school, period, threshold=threshold, today=today)
        document.sections.append(
            DocumentSection(
                number=number,
                section=suppress_section(section, threshold),
                narrative=(report.narratives or {}).get(entry.key, ""),
            )
        )
        if run is not None:
            report_run_progress(run, 10 + 70 * number // max(1, len(registered)))
    return document


def report_pdf(document: ReportDocument) -> bytes:
    return render_pdf(
        "reports/governors_report_pdf.html",
        {
            "school_name": document.school_name,
            "document_title": document.document_title,
            # Counts and Harbour's words only: it must not say it holds a child's information.
            "confidentiality": NO_CHILD_NAMED,
            "report": document,
        },
    )


def _report(run: ReportRun) -> GovernorsReport:
    return GovernorsReport.objects.select_related("school", "term__academic_year").get(
        pk=run.parameters["report"], school_id=run.school_id
    )


def render_governors_report(run: ReportRun) -> tuple[str, bytes]:
    report = _report(run)
    today = dt.date.fromisoformat(run.parameters["today"])
    document = report_document(report, today=today, run=run)
    kind = "governors-report" if report.kind == GovernorsReport.Kind.ANNUAL else "termly-report"
    label = document.period_label.replace(" ", "-").lower()
    return f"{kind}-{label}.pdf", report_pdf(document)


def _back_url(run: ReportRun) -> str:
    return reverse("reports:report", args=[run.parameters["report"]])


register(
    ReportKind(
        key=GOVERNORS_REPORT,
        title="Report to governors or the headteacher",
        # Drafts are for the people who write them; governors download a published report
        # through reports' own door (reports.views.governors_download).
        capability=Capability.VIEW_DASHBOARD,
        render=render_governors_report,
        back_url=_back_url,
        downloaded_action=ReportAction.DRAFT_DOWNLOADED,
    )
)
