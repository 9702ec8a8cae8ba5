"""Writes of the reports app: asking for a report, its narratives, publishing it, the peer
figures and the training record. Each service is atomic, guards the state it starts from and
writes the audit event (field names only for anything typed)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.models import ReportRun
from core.report_runs import report_run_request
from core.report_sections import report_sections
from pupils.models import Pupil
from reports.audit import ReportAction
from reports.documents import GOVERNORS_REPORT
from reports.models import GovernorsReport, PeerAttainment, TrainingRecord


def _words(text: str) -> str:
    """Lower-case words separated by single spaces: "O'Brien-Smith,  Amy" -> "o brien smith amy"."""
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def narrative_names_a_child(school, text: str) -> bool:
    """Whether ``text`` has the forename and surname (legal or preferred, either order) of any
    child on the school's records: every pupil, not only those in a group now, since a report
    covers a past year. One query for the names; the match is on whole words, so "Amy Lee"
    is found in "amy  lee's PEP" but not in "Amy Leeson"."""
    haystack = f" {_words(text)} "
    if not haystack.strip():
        return False
    names = Pupil.objects.filter(school=school).values_list(
        "legal_forename", "legal_surname", "preferred_forename", "preferred_surname"
    )
    for legal_fore, legal_sur, preferred_fore, preferred_sur in names.iterator():
        forenames = {_words(n) for n in (legal_fore, preferred_fore) if n}
        surnames = {_words(n) for n in (legal_sur, preferred_sur) if n}
        for fore in forenames:
            for sur in surnames:
                if (
                    fore
                    and sur
                    and (f" {fore} {sur} " in haystack or f" {sur} {fore} " in haystack)
                ):
                    return True
    return False


def _refuse_names(school, narratives: dict[str, str]) -> None:
    """Refuse narratives that name a child, naming the section (never the child: the message
    goes to whoever typed it, but it must not confirm another child's name)."""
    titles = {s.key: s.title for s in report_sections()}
    named = [
        titles.get(key, key)
        for key, text in narratives.items()
        if text and narrative_names_a_child(school, text)
    ]
    if named:
        raise ValidationError(
            "The narrative for "
            + ", ".join(f"“{title}”" for title in named)
            + " has a child's name in it. Governors must not be able to identify a child: "
            "take the name out (write “a child” or “one pupil”) and save again."
        )


@transaction.atomic
def governors_report_request(
    *, school, kind: str, academic_year: int, term=None, by, today: dt.date, request=None
) -> GovernorsReport:
    """A new report for the period, its PDF made by the worker. The narratives of the latest
    report of the same kind and period are carried over, so asking again after an edit to the
    data keeps what the designated teacher wrote."""
    if kind == GovernorsReport.Kind.TERMLY and term is None:
        raise ValidationError("Choose the term the report is for.")
    earlier = (
        GovernorsReport.objects.filter(
            school=school, kind=kind, academic_year=academic_year, term=term
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    report = GovernorsReport.objects.create(
        school=school,
        kind=kind,
        academic_year=academic_year,
        term=term if kind == GovernorsReport.Kind.TERMLY else None,
        narratives=dict(earlier.narratives) if earlier else {},
        requested_by=by,
    )
    audit_record(
        action=ReportAction.REPORT_REQUESTED,
        actor=by,
        school=school,
        obj=report,
        values={"kind": kind, "academic_year": academic_year, "term": report.term_id},
        request=request,
    )
    _make_pdf(report, by=by, today=today)
    return report


def _make_pdf(report: GovernorsReport, *, by, today: dt.date) -> ReportRun:
    run = report_run_request(
        school=report.school,
        kind=GOVERNORS_REPORT,
        parameters={"report": report.pk, "today": today.isoformat()},
        by=by,
    )
    report.run = run
    report.save(update_fields=["run"])
    return run


@transaction.atomic
def governors_report_narrative_set(
    *, report: GovernorsReport, section: str, text: str, by, today: dt.date, request=None
) -> GovernorsReport:
    """The designated teacher's narrative for one section; the PDF is made again with it.
    A published report is final: ask for a new one."""
    report = GovernorsReport.objects.select_for_update().get(pk=report.pk)
    if report.is_published:
        raise ValidationError("This report is published: ask for a new one to change it.")
    if section not in {s.key for s in report_sections()}:
        raise ValidationError("There is no such section.")
    narratives = dict(report.narratives or {})
    text = text.strip()
    _refuse_names(report.school, {section: text})
    if text:
        narratives[section] = text
    else:
        narratives.pop(section, None)
    report.narratives = narratives
    report.save(update_fields=["narratives"])
    audit_record(
        action=ReportAction.NARRATIVE_CHANGED,
        actor=by,
        school=report.school,
        obj=report,
        fields=["narratives"],
        values={"section": section},
        request=request,
    )
    _make_pdf(report, by=by, today=today)
    return report


@transaction.atomic
def governors_report_publish(*, report: GovernorsReport, by, request=None) -> GovernorsReport:
    """Governors may download it from now on. Only an annual report whose PDF is made."""
    report = (
        GovernorsReport.objects.select_for_update(of=("self",))
        .select_related("run")
        .get(pk=report.pk)
    )
    if report.kind != GovernorsReport.Kind.ANNUAL:
        raise ValidationError("Only the annual report is published to governors.")
    if report.is_published:
        raise ValidationError("This report is already published.")
    if report.run is None or report.run.state != ReportRun.State.READY:
        raise ValidationError("Wait until the PDF is made, then publish it.")
    # Checked again: a narrative carried over from an earlier report, or a child who joined
    # since it was written.
    _refuse_names(report.school, report.narratives or {})
    report.published_at = timezone.now()
    report.published_by = by
    report.save(update_fields=["published_at", "published_by"])
    audit_record(
        action=ReportAction.PUBLISHED,
        actor=by,
        school=report.school,
        obj=report,
        values={"kind": report.kind, "academic_year": report.academic_year},
        request=request,
    )
    return report


@transaction.atomic
def peer_attainment_record(
    *, school, term, subject: str, point: str, percent: Decimal, by, request=None
) -> PeerAttainment:
    row, _ = PeerAttainment.objects.update_or_create(
        school=school,
        term=term,
        subject=subject.strip(),
        point=point,
        defaults={"percent_at_or_above": percent, "entered_by": by},
    )
    audit_record(
        action=ReportAction.PEER_ATTAINMENT_RECORDED,
        actor=by,
        school=school,
        obj=row,
        fields=["subject"],
        values={"term": term.pk, "point": point, "percent_at_or_above": percent},
        request=request,
    )
    return row


@transaction.atomic
def training_record(*, school, by, attendees, request=None, **details) -> TrainingRecord:
    record = TrainingRecord.objects.create(school=school, recorded_by=by, **details)
    record.attendees.set(attendees)
    audit_record(
        action=ReportAction.TRAINING_RECORDED,
        actor=by,
        school=school,
        obj=record,
        fields=["course", "provider"],
        values={
            "kind": record.kind,
            "date": record.date,
            "hours": record.hours,
            "staff_attending": record.staff_attending,
            "attendees": [u.pk for u in attendees],
        },
        request=request,
    )
    return record
