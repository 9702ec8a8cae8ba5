"""Importing the attendance in a Common Transfer File (``attendance_ctf``): yearly summaries
matched by UPN, all or nothing, idempotent, audited; session marks only when the string reads
without guessing (DOMAIN.md 6.2: the encoding of two-character codes is not confirmed), else the
summary alone with a notice. Run through the shared import run's services, as the tasks run
them, and through the pages for what a teacher sees."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from attendance.ctf_import import ENCODING_NOTICE
from attendance.models import CtfYearSummary, SessionMark
from core.models import AuditEvent
from imports.models import ImportRun
from imports.services import (
    import_run_commit,
    import_run_commit_work,
    import_run_preview,
    import_run_start,
)
from tests.attendance.conftest import mark, school_days
from tests.attendance.ctf_files import ctf, pupil, year_data
from tests.conftest import member
from tests.pupil_factories import PupilFactory

D = dt.date
pytestmark = pytest.mark.django_db

# The file is made on Friday 18 September 2026: the school days from Monday 7 September are
# 7-11 and 14-18 September, ten days, twenty sessions.
TEN_DAYS = "/\\" * 8 + "NI" + "/L"


def _import(school, data: bytes) -> ImportRun:
    by = member(school, Role.DESIGNATED_TEACHER)
    run = import_run_start(
        school=school,
        by=by,
        kind="attendance_ctf",
        name="ctf.xml",
        data=data,
        file_format="ctf",
        today=D(2026, 9, 21),
    )
    assert import_run_preview(run_pk=run.pk) in ("previewed", "failed")
    run.refresh_from_db()
    if run.can_commit:
        import_run_commit(run=run, by=by)
        import_run_commit_work(run_pk=run.pk)
        run.refresh_from_db()
    return run


def _own_year(school, marks: str, **kwargs) -> str:
    return year_data(
        year=2026,
        lea=school.la_code,
        estab=school.establishment_number,
        school=school.name,
        possible=20,
        authorised=1,
        unauthorised=1,
        start="2026-09-07",
        marks=marks,
        **kwargs,
    )


def test_yearly_summaries_are_imported_for_each_child_and_audited(school, child):
    other = PupilFactory(school=school)
    data = ctf(
        pupil(
            child.upn,
            year_data(year=2024, possible=330, authorised=10, unauthorised=5),
            year_data(year=2025, possible=320, authorised=20, unauthorised=8, attended=292),
        ),
        pupil(other.upn, year_data(year=2025, estab="2002", school="Hillside Juniors")),
    )
    run = _import(school, data)
    assert run.state == ImportRun.State.COMMITTED
    assert run.counts["years"] == 3 and run.counts["pupils"] == 2 and run.counts["created"] == 3
    latest = CtfYearSummary.objects.get(pupil=child, year=2025)
    assert (latest.lea, latest.estab, latest.school_name) == (
        "873",
        "2001",
        "Riverside Primary School",
    )
    assert latest.sessions_attended == 292 and str(latest.attendance_percent) == "91.2"
    assert latest.source_sha256 == run.file_sha256
    assert CtfYearSummary.objects.get(pupil=child, year=2024).sessions_attended is None
    events = AuditEvent.objects.filter(action="attendance.ctf_imported")
    assert sorted(e.pupil_id for e in events) == sorted([child.pk, child.pk, other.pk])
    for event in events:
        # Codes and counts only: never the school's name as the file wrote it.
        assert set(event.changes) == {"year", "lea", "estab", "marks", "sha256", "format"}
        assert "Riverside" not in str(event.changes) and "Hillside" not in str(event.changes)


def test_an_unknown_upn_refuses_the_whole_file(school, child, other_school):
    stranger = PupilFactory(school=other_school)
    data = ctf(pupil(child.upn, year_data()), pupil(stranger.upn, year_data()))
    run = _import(school, data)
    assert run.state == ImportRun.State.PREVIEWED and not run.can_commit
    [refused] = [r for r in run.rows if r["action"] == "refused"]
    assert refused["label"] == "Pupil 2 in the file"
    assert "No child of this school has this UPN" in refused["reasons"][0]
    assert not CtfYearSummary.objects.exists()


@pytest.mark.parametrize(
    ("year", "reason"),
    [
        ({"possible": "lots"}, "Possible sessions must be a whole number"),
        ({"authorised": 300, "unauthorised": 30}, "more than the possible sessions"),
        ({"attended": 250}, "do not add up"),
        ({"year": "25"}, "The Year must be a year"),
        ({"estab": "Riverside"}, "four-digit establishment number"),
        ({"start": "3 Sept"}, "AttendanceStartDate must be a date"),
    ],
)
def test_figures_that_cannot_be_read_or_do_not_add_up_refuse_the_file(school, child, year, reason):
    run = _import(school, ctf(pupil(child.upn, year_data(**year))))
    assert not run.can_commit
    assert any(reason in r for r in run.rows[0]["reasons"])
    assert not CtfYearSummary.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<CTfile><Header>", "not a readable XML file"),
        (b"<Roster><Pupil/></Roster>", "not a Common Transfer File"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><CTfile/>',
            "document type declaration",
        ),
    ],
)
def test_a_malformed_file_fails_with_a_clear_message(school, child, data, message):
    run = _import(school, data)
    assert run.state == ImportRun.State.FAILED
    assert message in run.failure
    assert not CtfYearSummary.objects.exists()


def test_importing_again_replaces_the_childs_summary_for_that_year_and_school(school, child):
    first = ctf(pupil(child.upn, year_data(possible=320, authorised=20, unauthorised=8)))
    _import(school, first)
    again = _import(school, first)
    assert again.state == ImportRun.State.COMMITTED
    assert again.rows[0]["action"] == "unchanged"
    assert CtfYearSummary.objects.count() == 1
    corrected = ctf(pupil(child.upn, year_data(possible=320, authorised=12, unauthorised=8)))
    run = _import(school, corrected)
    assert run.counts["updated"] == 1 and run.rows[0]["action"] == "update"
    assert ["Authorised absence", "20", "12"] in run.rows[0]["changes"]
    [summary] = CtfYearSummary.objects.all()
    assert summary.sessions_authorised == 12 and summary.source_sha256 == run.file_sha256


def test_marks_are_imported_when_every_character_is_a_code_and_the_length_fits(school, year, child):
    days = school_days(school, D(2026, 9, 7), D(2026, 9, 18))
    mark(child, days[:2], am="O", pm="O")  # held before; the file's marks replace them
    run = _import(school, ctf(pupil(child.upn, _own_year(school, TEN_DAYS))))
    assert run.state == ImportRun.State.COMMITTED
    assert run.counts["marks"] == 20 and run.counts["marks_replaced"] == 4
    assert ENCODING_NOTICE not in run.notices
    marks = {(m.date, m.session): m.code for m in SessionMark.objects.filter(pupil=child)}
    assert len(marks) == 20
    assert marks[(D(2026, 9, 7), "AM")] == "/" and marks[(D(2026, 9, 7), "PM")] == "\\"
    assert marks[(D(2026, 9, 17), "AM")] == "N" and marks[(D(2026, 9, 17), "PM")] == "I"
    assert marks[(D(2026, 9, 18), "PM")] == "L"
    assert set(SessionMark.objects.values_list("source", flat=True)) == {"ctf"}
    # The same file again leaves the same marks.
    _import(school, ctf(pupil(child.upn, _own_year(school, TEN_DAYS))))
    assert SessionMark.objects.filter(pupil=child).count() == 20


@pytest.mark.parametrize(
    "marks",
    [
        # A two-character code written as two characters: one too many, and "1" is no code.
        "/\\" * 8 + "C1" + "/\\" + "/",
        # Same length, but C1 in place of a day: "1" is not a one-character code.
        "/\\" * 8 + "C1" + "/\\",
        # Every character a code, but a day short: which day is missing cannot be told.
        "/\\" * 9,
        # Y1 to Y7 written as two characters.
        "/\\" * 9 + "Y7",
        "",  # an empty string holds no marks at all (no notice needed, see below)
    ],
)
def test_marks_that_cannot_be_read_unambiguously_import_the_summary_only(
    school, year, child, marks
):
    run = _import(school, ctf(pupil(child.upn, _own_year(school, marks))))
    assert run.state == ImportRun.State.COMMITTED
    assert CtfYearSummary.objects.filter(pupil=child, year=2026).exists()
    assert not SessionMark.objects.exists()
    assert run.counts["marks"] == 0
    if marks:
        assert ENCODING_NOTICE in run.notices
        assert "Session marks not imported" in run.rows[0]["notes"][0]


def test_marks_recorded_at_another_school_are_not_imported(school, year, child):
    other_school_year = year_data(
        year=2026, start="2026-09-07", possible=20, authorised=1, unauthorised=1, marks=TEN_DAYS
    )
    run = _import(school, ctf(pupil(child.upn, other_school_year)))
    assert run.state == ImportRun.State.COMMITTED
    assert not SessionMark.objects.exists()
    assert "another school" in run.rows[0]["notes"][0]
    assert ENCODING_NOTICE not in run.notices


# --- The pages ---------------------------------------------------------------------------------


def test_the_outcome_page_shows_the_encoding_notice(dt_client, school, year, child, run_tasks):
    data = ctf(pupil(child.upn, _own_year(school, "/\\" * 8 + "C1" + "/\\")))
    with run_tasks():
        response = dt_client.post(
            reverse("attendance:upload_ctf"),
            {"file": SimpleUploadedFile("ctf.xml", data, content_type="text/xml")},
        )
    run = ImportRun.objects.latest("pk")
    assert response.status_code == 302 and run.kind == "attendance_ctf"
    page = dt_client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert (
        "Session marks not imported: the file&#x27;s encoding of two-character codes is not "
        "confirmed (DOMAIN.md 6.2)" in page
    )


def test_a_malformed_file_shows_its_failure_not_an_error_page(dt_client, school, run_tasks):
    with run_tasks():
        dt_client.post(
            reverse("attendance:upload_ctf"),
            {"file": SimpleUploadedFile("ctf.xml", b"<CTfile><Pupil>", content_type="text/xml")},
        )
    run = ImportRun.objects.latest("pk")
    response = dt_client.get(reverse("imports:run", args=[run.pk]))
    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()
    assert "not a readable XML file" in response.content.decode()


def test_the_childs_attendance_page_shows_the_years_from_ctf_files(dt_client, school, child):
    _import(
        school,
        ctf(pupil(child.upn, year_data(year=2024, possible=320, authorised=20, unauthorised=8))),
    )
    html = dt_client.get(reverse("attendance:pupil", args=[child.pk])).content.decode()
    assert "2024 to 2025 at Riverside Primary School (873/2001): 91.2% (possible 320;" in html


def test_the_summaries_change_no_figure_of_the_register(school, year, child):
    from attendance.selectors import figures_for

    days = school_days(school, D(2026, 9, 7), D(2026, 9, 18))
    mark(child, days)
    before = figures_for(child, D(2026, 9, 1), D(2026, 9, 18))
    _import(school, ctf(pupil(child.upn, year_data(year=2026, possible=20, unauthorised=18))))
    assert figures_for(child, D(2026, 9, 1), D(2026, 9, 18)) == before


def test_after_an_attendance_import_the_way_on_is_to_the_attendance_concerns(
    dt_client, school, child
):
    run = _import(
        school,
        ctf(pupil(child.upn, year_data(year=2024, possible=320, authorised=20, unauthorised=8))),
    )
    run.refresh_from_db()
    assert run.state == ImportRun.State.COMMITTED

    page = dt_client.get(reverse("imports:run", args=[run.pk])).content.decode()

    link = f'<a class="govuk-link" href="{reverse("attendance:concerns")}">'
    assert link + "Go to the attendance concerns</a>" in page
    assert "Go to the cohort register" not in page
