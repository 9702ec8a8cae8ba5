"""The PEP record's services: drafts, completion checks, locking, corrections, the PDF sent to
the Virtual School."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent, ReportRun
from core.pdf import pdf_text
from notifications.models import OutboxMessage
from peps import services
from peps.models import PepTarget, PersonalEducationPlan, TargetReview
from tests.conftest import render_report_runs
from tests.peps.conftest import D, fill
from tests.peps.factories import CompletedPepFactory, TargetFactory

Status = PersonalEducationPlan.Status
OCT_20 = D(2026, 10, 20)


def complete(pep, teacher, today=OCT_20):
    return services.pep_complete(pep=pep, by=teacher, today=today)


def problems_of(pep, today=OCT_20):
    return services.completion_problems(pep, today=today)


# --- Drafts ----------------------------------------------------------------------------------


def test_starting_a_pep_snapshots_the_sen_status_and_audits(child, autumn, teacher):
    child.sen_status = "sen_support"
    child.save()
    pep = services.pep_start(pupil=child, term=autumn, by=teacher, today=D(2026, 10, 12))
    assert pep.status == Status.DRAFT
    assert pep.version == 1
    assert pep.sen_status == "sen_support"
    event = AuditEvent.objects.get(action="pep.started")
    assert event.pupil_id == child.pk


def test_a_second_draft_for_the_same_term_is_refused(draft, child, autumn, teacher):
    with pytest.raises(ValidationError, match="already exists"):
        services.pep_start(pupil=child, term=autumn, by=teacher, today=D(2026, 10, 12))


def test_a_pep_is_refused_for_a_child_not_in_care(school, autumn, teacher):
    from tests.pupil_factories import PupilFactory

    other = PupilFactory(school=school)
    with pytest.raises(ValidationError, match="not recorded as in care"):
        services.pep_start(pupil=other, term=autumn, by=teacher, today=D(2026, 10, 12))


def test_a_pep_cannot_be_started_for_a_term_two_ahead(child, summer, teacher):
    with pytest.raises(ValidationError, match="this term or, if it was missed, last term"):
        services.pep_start(pupil=child, term=summer, by=teacher, today=D(2026, 10, 12))


def test_a_draft_saves_with_most_parts_missing(draft, teacher):
    services.pep_update(pep=draft, by=teacher, voice_hard="Spelling tests")
    draft.refresh_from_db()
    assert draft.voice_hard == "Spelling tests"
    assert draft.meeting_date is None
    event = AuditEvent.objects.get(action="pep.updated")
    # The audit log names the fields changed, never the child's words.
    assert event.fields == ["voice_hard"]
    assert event.changes == {}


def test_next_meeting_before_this_meeting_is_refused(draft, teacher):
    with pytest.raises(ValidationError) as error:
        services.pep_update(
            pep=draft, by=teacher, meeting_date=D(2026, 10, 14), next_meeting_date=D(2026, 10, 1)
        )
    assert "next_meeting_date" in error.value.error_dict


def test_attainment_must_be_on_the_peps_scale(draft, teacher):
    assert draft.attainment_scale == "secondary"
    with pytest.raises(ValidationError) as error:
        services.attainment_add(
            pep=draft, subject="Maths", current="Expected", expected="5", by=teacher
        )
    assert "current" in error.value.error_dict
    record = services.attainment_add(
        pep=draft, subject="Maths", current="4", expected="5", by=teacher
    )
    assert record.current == "4"


def test_the_scale_cannot_change_under_attainment_already_entered(draft, teacher):
    services.attainment_add(pep=draft, subject="Maths", current="4", expected="5", by=teacher)
    with pytest.raises(ValidationError, match="Remove the attainment"):
        services.pep_update(pep=draft, by=teacher, attainment_scale="primary")


def test_negative_pp_plus_is_refused(draft, teacher):
    with pytest.raises(ValidationError):
        services.target_add(pep=draft, by=teacher, area="academic", pp_plus_amount=Decimal("-1"))
    assert not PepTarget.objects.exists()


# --- Completion ------------------------------------------------------------------------------


def test_a_whole_pep_completes_and_is_audited(draft, teacher):
    fill(draft, teacher)
    complete(draft, teacher)
    draft.refresh_from_db()
    assert draft.status == Status.COMPLETED
    assert draft.completed_by == teacher
    event = AuditEvent.objects.get(action="pep.completed")
    assert event.pupil_id == draft.pupil_id
    assert event.changes["pp_plus_requested"] == "450.00"


MISSING = {
    "meeting date": (
        {"meeting_date": None},
        "Enter the date of the PEP meeting",
    ),
    "child's voice": (
        {
            "voice_going_well": "",
            "voice_hard": "",
            "voice_would_like": "",
            "voice_how_helped": "",
        },
        "Record the child's views in their own words",
    ),
    "how views were gathered": (
        {"voice_how_gathered": ""},
        "Say how the child's views were gathered",
    ),
    "next meeting": (
        {"next_meeting_date": None},
        "Enter the date of the next PEP meeting",
    ),
}


@pytest.mark.parametrize("fields, message", MISSING.values(), ids=MISSING.keys())
def test_completion_is_blocked_when_a_part_is_missing(draft, teacher, fields, message):
    fill(draft, teacher)
    services.pep_update(pep=draft, by=teacher, **fields)
    with pytest.raises(ValidationError) as error:
        complete(draft, teacher)
    assert any(message in m for m in error.value.messages)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_completion_is_blocked_until_a_meeting_in_the_future_has_happened(draft, teacher):
    fill(draft, teacher, meeting=D(2026, 11, 2))
    assert any("in the future" in p for p in problems_of(draft, today=D(2026, 10, 20)))
    assert problems_of(draft, today=D(2026, 11, 2)) == []


def test_completion_is_blocked_without_attendees(draft, teacher):
    fill(draft, teacher)
    draft.attendees.all().delete()
    assert problems_of(draft) == [
        "Add who attended the meeting, sent apologies or contributed in writing"
    ]


def test_completion_is_blocked_without_a_new_target(draft, teacher):
    fill(draft, teacher)
    draft.targets.all().delete()
    assert problems_of(draft) == ["Set at least one new target"]


def test_completion_is_blocked_by_a_target_missing_a_smart_part(draft, teacher):
    fill(draft, teacher)
    services.target_add(pep=draft, by=teacher, area="attendance", action="Walk to school")
    assert problems_of(draft) == [
        "Target “Walk to school” needs how success will be measured, who will do it and by when"
    ]


def test_completion_is_blocked_by_pp_plus_not_tied_to_what_it_pays_for(draft, teacher):
    fill(draft, teacher)
    target = draft.targets.get()
    services.target_update(target=target, by=teacher, pp_plus_purpose="")
    assert problems_of(draft) == [
        "Target “Weekly maths tutoring with Mr Hale, Tuesdays” asks for £450.00 of PP+: say "
        "what the PP+ will pay for towards this target"
    ]


def test_completion_is_blocked_until_every_previous_target_is_reviewed(
    child, autumn, spring, teacher
):
    last = CompletedPepFactory(pupil=child, term=autumn)
    first = TargetFactory(pep=last, action="Read every night")
    second = TargetFactory(pep=last, action="Join a club")
    pep = services.pep_start(pupil=child, term=spring, by=teacher, today=D(2027, 1, 11))
    fill(pep, teacher, meeting=D(2027, 1, 12))
    services.target_review(
        pep=pep, target=first, outcome="achieved", evidence="Reading log signed", by=teacher
    )
    assert problems_of(pep, today=D(2027, 1, 13)) == [
        "Review last PEP's target “Join a club”: achieved, partly achieved or not achieved, "
        "with evidence"
    ]
    services.target_review(
        pep=pep, target=second, outcome="partly", evidence="Went twice", by=teacher
    )
    services.pep_complete(pep=pep, by=teacher, today=D(2027, 1, 13))
    assert TargetReview.objects.filter(pep=pep).count() == 2


def test_a_review_needs_evidence_and_a_target_of_the_last_pep(child, autumn, spring, teacher):
    last = CompletedPepFactory(pupil=child, term=autumn)
    target = TargetFactory(pep=last)
    pep = services.pep_start(pupil=child, term=spring, by=teacher, today=D(2027, 1, 11))
    with pytest.raises(ValidationError) as error:
        services.target_review(pep=pep, target=target, outcome="achieved", evidence=" ", by=teacher)
    assert "evidence" in error.value.error_dict
    own = TargetFactory(pep=pep)
    with pytest.raises(ValidationError, match="not set in the child's last completed PEP"):
        services.target_review(pep=pep, target=own, outcome="achieved", evidence="x", by=teacher)


def test_every_problem_is_listed_at_once(draft):
    assert problems_of(draft) == [
        "Enter the date of the PEP meeting",
        "Add who attended the meeting, sent apologies or contributed in writing",
        "Record the child's views in their own words: what is going well, what is hard, what "
        "they would like or how they like to be helped",
        "Say how the child's views were gathered",
        "Set at least one new target",
        "Enter the date of the next PEP meeting",
    ]


# --- Locked ----------------------------------------------------------------------------------


@pytest.fixture
def completed(draft, teacher):
    fill(draft, teacher)
    return complete(draft, teacher)


EDITS = {
    "update": lambda pep, by: services.pep_update(pep=pep, by=by, voice_hard="changed"),
    "add attendee": lambda pep, by: services.attendee_add(
        pep=pep, role="social_worker", name="Jo", attendance="present", by=by
    ),
    "add attainment": lambda pep, by: services.attainment_add(
        pep=pep, subject="Art", current="5", expected="6", by=by
    ),
    "add target": lambda pep, by: services.target_add(pep=pep, by=by, area="other"),
    "change target": lambda pep, by: services.target_update(
        target=pep.targets.get(), by=by, action="changed"
    ),
    "remove target": lambda pep, by: services.target_remove(target=pep.targets.get(), by=by),
    "remove attendee": lambda pep, by: services.attendee_remove(
        attendee=pep.attendees.get(), by=by
    ),
    "complete again": lambda pep, by: services.pep_complete(pep=pep, by=by, today=OCT_20),
    "discard": lambda pep, by: services.pep_discard(pep=pep, by=by),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_a_completed_pep_refuses_every_edit(completed, teacher, edit):
    before = PersonalEducationPlan.objects.get(pk=completed.pk)
    with pytest.raises(ValidationError, match="completed and locked"):
        edit(PersonalEducationPlan.objects.get(pk=completed.pk), teacher)
    after = PersonalEducationPlan.objects.get(pk=completed.pk)
    assert (after.voice_hard, after.status) == (before.voice_hard, before.status)
    assert after.targets.count() == 1 and after.attendees.count() == 1


def test_a_stale_copy_of_a_pep_completed_elsewhere_is_refused(draft, teacher):
    stale = PersonalEducationPlan.objects.get(pk=draft.pk)
    fill(draft, teacher)
    complete(draft, teacher)
    with pytest.raises(ValidationError, match="locked"):
        services.pep_update(pep=stale, by=teacher, voice_hard="too late")


# --- Corrections -----------------------------------------------------------------------------


def test_a_correction_is_a_new_version_and_the_old_one_is_kept(completed, teacher):
    correction = services.pep_correct(
        pep=completed, reason="The tutoring is on Wednesdays", by=teacher
    )
    assert correction.version == 2
    assert correction.supersedes == completed
    assert correction.status == Status.DRAFT
    assert correction.voice_going_well == completed.voice_going_well
    assert correction.targets.get().copied_from == completed.targets.get()
    assert correction.attendees.count() == 1

    services.target_update(
        target=correction.targets.get(), by=teacher, action="Weekly maths tutoring, Wednesdays"
    )
    services.pep_complete(pep=correction, by=teacher, today=D(2026, 10, 21))

    completed.refresh_from_db()
    assert completed.status == Status.SUPERSEDED
    assert completed.targets.get().action == "Weekly maths tutoring with Mr Hale, Tuesdays"
    assert PersonalEducationPlan.objects.get(pk=correction.pk).status == Status.COMPLETED
    assert AuditEvent.objects.filter(action="pep.correction_started").count() == 1


def test_a_correction_needs_a_reason(completed, teacher):
    with pytest.raises(ValidationError) as error:
        services.pep_correct(pep=completed, reason="  ", by=teacher)
    assert "reason" in error.value.error_dict
    assert PersonalEducationPlan.objects.count() == 1


def test_only_one_correction_at_a_time(completed, teacher):
    services.pep_correct(pep=completed, reason="Wrong day", by=teacher)
    with pytest.raises(ValidationError, match="already in progress"):
        services.pep_correct(pep=completed, reason="Again", by=teacher)


def test_a_draft_is_not_corrected_but_edited(draft, teacher):
    with pytest.raises(ValidationError, match="still a draft"):
        services.pep_correct(pep=draft, reason="x", by=teacher)


def test_until_the_correction_is_completed_the_first_version_counts(completed, teacher):
    services.pep_correct(pep=completed, reason="Wrong day", by=teacher)
    completed.refresh_from_db()
    assert completed.status == Status.COMPLETED


# --- The Virtual School ----------------------------------------------------------------------


def test_completing_renders_no_pdf_and_queues_a_report_run(completed):
    # The PDF is made by a worker after the PEP's locked transaction, never inside it.
    assert not OutboxMessage.objects.exists()
    run = ReportRun.objects.get()
    assert (run.kind, run.state, run.pupil_id) == ("pep_pdf", "queued", completed.pupil_id)
    assert run.parameters == {"pep": completed.pk, "send": True}
    assert not run.content


def test_completing_queues_the_pdf_for_the_virtual_school(completed, cambridgeshire):
    assert render_report_runs() == 1
    message = OutboxMessage.objects.get()
    assert message.recipient == cambridgeshire.email
    assert message.dedupe_key == f"pep-{completed.pk}-v1-virtual-school"
    assert message.attachment_type == "application/pdf"
    assert message.attachment_name == "PEP-okonkwo-amelia-autumn-2026.pdf"
    assert "Amelia Okonkwo" in message.subject
    text = pdf_text(bytes(message.attachment))
    assert "I like art club and my new friend Priya" in text


def test_a_correction_is_sent_under_its_own_version_key(completed, teacher):
    correction = services.pep_correct(pep=completed, reason="Wrong day", by=teacher)
    services.pep_complete(pep=correction, by=teacher, today=D(2026, 10, 21))
    # Each version has its own run, so the correction's PDF is made afresh.
    assert render_report_runs() == 2
    keys = sorted(OutboxMessage.objects.values_list("dedupe_key", flat=True))
    assert keys == [
        f"pep-{completed.pk}-v1-virtual-school",
        f"pep-{correction.pk}-v2-virtual-school",
    ]
    second = OutboxMessage.objects.get(dedupe_key__endswith="v2-virtual-school")
    assert "Wrong day" in second.body_text


def test_no_virtual_school_recorded_sends_nothing(draft, teacher):
    draft.pupil.care_episodes.update(responsible_authority=None)
    fill(draft, teacher)
    complete(draft, teacher)
    assert not OutboxMessage.objects.exists()


def test_pep_for_a_term_completed_for_a_child_who_came_into_care_this_term(
    school, autumn, teacher, cambridgeshire
):
    from tests.pupil_factories import CareEpisodeFactory, PupilFactory

    pupil = PupilFactory(school=school)
    CareEpisodeFactory(pupil=pupil, start_date=D(2026, 10, 1), responsible_authority=None)
    pep = services.pep_start(pupil=pupil, term=autumn, by=teacher, today=D(2026, 10, 12))
    fill(pep, teacher)
    complete(pep, teacher)
    assert pep.status == Status.COMPLETED


def test_discarding_a_draft_deletes_it_and_audits(draft, teacher):
    services.pep_discard(pep=draft, by=teacher)
    assert not PersonalEducationPlan.objects.exists()
    assert AuditEvent.objects.filter(action="pep.draft_discarded").exists()


def test_completed_at_is_a_timestamp_and_meeting_a_date(completed):
    assert isinstance(completed.completed_at, dt.datetime)
    assert completed.meeting_date == D(2026, 10, 14)
    assert completed.targets.get().pp_plus_amount == Decimal("450.00")
