"""Writes of the reports app: asking for a report, its narratives, publishing it, the peer
figures and the training record. Each service is atomic, guards the state it starts from and
writes the audit event (field names only for anything typed)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.models import ReportRun
from core.report_runs import report_run_request
from core.report_sections import report_sections
from peps.models import SCALE_VALUES
from peps.selectors import pep_settings_for
from pupils.models import Pupil
from reports.audit import ReportAction
from reports.documents import GOVERNORS_REPORT
from reports.models import GovernorsReport, PeerAttainment, TermlyAttainment, TrainingRecord


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


# --- The whole school's attainment from a CSV ------------------------------------------------

PEER_COLUMNS = ("subject", "point", "percent")
MAX_PEER_ROWS = 500


def _percent(value: str) -> Decimal | None:
    try:
        number = Decimal(value.strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number < 0 or number > 100 or number != round(number, 1):
        return None
    return number


def peer_attainment_rows(
    school, content: bytes
) -> tuple[list[tuple[str, str, Decimal]], list[str]]:
    """The rows of a CSV of the whole school's attainment (``subject,point,percent``: one row a
    subject and scale point, the percentage of all pupils at that point or above) and every
    problem found, each naming its row. Nothing about a child is in such a file."""
    scale = pep_settings_for(school).attainment_scale
    points = SCALE_VALUES[scale]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], ["The file is not a CSV saved as UTF-8 text."]
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    if sorted(headers) != sorted(PEER_COLUMNS):
        return [], [
            "The first row must name the columns subject, point and percent "
            f"(found: {', '.join(headers[:5]) or 'nothing'})."
        ]
    rows: list[tuple[str, str, Decimal]] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_PEER_ROWS:
            problems.append(f"More than {MAX_PEER_ROWS} rows: split the file.")
            break
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        subject, point, percent = (
            row.get("subject", ""),
            row.get("point", ""),
            row.get("percent", ""),
        )
        if not (subject or point or percent):
            continue  # a blank line
        if not subject or len(subject) > 100:
            problems.append(f"Row {number}: the subject is empty or longer than 100 characters.")
            continue
        if point not in points:
            problems.append(
                f"Row {number}: the point is not on the school's scale ({', '.join(points)})."
            )
            continue
        value = _percent(percent)
        if value is None:
            problems.append(
                f"Row {number}: the percentage must be a number from 0 to 100, "
                "with at most one decimal place."
            )
            continue
        key = (subject.casefold(), point)
        if key in seen:
            problems.append(f"Row {number}: the same subject and point as row {seen[key]}.")
            continue
        seen[key] = number
        rows.append((subject, point, value))
    if not rows and not problems:
        problems.append("The file has no rows of figures.")
    return rows, problems


@transaction.atomic
def peer_attainment_import(*, school, term, content: bytes, by, request=None) -> int:
    """Every row of the CSV saved, or none: a file with any bad row is refused with the list of
    problems (``ValidationError``). Returns how many figures were saved."""
    rows, problems = peer_attainment_rows(school, content)
    if problems:
        raise ValidationError(problems)
    for subject, point, percent in rows:
        PeerAttainment.objects.update_or_create(
            school=school,
            term=term,
            subject=subject,
            point=point,
            defaults={"percent_at_or_above": percent, "entered_by": by},
        )
    audit_record(
        action=ReportAction.PEER_ATTAINMENT_IMPORTED,
        actor=by,
        school=school,
        values={"term": term.pk, "rows": len(rows)},
        request=request,
    )
    return len(rows)


# --- Termly attainment of children previously in care or with a social worker ----------------


@transaction.atomic
def termly_attainment_record(
    *, pupil, term, subject: str, current: str, by, request=None
) -> TermlyAttainment:
    """A child's attainment in a subject this term (a child previously in care or with a
    social worker; a child in care's is in their PEP). ``current`` must be on the school's
    scale; the subject is kept by field name only in the audit log."""
    if term.academic_year.school_id != pupil.school_id:
        raise ValidationError("Choose one of the school's terms.")
    scale = pep_settings_for(pupil.school).attainment_scale
    if current not in SCALE_VALUES[scale]:
        raise ValidationError({"current": "Choose a point on the school's scale."})
    subject = subject.strip()
    if not subject:
        raise ValidationError({"subject": "Enter the subject."})
    row, _ = TermlyAttainment.objects.update_or_create(
        pupil=pupil, term=term, subject=subject, defaults={"current": current, "recorded_by": by}
    )
    audit_record(
        action=ReportAction.TERMLY_ATTAINMENT_RECORDED,
        actor=by,
        school=pupil.school,
        obj=row,
        pupil_id=pupil.pk,
        fields=["subject"],
        values={"term": term.pk, "current": current},
        request=request,
    )
    return row
