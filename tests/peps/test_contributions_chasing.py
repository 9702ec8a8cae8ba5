"""The designated teacher's side of views asked for before a PEP meeting: the home page's work
queue, the list page's pinned query count, and the chasing sweep on a real broker and worker."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxMessage
from peps import services as pep_services
from peps.contributions import services
from peps.contributions.models import ContributionAnswer, ContributionRequest
from peps.contributions.tasks import contribution_reminders_sweep as sweep_task
from peps.contributions.work_queue import contribution_items
from tests.notifications.conftest import wait_until
from tests.peps.conftest import D
from tests.pupil_factories import PupilFactory  # noqa: F401

Status = ContributionAnswer.Status


ASKED = D(2026, 10, 12)


def ask(draft, teacher, *, email="sam@carer.test", name="Sam Carter", today=ASKED):
    return services.contribution_request(
        pep=draft,
        audience="carer",
        name=name,
        email=email,
        questions=["carer_views"],
        by=teacher,
        today=today,
    )


def answered(link, text="Settled and happy"):
    """The contributor's answer as ``contribution_submit`` leaves it."""
    ContributionRequest.objects.filter(pk=link.pk).update(submitted_at=timezone.now())
    return ContributionAnswer.objects.create(request=link, question="carer_views", text=text)


# --- The home page's work queue ----------------------------------------------------------------


def test_answers_waiting_to_be_accepted_show_on_the_dts_home_page(school, draft, teacher):
    answered(ask(draft, teacher))
    answered(ask(draft, teacher, email="jo@sw.test", name="Jo Price"))
    [item] = contribution_items(school, teacher, capabilities=set(), today=D(2026, 10, 14))
    assert item.count == 2 and "waiting for you to accept" in item.label
    assert item.url == reverse("contributions:list", args=[draft.pk])
    assert "Amelia" not in item.label  # no child's name on the home page


def test_a_decided_answer_or_a_completed_pep_leaves_the_queue(school, draft, teacher):
    answer = answered(ask(draft, teacher))
    services.answer_accept(answer=answer, by=teacher)
    assert contribution_items(school, teacher, capabilities=set(), today=D(2026, 10, 14)) == []


def test_unanswered_requests_are_urgent_when_the_meeting_is_near(school, draft, teacher):
    ask(draft, teacher)
    pep_services.pep_update(pep=draft, by=teacher, meeting_date=D(2026, 11, 4))
    # 13 Oct: the meeting is more than 5 school days away (half term between).
    assert contribution_items(school, teacher, capabilities=set(), today=D(2026, 10, 13)) == []
    [item] = contribution_items(school, teacher, capabilities=set(), today=D(2026, 11, 2))
    assert item.urgent and item.count == 1 and "4 November" in item.label


def test_another_schools_requests_are_not_in_the_queue(other_school, draft, teacher):
    answered(ask(draft, teacher))
    assert (
        contribution_items(other_school, teacher, capabilities=set(), today=D(2026, 10, 14)) == []
    )


def test_the_queue_is_on_the_dts_home_page(dt_client, school, draft, teacher):
    answered(ask(draft, teacher))
    page = dt_client.get(reverse("home")).content.decode()
    assert "Views before PEP meetings" in page
    assert reverse("contributions:list", args=[draft.pk]) in page


def test_the_home_page_queue_costs_the_same_for_one_pep_or_many(
    school, draft, teacher, django_assert_max_num_queries
):
    for n in range(8):
        answered(ask(draft, teacher, email=f"c{n}@carer.test"))
    # The answers waiting, grouped by PEP; the school's terms and closures (calendar); the
    # requests unanswered with the meeting near, grouped by PEP.
    with django_assert_max_num_queries(4):
        contribution_items(school, teacher, capabilities=set(), today=D(2026, 10, 14))


# --- The list page ------------------------------------------------------------------------------


@pytest.mark.parametrize("people", [1, 12])
def test_the_list_page_costs_the_same_however_many_were_asked(
    dt_client, draft, teacher, people, django_assert_max_num_queries
):
    for n in range(people):
        answered(ask(draft, teacher, email=f"c{n}@carer.test"))
    url = reverse("contributions:list", args=[draft.pk])
    # Session, user, two-factor device, memberships (4); the PEP with its child, school and
    # term (1, none of its targets or attendees); the read's audit event (1); the requests and
    # their answers (2); the session's save in its savepoint (3).
    with django_assert_max_num_queries(11):
        response = dt_client.get(url)
    assert response.status_code == 200


# --- The sweep on a real broker and worker -----------------------------------------------------


@pytest.mark.slow
def test_each_reminder_goes_exactly_once_through_the_real_worker(
    workers, smtp_server, task_log, draft, teacher
):
    pep_services.pep_update(pep=draft, by=teacher, meeting_date=D(2026, 11, 4))
    sam = ask(draft, teacher)
    jo = ask(draft, teacher, email="jo@sw.test", name="Jo Price")
    reminders = OutboxMessage.objects.filter(template="pep_contribution_reminder")
    with workers(2):
        # Both links' emails leave first (queued by the requests' transactions).
        wait_until(lambda: len(smtp_server) >= 2, what="the two links at the SMTP server")
        # 5 school days after the request, the sweep runs twice, and twice again (a retry, a
        # second beat): each unanswered person is reminded once.
        for _ in range(4):
            sweep_task.delay("2026-10-19")
        task_log.wait_for("peps.contributions.tasks.contribution_reminders_sweep", 4)
        wait_until(lambda: len(smtp_server) >= 4, what="two reminders at the SMTP server")
        # Two school days before the meeting: the second reminder, once each, however often.
        for _ in range(3):
            sweep_task.delay("2026-11-02")
        task_log.wait_for("peps.contributions.tasks.contribution_reminders_sweep", 7)
        wait_until(lambda: len(smtp_server) >= 6, what="the reminders before the meeting")
        wait_until(
            lambda: not reminders.exclude(state=OutboxMessage.State.SENT).exists(),
            what="every reminder sent",
        )

    assert len(smtp_server) == 6
    recipients = sorted(e.rcpt_tos[0] for e in smtp_server.envelopes)
    assert recipients == ["jo@sw.test"] * 3 + ["sam@carer.test"] * 3
    assert sorted(reminders.values_list("dedupe_key", flat=True)) == sorted(
        f"pep-contribution-{link.pk}-reminder-{kind}"
        for link in (sam, jo)
        for kind in ("after_sending", "before_meeting")
    )
    runs = task_log.of("peps.contributions.tasks.contribution_reminders_sweep")
    total = {"after_sending": 0, "before_meeting": 0}
    for run in runs:
        for key in total:
            total[key] += run.retval[key]
    assert total == {"after_sending": 2, "before_meeting": 2}
