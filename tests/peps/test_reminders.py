"""The daily PEP reminders: what goes to whom on which day, and that each goes once.

Amelia's autumn 2026 PEP is due by Friday 18 December (the last school day of term).
"""

import pytest

from accounts.roles import Role
from notifications.models import OutboxMessage
from peps.models import PepReminder
from peps.reminders import pep_reminders_sweep
from peps.tasks import pep_reminders_sweep as sweep_task
from tests.conftest import member
from tests.factories import SchoolFactory, add_year
from tests.notifications.conftest import wait_until
from tests.peps.conftest import D
from tests.peps.factories import CompletedPepFactory
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

Kind = PepReminder.Kind


@pytest.fixture
def setting(child, year, teacher):
    return child


def digests():
    return list(
        OutboxMessage.objects.filter(dedupe_key__startswith="pep-reminders-").order_by("pk")
    )


def test_ten_school_days_before_the_deadline_the_teacher_gets_a_digest(setting, teacher):
    outcome = pep_reminders_sweep(today=D(2026, 12, 4))  # 7 to 18 Dec: 10 school days left
    assert (outcome.digests, outcome.items) == (1, 1)
    [message] = digests()
    assert message.recipient == teacher.email
    assert "Due within 10 school days" in message.body_text
    assert "Amelia Okonkwo" in message.body_text
    assert "18 December 2026 (10 school days left)" in message.body_text
    assert "Amelia" not in message.subject  # no child's name in a subject line
    assert PepReminder.objects.get().kind == Kind.DUE_SOON


def test_eleven_school_days_before_nothing_is_sent(setting):
    pep_reminders_sweep(today=D(2026, 12, 3))
    assert not OutboxMessage.objects.exists()


def test_the_sweep_run_twice_in_a_day_sends_each_reminder_once(setting):
    pep_reminders_sweep(today=D(2026, 12, 4))
    again = pep_reminders_sweep(today=D(2026, 12, 4))
    assert again.digests == 0
    assert len(digests()) == 1


def test_due_soon_is_told_once_then_due_today_once(setting):
    for day in (4, 7, 8, 15, 17):
        pep_reminders_sweep(today=D(2026, 12, day))
    assert len(digests()) == 1
    pep_reminders_sweep(today=D(2026, 12, 18))
    pep_reminders_sweep(today=D(2026, 12, 18))
    messages = digests()
    assert len(messages) == 2
    assert "Due today" in messages[1].body_text
    assert sorted(PepReminder.objects.values_list("kind", flat=True)) == [
        Kind.DUE_SOON,
        Kind.DUE_TODAY,
    ]


def test_overdue_is_told_weekly_on_school_days(setting):
    pep_reminders_sweep(today=D(2026, 12, 21))  # a Monday in the Christmas holiday
    assert not OutboxMessage.objects.exists()
    pep_reminders_sweep(today=D(2027, 1, 5))  # first day of spring term, ISO week 1
    pep_reminders_sweep(today=D(2027, 1, 6))
    pep_reminders_sweep(today=D(2027, 1, 8))
    assert len(digests()) == 1
    assert "Overdue" in digests()[0].body_text
    pep_reminders_sweep(today=D(2027, 1, 11))  # Monday, ISO week 2
    assert len(digests()) == 2
    keys = sorted(PepReminder.objects.values_list("key", flat=True))
    assert [k.split("-")[5] for k in keys] == ["W01", "W02"]


def test_nothing_is_sent_on_a_saturday(setting):
    pep_reminders_sweep(today=D(2026, 12, 5))
    assert not OutboxMessage.objects.exists()


def test_virtual_school_is_told_once_when_a_pep_is_ten_school_days_overdue(setting, cambridgeshire):
    # School days after 18 Dec: 5 to 8 Jan (4), 11 to 15 Jan (9), Mon 18 Jan is the 10th.
    pep_reminders_sweep(today=D(2027, 1, 15))
    assert not OutboxMessage.objects.filter(recipient=cambridgeshire.email).exists()
    pep_reminders_sweep(today=D(2027, 1, 18))
    pep_reminders_sweep(today=D(2027, 1, 19))
    pep_reminders_sweep(today=D(2027, 1, 25))
    [notice] = OutboxMessage.objects.filter(recipient=cambridgeshire.email)
    assert "10 school days overdue" in notice.body_text
    assert "Dana Teague" in notice.body_text


def test_an_unconfirmed_virtual_school_address_is_not_told_about_the_child(
    setting, school, cambridgeshire
):
    from schools.models import VirtualSchoolContact

    VirtualSchoolContact.objects.filter(school=school).update(confirmed_email="")
    pep_reminders_sweep(today=D(2027, 1, 18))
    assert not OutboxMessage.objects.filter(recipient=cambridgeshire.email).exists()


def test_a_guessed_start_of_care_sends_no_notice_until_a_person_confirms_it(
    setting, cambridgeshire, teacher
):
    # A CTF said "in care" with no start date: the import guessed one (pupils.imports).
    from pupils.services import care_episode_update

    episode = setting.care_episodes.get()
    type(episode).objects.filter(pk=episode.pk).update(start_date_confirmed=False)

    pep_reminders_sweep(today=D(2027, 1, 18))

    assert not OutboxMessage.objects.exists()
    assert not PepReminder.objects.exists()

    # The designated teacher confirms the date (saves it as it is on "Correct").
    care_episode_update(episode=episode, by=teacher, start_date=episode.start_date)
    pep_reminders_sweep(today=D(2027, 1, 18))

    assert OutboxMessage.objects.filter(recipient=cambridgeshire.email).count() == 1


def test_a_completed_pep_stops_the_reminders(setting, autumn):
    CompletedPepFactory(pupil=setting, term=autumn, meeting_date=D(2026, 12, 1))
    pep_reminders_sweep(today=D(2026, 12, 4))
    pep_reminders_sweep(today=D(2027, 1, 18))
    assert not OutboxMessage.objects.exists()


def test_each_designated_teacher_gets_their_own_digest(setting, school, teacher):
    second = member(school, Role.DESIGNATED_TEACHER)
    member(school, Role.DSL)  # not a designated teacher: told nothing
    pep_reminders_sweep(today=D(2026, 12, 4))
    assert sorted(m.recipient for m in digests()) == sorted([teacher.email, second.email])


def test_one_digest_lists_every_child_due(setting, school):
    other = PupilFactory(school=school, legal_forename="Ben", legal_surname="Adeyemi")
    CareEpisodeFactory(pupil=other, start_date=D(2023, 3, 1))
    pep_reminders_sweep(today=D(2026, 12, 4))
    [message] = digests()
    assert "Amelia Okonkwo" in message.body_text and "Ben Adeyemi" in message.body_text


def test_a_school_without_term_dates_is_skipped_and_the_others_still_run(setting):
    SchoolFactory(name="No Dates Primary")  # not started with Harbour: nothing to do
    add_year(SchoolFactory(name="Old Dates School"), 2025)
    outcome = pep_reminders_sweep(today=D(2026, 12, 4))
    assert outcome.skipped == ["Old Dates School"]
    assert len(digests()) == 1


@pytest.mark.slow
def test_the_sweep_task_run_twice_on_a_real_worker_sends_each_reminder_once(
    workers, smtp_server, task_log, setting, teacher, cambridgeshire
):
    with workers(1):
        sweep_task.delay("2027-01-18")
        sweep_task.delay("2027-01-18")
        task_log.wait_for("peps.tasks.pep_reminders_sweep", 2)
        # The overdue digest to the teacher and the notice to the Virtual School.
        wait_until(lambda: len(smtp_server) >= 2, what="two emails at the SMTP server")
        task_log.wait_for("notifications.tasks.outbox_send", 2)

    assert len(smtp_server) == 2
    assert sorted(e.rcpt_tos[0] for e in smtp_server.envelopes) == sorted(
        [teacher.email, cambridgeshire.email]
    )
    runs = task_log.of("peps.tasks.pep_reminders_sweep")
    assert sorted(run.retval["digests"] for run in runs) == [0, 1]
    assert OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count() == 2


def test_a_child_whose_deadline_is_in_a_year_without_term_dates_does_not_stop_the_sweep(
    school, child, teacher
):
    # Only 2026 to 2027 is entered. Bea comes into care on Mon 12 Jul 2027: her first PEP's
    # 20 school days run into 2027 to 2028, which nobody has entered. Amelia's summer PEP is
    # due by Wed 21 Jul, 5 school days after Wed 14 Jul.
    terms = add_year(school, 2026).terms
    CompletedPepFactory(pupil=child, term=terms.get(name="spring"))
    bea = PupilFactory(school=school, legal_forename="Bea", legal_surname="Lund")
    CareEpisodeFactory(pupil=bea, start_date=D(2027, 7, 12))

    outcome = pep_reminders_sweep(today=D(2027, 7, 14))

    assert outcome.skipped == []
    assert (outcome.digests, outcome.items) == (1, 1)
    [message] = digests()
    assert "Amelia Okonkwo" in message.body_text
    assert "Bea" not in message.body_text
    assert (
        "The school's term dates for 2027 to 2028 are missing, "
        "so 1 child's PEP deadline cannot be worked out" in " ".join(message.body_text.split())
    )


def test_missing_term_dates_are_told_weekly_even_when_no_pep_is_due(school, child, teacher):
    terms = add_year(school, 2026).terms
    for name in ("spring", "summer"):
        CompletedPepFactory(pupil=child, term=terms.get(name=name))
    bea = PupilFactory(school=school, legal_forename="Bea", legal_surname="Lund")
    CareEpisodeFactory(pupil=bea, start_date=D(2027, 7, 12))

    pep_reminders_sweep(today=D(2027, 7, 13))
    pep_reminders_sweep(today=D(2027, 7, 14))
    [message] = digests()
    assert "The school's term dates for 2027 to 2028 are missing" in " ".join(
        message.body_text.split()
    )
    assert "Amelia" not in message.body_text
