"""The daily attendance sweep: one concern per crossing and at most one email per recipient,
however often it runs; a concern proposes the notices the policies require."""

import datetime as dt

import pytest

from accounts.roles import Role
from attendance.models import AttendanceConcern, AttendanceNotice
from attendance.sweep import attendance_sweep
from attendance.tasks import attendance_sweep as sweep_task
from notifications.models import OutboxMessage
from tests.attendance.conftest import mark, school_days
from tests.conftest import member
from tests.notifications.conftest import wait_until

D = dt.date
TODAY = D(2026, 10, 14)
Kind = AttendanceConcern.Kind


@pytest.fixture
def teacher(school):
    return member(school, Role.DESIGNATED_TEACHER)


@pytest.fixture
def poor_attendance(school, child):
    # From 7 September: every afternoon missed without a reason (50%).
    mark(child, school_days(school, D(2026, 9, 7), TODAY), am="/", pm="N")
    return child


@pytest.mark.django_db
def test_the_sweep_run_twice_opens_one_concern_per_crossing_and_one_email(
    school, teacher, poor_attendance
):
    first = attendance_sweep(today=TODAY)
    second = attendance_sweep(today=TODAY)
    kinds = set(AttendanceConcern.objects.values_list("kind", flat=True))
    assert kinds == {Kind.FOUR_WEEKS, Kind.TERM}
    assert (first.opened, second.opened) == (2, 0)
    [email] = OutboxMessage.objects.all()
    assert email.recipient == teacher.email
    assert "Amelia" in email.body_text


@pytest.mark.django_db
def test_a_child_in_care_is_proposed_to_the_social_worker_and_virtual_school(
    school, teacher, poor_attendance
):
    attendance_sweep(today=TODAY)
    concern = AttendanceConcern.objects.get(kind=Kind.TERM)
    assert set(concern.notices.values_list("recipient", flat=True)) == {
        AttendanceNotice.Recipient.SOCIAL_WORKER,
        AttendanceNotice.Recipient.VIRTUAL_SCHOOL,
    }


@pytest.mark.django_db
def test_recovery_closes_the_concern_and_a_later_fall_is_a_new_crossing(school, teacher, child):
    days = school_days(school, D(2026, 9, 7), D(2026, 12, 4))
    mark(child, [d for d in days if d <= D(2026, 9, 18)], am="/", pm="N")
    attendance_sweep(today=D(2026, 9, 18))
    mark(child, [d for d in days if D(2026, 9, 18) < d <= D(2026, 10, 23)])
    attendance_sweep(today=D(2026, 10, 23))
    assert not AttendanceConcern.objects.filter(kind=Kind.FOUR_WEEKS, recovered_on=None).exists()
    mark(child, [d for d in days if D(2026, 11, 2) <= d <= D(2026, 12, 4)], am="I", pm="I")
    attendance_sweep(today=D(2026, 12, 4))
    assert AttendanceConcern.objects.filter(kind=Kind.FOUR_WEEKS).count() == 2
    # 25 days ill since 2 November: the illness return, once.
    assert AttendanceConcern.objects.filter(kind=Kind.ILLNESS_RETURN).count() == 1
    attendance_sweep(today=D(2026, 12, 4))
    assert AttendanceConcern.objects.filter(kind=Kind.ILLNESS_RETURN).count() == 1


@pytest.mark.django_db
def test_a_run_of_unexplained_absence_opens_a_concern(school, teacher, child):
    days = school_days(school, D(2026, 9, 7), TODAY)
    mark(child, days[:-2])
    mark(child, days[-2:], am="N", pm="O")
    attendance_sweep(today=TODAY)
    assert AttendanceConcern.objects.filter(kind=Kind.UNEXPLAINED, figure=4).exists()


@pytest.mark.django_db
def test_nothing_is_swept_on_a_saturday(school, teacher, poor_attendance):
    assert attendance_sweep(today=D(2026, 10, 17)).schools == 0
    assert not AttendanceConcern.objects.exists()


@pytest.mark.slow
def test_the_sweep_task_run_twice_on_a_real_worker_sends_one_email(
    workers, smtp_server, task_log, school, teacher, poor_attendance
):
    with workers(1):
        sweep_task.delay(TODAY.isoformat())
        sweep_task.delay(TODAY.isoformat())
        task_log.wait_for("attendance.tasks.attendance_sweep", 2)
        wait_until(lambda: len(smtp_server) >= 1, what="the email at the SMTP server")
        task_log.wait_for("notifications.tasks.outbox_send", 1)

    assert len(smtp_server) == 1
    assert smtp_server.envelopes[0].rcpt_tos == [teacher.email]
    runs = task_log.of("attendance.tasks.attendance_sweep")
    assert sorted(run.retval["opened"] for run in runs) == [0, 2]
    assert AttendanceConcern.objects.count() == 2
