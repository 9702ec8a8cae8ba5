"""Report runs (core.report_runs): a document is made by a worker, once, and handed out only
to a role of its own school that the registering app allows, with every download audited."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Capability, Role
from core.audit import AuditAction
from core.models import AuditEvent, ReportRun
from core.report_runs import (
    MAX_ATTEMPTS,
    RenderOutcome,
    ReportKind,
    register,
    report_run_render,
    report_run_request,
    report_runs_flush,
)
from tests.conftest import member, sign_in
from tests.pupil_factories import PupilFactory

pytestmark = pytest.mark.django_db

RENDERS: list[int] = []


class NoteAction(AuditAction):
    DOWNLOADED = "test_note.downloaded"


def _render(run):
    RENDERS.append(run.pk)
    if run.parameters.get("fail"):
        raise ValueError("Amelia told us about her foster placement")  # text about a child
    return "note.txt", b"A note for pupil %d" % run.parameters["pupil"]


register(
    ReportKind(
        key="test_note",
        title="Test note",
        capability=Capability.VIEW_COHORT,
        render=_render,
        back_url=lambda run: "/",
        content_type="text/plain",
        downloaded_action=NoteAction.DOWNLOADED,
    )
)


@pytest.fixture(autouse=True)
def _no_renders_yet():
    RENDERS.clear()


def request_note(school, *, by=None, **parameters):
    pupil = PupilFactory(school=school)
    return report_run_request(
        school=school,
        kind="test_note",
        parameters={"pupil": pupil.pk, **parameters},
        by=by,
        pupil_id=pupil.pk,
    )


def test_a_run_delivered_twice_is_rendered_once(school):
    run = request_note(school)
    assert report_run_render(run_pk=run.pk) == RenderOutcome.READY
    assert report_run_render(run_pk=run.pk) == RenderOutcome.NOT_CLAIMED
    assert [run.pk] == RENDERS
    run.refresh_from_db()
    assert (run.state, run.progress, run.filename) == ("ready", 100, "note.txt")
    assert run.checksum == hashlib.sha256(bytes(run.content)).hexdigest()
    assert run.size == len(bytes(run.content))


def test_a_failed_run_keeps_the_exceptions_class_never_its_text(school):
    run = request_note(school, fail=True)
    assert report_run_render(run_pk=run.pk) == RenderOutcome.FAILED
    run.refresh_from_db()
    assert run.state == "failed"
    assert "ValueError" in run.error
    assert "Amelia" not in run.error


@pytest.mark.parametrize("value", ["Amelia Okonkwo", 1.5, ["a"], {"name": "x"}])
def test_parameters_hold_ids_flags_and_dates_never_names(school, value):
    with pytest.raises(ValueError, match="must be an id"):
        report_run_request(school=school, kind="test_note", parameters={"x": value}, by=None)
    assert not ReportRun.objects.exists()


def test_an_unknown_kind_is_refused_when_asked_for_not_in_the_worker(school):
    with pytest.raises(LookupError):
        report_run_request(school=school, kind="no_such_report", parameters={}, by=None)


def test_the_run_page_checks_again_until_the_document_is_ready(dt_client, school):
    run = request_note(school)
    url = reverse("core:report_run", args=[run.pk])
    waiting = dt_client.get(url).content.decode()
    assert 'src="/static/report_run.js"' in waiting
    assert 'data-poll="2"' in waiting
    assert '<progress id="run-progress"' in waiting
    # Not ready: the download leads back to the page.
    download = dt_client.get(reverse("core:report_run_download", args=[run.pk]))
    assert download["Location"] == url
    report_run_render(run_pk=run.pk)
    ready = dt_client.get(url).content.decode()
    assert "report_run.js" not in ready
    assert reverse("core:report_run_download", args=[run.pk]) in ready


def test_a_failed_run_stops_reloading_and_says_so(dt_client, school):
    run = request_note(school, fail=True)
    report_run_render(run_pk=run.pk)
    page = dt_client.get(reverse("core:report_run", args=[run.pk])).content.decode()
    assert "report_run.js" not in page
    assert "The document could not be made" in page


def test_every_download_is_audited_with_the_child(client, school):
    viewer = member(school, Role.HEADTEACHER)
    sign_in(client, viewer)
    run = request_note(school)
    report_run_render(run_pk=run.pk)
    for _ in range(2):
        response = client.get(reverse("core:report_run_download", args=[run.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain"
        assert response["Content-Disposition"] == 'attachment; filename="note.txt"'
        assert response.content == b"A note for pupil %d" % run.pupil_id
    events = AuditEvent.objects.filter(action="test_note.downloaded")
    assert events.count() == 2
    assert {(e.actor, e.pupil_id, e.school) for e in events} == {(viewer, run.pupil_id, school)}


@pytest.mark.parametrize("url_name", ["core:report_run", "core:report_run_download"])
def test_another_schools_run_is_not_found_and_not_audited(other_school_dt_client, school, url_name):
    run = request_note(school)
    report_run_render(run_pk=run.pk)
    assert other_school_dt_client.get(reverse(url_name, args=[run.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="test_note.downloaded").exists()


@pytest.mark.parametrize("persona", ["governor_client", "staff_client", "school_admin_client"])
def test_a_role_the_kind_does_not_allow_is_refused(request, persona, school):
    client = request.getfixturevalue(persona)
    run = request_note(school)
    report_run_render(run_pk=run.pk)
    for url_name in ("core:report_run", "core:report_run_download"):
        assert client.get(reverse(url_name, args=[run.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action="test_note.downloaded").exists()


def test_a_file_changed_after_it_was_made_is_not_handed_out(dt_client, school):
    run = request_note(school)
    report_run_render(run_pk=run.pk)
    ReportRun.objects.filter(pk=run.pk).update(content=b"something else")
    with pytest.raises(ValueError, match="checksum"):
        dt_client.get(reverse("core:report_run_download", args=[run.pk]))
    assert not AuditEvent.objects.filter(action="test_note.downloaded").exists()


def test_the_flush_queues_again_a_run_whose_worker_stopped_and_gives_up_in_the_end(school):
    now = timezone.now()
    lost = request_note(school)
    stuck = request_note(school)
    hopeless = request_note(school)
    ReportRun.objects.filter(pk__in=[lost.pk, stuck.pk, hopeless.pk]).update(
        created_at=now - timedelta(minutes=30)
    )
    ReportRun.objects.filter(pk__in=[stuck.pk, hopeless.pk]).update(
        state="rendering", started_at=now - timedelta(minutes=20), attempts=1
    )
    ReportRun.objects.filter(pk=hopeless.pk).update(attempts=MAX_ATTEMPTS)

    outcome = report_runs_flush(now=now)

    assert (outcome.enqueued, outcome.failed) == (2, 1)
    states = dict(ReportRun.objects.values_list("pk", "state"))
    assert states == {lost.pk: "queued", stuck.pk: "queued", hopeless.pk: "failed"}
    # What the re-queued tasks will do: render each once.
    assert report_run_render(run_pk=stuck.pk) == RenderOutcome.READY
