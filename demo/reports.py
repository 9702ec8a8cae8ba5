"""The demo's training record, whole-school attainment and, for the last school year, a
published governors' annual report, so a governor who signs in can download one at once.

The report is made through the report run as a school's is (``reports.services``), then
rendered here rather than by the worker, inside the load, and published by the designated
teacher. Running it again adds nothing: a training course of the same name and date, a peer
figure for the same term, subject and point, or a published report of the year is left alone.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from accounts.models import User
from core.report_runs import report_run_render
from demo.datafile import read_datafile
from reports.models import GovernorsReport, PeerAttainment, TrainingRecord
from reports.services import governors_report_publish, governors_report_request
from schools.models import AcademicYear, Term
from schools.schooldays import academic_year_of

logger = logging.getLogger(__name__)


def load_demo_reports(school, *, today: dt.date) -> GovernorsReport | None:
    data = read_datafile("reports")
    domain = read_datafile("school")["domain"]
    users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{domain}")}
    by = users.get("dt")
    for entry in data["training"]:
        date = today - dt.timedelta(days=entry["days_ago"])
        if TrainingRecord.objects.filter(school=school, course=entry["course"], date=date).exists():
            continue
        record = TrainingRecord.objects.create(
            school=school,
            course=entry["course"],
            kind=entry["kind"],
            date=date,
            hours=Decimal(str(entry["hours"])),
            provider=entry.get("provider", ""),
            staff_attending=entry.get("staff_attending"),
            recorded_by=by,
        )
        record.attendees.set([users[login] for login in entry["attendees"] if login in users])
    peers = data["peer_attainment"]
    for term in Term.objects.filter(academic_year__school=school, first_day__lte=today):
        for subject, percent in peers["subjects"].items():
            PeerAttainment.objects.get_or_create(
                school=school,
                term=term,
                subject=subject,
                point=peers["point"],
                defaults={"percent_at_or_above": Decimal(str(percent)), "entered_by": by},
            )
    return _published_report(school, today=today, by=by)


def _published_report(school, *, today: dt.date, by) -> GovernorsReport | None:
    last_year = academic_year_of(today) - 1
    if by is None or not AcademicYear.objects.filter(school=school, start_year=last_year).exists():
        logger.warning("reports demo: no designated teacher or no term dates for %s", last_year)
        return None
    published = GovernorsReport.objects.filter(
        school=school, kind=GovernorsReport.Kind.ANNUAL, academic_year=last_year
    ).exclude(published_at=None)
    if published.exists():
        return published.first()
    report = governors_report_request(
        school=school,
        kind=GovernorsReport.Kind.ANNUAL,
        academic_year=last_year,
        by=by,
        today=today,
    )
    report.narratives = {
        "peps": "PEPs were held late in the autumn and spring while the post was vacant; since "
        "the summer we now gather the child's views before each meeting. Next: hold every "
        "PEP by the term's deadline.",
        "training": "The designated teacher met the expectation; the whole staff trained in "
        "trauma-informed practice.",
    }
    report.save(update_fields=["narratives"])
    report_run_render(run_pk=report.run_id)
    return governors_report_publish(report=report, by=by)
