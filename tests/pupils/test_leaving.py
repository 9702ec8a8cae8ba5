"""Leaving: a child in the cohort gets a transition checklist; the DSL's transfer of the child
protection file is due on the fifth school day after the last day on roll (KCSIE, DOMAIN.md 7.3),
counted with the school's calendar."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditEvent
from pupils import services
from pupils.models import Destination, LeavingTask
from pupils.models import EpisodeKind as K
from tests.factories import add_closure, add_year
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

D = dt.date
pytestmark = pytest.mark.django_db
CP = LeavingTask.Item.CP_FILE_TRANSFERRED
INFO = LeavingTask.Item.INFORMATION_SENT


@pytest.fixture
def child_in_care(pupil):
    CareEpisodeFactory(pupil=pupil, kind=K.IN_CARE, start_date=D(2024, 1, 8))
    return pupil


def leave(pupil, by, day, destination=Destination.OTHER_SCHOOL, **kwargs):
    kwargs.setdefault("destination_school_name", "Riverside Academy")
    return services.pupil_leave(
        pupil=pupil, by=by, leaving_date=day, destination=destination, **kwargs
    )


def test_cp_file_due_five_school_days_after_an_in_year_move(child_in_care, dt_user, school):
    add_year(school, 2026)
    add_closure(school, D(2026, 11, 25))  # an INSET day inside the five
    tasks = leave(child_in_care, dt_user, D(2026, 11, 20))  # a Friday
    due = {t.item: t.due_date for t in tasks}
    # Mon 23, Tue 24, (Wed 25 closed), Thu 26, Fri 27, Mon 30.
    assert due == {INFO: None, CP: D(2026, 11, 30)}


def test_cp_file_due_in_the_first_five_days_of_the_new_term(child_in_care, dt_user, school):
    add_year(school, 2025)
    add_year(school, 2026)
    tasks = leave(child_in_care, dt_user, D(2026, 7, 21))  # last day of the summer term
    cp = next(t for t in tasks if t.item == CP)
    assert cp.due_date == D(2026, 9, 9)  # autumn term starts Thursday 3 September


def test_missing_term_dates_give_a_message_not_a_crash(child_in_care, dt_user, dt_client):
    tasks = leave(child_in_care, dt_user, D(2026, 11, 20))
    cp = next(t for t in tasks if t.item == CP)
    assert cp.due_date is None
    assert "term dates for 2026 to 2027 have not been entered" in cp.due_date_note
    page = dt_client.get(reverse("pupils:pupil", args=[child_in_care.pk])).text
    assert "have not been entered" in page


def test_a_child_not_in_the_cohort_gets_no_checklist(pupil, dt_user):
    assert leave(pupil, dt_user, D(2026, 11, 20)) == []
    assert pupil.leaving_tasks.count() == 0
    pupil.refresh_from_db()
    assert pupil.leaving_date == D(2026, 11, 20)


def test_elective_home_education_asks_to_tell_the_local_authority(child_in_care, dt_user):
    tasks = leave(child_in_care, dt_user, D(2026, 11, 20), Destination.ELECTIVE_HOME_EDUCATION)
    assert [t.item for t in tasks] == [LeavingTask.Item.LOCAL_AUTHORITY_TOLD]
    child_in_care.refresh_from_db()
    assert child_in_care.destination_school_name == ""


def test_another_school_needs_its_name_and_a_well_formed_urn(child_in_care, dt_user):
    with pytest.raises(ValidationError) as refused:
        leave(
            child_in_care,
            dt_user,
            D(2026, 11, 20),
            destination_school_name="",
            destination_school_urn="12",
        )
    assert set(refused.value.message_dict) == {"destination_school_name", "destination_school_urn"}
    child_in_care.refresh_from_db()
    assert child_in_care.leaving_date is None


def test_leaving_before_admission_is_refused(child_in_care, dt_user):
    with pytest.raises(ValidationError, match="on or after the admission date"):
        leave(child_in_care, dt_user, D(2019, 1, 1))


def test_recording_leaving_again_moves_the_due_date_without_duplicating(
    child_in_care, dt_user, school
):
    add_year(school, 2026)
    leave(child_in_care, dt_user, D(2026, 11, 20))
    leave(child_in_care, dt_user, D(2026, 11, 27))
    assert child_in_care.leaving_tasks.count() == 2
    assert child_in_care.leaving_tasks.get(item=CP).due_date == D(2026, 12, 4)


def test_leaving_is_audited(child_in_care, dt_user):
    leave(child_in_care, dt_user, D(2026, 11, 20))
    event = AuditEvent.objects.get(action="pupil.left")
    assert event.changes["destination"] == ["", "other_school"]
    assert AuditEvent.objects.filter(action="leaving_checklist.started").exists()


def test_the_leaving_page_records_it(dt_client, child_in_care):
    response = dt_client.post(
        reverse("pupils:pupil_leave", args=[child_in_care.pk]),
        {
            "leaving_date": "20/11/2026",
            "destination": "other_school",
            "destination_school_name": "Riverside Academy",
            "destination_school_urn": "110987",
        },
    )
    assert response.status_code == 302
    assert child_in_care.leaving_tasks.count() == 2


def test_only_the_dsl_team_records_the_cp_file_transfer(
    dt_client, dsl_client, child_in_care, dt_user
):
    tasks = {t.item: t for t in leave(child_in_care, dt_user, D(2026, 11, 20))}
    cp_url = reverse("pupils:leaving_task_complete", args=[child_in_care.pk, tasks[CP].pk])
    info_url = reverse("pupils:leaving_task_complete", args=[child_in_care.pk, tasks[INFO].pk])
    assert dt_client.get(cp_url).status_code == 403
    assert dsl_client.get(info_url).status_code == 403
    response = dsl_client.post(cp_url, {"completed_on": "23/11/2026", "notes": "Receipt confirmed"})
    assert response.status_code == 302
    done = LeavingTask.objects.get(pk=tasks[CP].pk)
    assert done.completed_on == D(2026, 11, 23)
    assert done.completed_by.memberships.filter(role="dsl").exists()
    assert AuditEvent.objects.filter(
        action="leaving_task.completed", pupil_id=child_in_care.pk
    ).exists()


def test_a_task_cannot_be_done_in_the_future_or_twice(child_in_care, dt_user):
    task = next(t for t in leave(child_in_care, dt_user, D(2026, 11, 20)) if t.item == INFO)
    with pytest.raises(ValidationError, match="future"):
        services.leaving_task_complete(
            task=task, by=dt_user, completed_on=D(2026, 12, 1), today=D(2026, 11, 23)
        )
    services.leaving_task_complete(
        task=task, by=dt_user, completed_on=D(2026, 11, 21), today=D(2026, 11, 23)
    )
    with pytest.raises(ValidationError, match="already done"):
        services.leaving_task_complete(
            task=task, by=dt_user, completed_on=D(2026, 11, 22), today=D(2026, 11, 23)
        )


def test_a_task_of_another_school_is_not_found(other_school_dt_client, child_in_care, dt_user):
    task = leave(child_in_care, dt_user, D(2026, 11, 20))[0]
    url = reverse("pupils:leaving_task_complete", args=[child_in_care.pk, task.pk])
    assert other_school_dt_client.get(url).status_code == 404


def test_a_leaver_drops_off_the_list_the_day_after_the_last_day_on_roll(school):
    from pupils.selectors import pupils_for_cohort

    pupil = PupilFactory(school=school, leaving_date=D(2026, 11, 20))
    assert pupil in pupils_for_cohort(school, today=D(2026, 11, 20)).filter(pk=pupil.pk).filter(
        leaving_date__gte=D(2026, 11, 20)
    )
    assert not pupil.has_left(D(2026, 11, 20))
    assert pupil.has_left(D(2026, 11, 21))
