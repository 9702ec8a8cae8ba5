"""The school administrator oversees the audit log and the outbox and must see no child
(DESIGN.md: "children shown as initials and a record number"). Each test here is the attack: a
user who is only the administrator opens the audit log (and its filters), the outbox list and
a message, after the school's staff have worked on a child on a Child Protection plan. The head,
who may see children, still reads their names.

The rows are written by Harbour's own code (the child's page, the services, the export, the
outbox), plus rows as Harbour stored them before it kept names out of the log.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent
from notifications.models import OutboxMessage
from notifications.services import Attachment, message_queue
from pupils import services as pupil_services
from pupils.models import EpisodeKind
from tests.conftest import member
from tests.pupil_factories import PupilFactory

pytestmark = pytest.mark.django_db

FORENAME, SURNAME = "Jasmine", "Okafor"
SECRETS = (FORENAME, SURNAME, "Child Protection", "child_protection")


@pytest.fixture
def child(school):
    return PupilFactory(school=school, legal_forename=FORENAME, legal_surname=SURNAME)


@pytest.fixture
def worked_on(school, child, head_client):
    """What a day's work on the child leaves in the audit log and the outbox."""
    head = member(school, Role.HEADTEACHER, full_name="Hana Head")
    # The head opens the child's record and exports the cohort, searching for her by name.
    assert head_client.get(reverse("pupils:pupil", args=[child.pk])).status_code == 200
    assert head_client.get(reverse("pupils:cohort_csv"), {"q": SURNAME}).status_code == 200
    # A Child Protection plan is recorded.
    pupil_services.care_episode_add(
        pupil=child,
        by=head,
        kind=EpisodeKind.CHILD_PROTECTION_PLAN,
        start_date=dt.date(2025, 5, 1),
    )
    # The Virtual School is told her PEP is overdue, and a message about the plan goes out.
    overdue = message_queue(
        recipient="vs@cambs.test",
        template="pep_overdue_virtual_school",
        context={
            "pupil": child,
            "status": SimpleNamespace(
                term="autumn term 2026", deadline=dt.date(2026, 11, 2), school_days_overdue=12
            ),
            "virtual_school": None,
            "teachers": "Hana Head",
        },
        dedupe_key="overdue-1",
        school=school,
        about=child,
        pupil=child,
        attachment=Attachment(
            f"PEP-{SURNAME.lower()}-{FORENAME.lower()}-autumn-2026.pdf", "application/pdf", b"%P"
        ),
    )
    episode = child.care_episodes.get()
    about_plan = message_queue(
        recipient="sw@cambs.test",
        template="test_message",
        context={},
        dedupe_key="plan-1",
        school=school,
        about=episode,
        pupil=child,
    )
    # The head reads the message: the log records it.
    url = reverse("notifications:outbox_message", args=[overdue.pk])
    assert head_client.get(url).status_code == 200
    # Rows as Harbour wrote them before: the child's name and status in the record column and
    # the export's search text in its changes.
    AuditEvent.objects.create(
        school=school,
        action="care_episode.added",
        pupil_id=child.pk,
        object_repr="Child Protection plan from 1 May 2025",
        changes={"kind": [None, "child_protection_plan"]},
    )
    AuditEvent.objects.create(
        school=school, action="pupil.viewed", pupil_id=child.pk, object_repr="Jasmine Okafor"
    )
    AuditEvent.objects.create(
        school=school, action="cohort.exported", changes={"pupils": 1, "filters": "q=Okafor"}
    )
    AuditEvent.objects.create(
        school=school,
        action="outbox.viewed",
        object_id=str(overdue.pk),
        object_repr="PEP overdue for Jasmine Okafor: Fenbridge Academy → vs@cambs.test (queued)",
    )
    return SimpleNamespace(overdue=overdue, about_plan=about_plan)


def _shows_no_child(page: str) -> None:
    for secret in SECRETS:
        assert secret not in page


def test_administrator_reads_the_audit_log_without_a_childs_name_or_status(
    school_admin_client, child, worked_on
):
    page = school_admin_client.get(reverse("accounts:audit")).content.decode()

    _shows_no_child(page)
    assert f"J.O. · record {child.pk}" in page
    assert "care_episode.added" in page and "kind changed" in page


@pytest.mark.parametrize(
    "filters",
    [
        {"pupil_id": "CHILD"},
        {"action": "care_episode"},
        {"action": "cohort"},
        {"action": "outbox"},
    ],
)
def test_administrator_filtering_the_audit_log_sees_no_child(
    school_admin_client, child, worked_on, filters
):
    query = {k: str(child.pk) if v == "CHILD" else v for k, v in filters.items()}

    response = school_admin_client.get(reverse("accounts:audit"), query)

    assert response.context["rows"]
    _shows_no_child(response.content.decode())


def test_administrator_reads_the_outbox_list_without_a_childs_name_or_status(
    school_admin_client, child, worked_on
):
    page = school_admin_client.get(reverse("notifications:outbox")).content.decode()

    _shows_no_child(page)
    assert f"PEP overdue for J.O. · record {child.pk}" in page


def test_administrator_cannot_find_a_child_by_searching_the_outbox_subjects(
    school_admin_client, worked_on
):
    response = school_admin_client.get(reverse("notifications:outbox"), {"q": SURNAME})

    assert list(response.context["rows"]) == []
    assert "vs@cambs.test" not in response.content.decode()


@pytest.mark.parametrize("which", ["overdue", "about_plan"])
def test_administrator_opens_a_message_about_a_child_and_sees_no_child(
    school_admin_client, child, worked_on, which
):
    message = getattr(worked_on, which)

    page = school_admin_client.get(
        reverse("notifications:outbox_message", args=[message.pk])
    ).content.decode()

    _shows_no_child(page)
    assert f"J.O. · record {child.pk}" in page


def test_administrator_sees_that_a_message_has_an_attachment_but_not_its_name(
    school_admin_client, worked_on
):
    url = reverse("notifications:outbox_message", args=[worked_on.overdue.pk])

    page = school_admin_client.get(url).content.decode()

    assert "A PDF" in page
    assert ".pdf" not in page


def test_head_still_reads_the_childs_name_in_the_audit_log_and_the_outbox(
    head_client, child, worked_on
):
    audit = head_client.get(reverse("accounts:audit")).content.decode()
    outbox = head_client.get(reverse("notifications:outbox")).content.decode()
    message = head_client.get(
        reverse("notifications:outbox_message", args=[worked_on.overdue.pk])
    ).content.decode()

    assert f"Jasmine Okafor · record {child.pk}" in audit
    assert "Child Protection plan from 1 May 2025" in audit  # the old row, as stored
    assert "PEP overdue for Jasmine Okafor: Fenbridge Academy" in outbox
    assert "PEP-okafor-jasmine-autumn-2026.pdf" in message
    assert head_client.get(reverse("notifications:outbox"), {"q": SURNAME}).context["rows"]


def test_rows_about_a_child_no_longer_store_their_name_or_status(child, worked_on):
    written_now = AuditEvent.objects.filter(pupil_id=child.pk).exclude(object_repr="")
    # Only the two rows made above as Harbour stored them before.
    assert {e.object_repr for e in written_now} == {
        "Jasmine Okafor",
        "Child Protection plan from 1 May 2025",
    }
    outbox_read = AuditEvent.objects.get(action="outbox.viewed", actor__isnull=False)
    assert SURNAME not in outbox_read.object_repr


def test_a_pep_email_records_which_email_and_which_child(worked_on, child):
    message = OutboxMessage.objects.get(pk=worked_on.overdue.pk)

    assert (message.template, message.about_pupil_id) == ("pep_overdue_virtual_school", child.pk)


@pytest.mark.parametrize("count", [1, 50])
def test_the_administrators_outbox_reads_every_childs_label_in_one_query(
    school_admin_client, school, count, django_assert_max_num_queries
):
    for n in range(count):
        pupil = PupilFactory(school=school)
        OutboxMessage.objects.create(
            school=school,
            recipient="vs@cambs.test",
            subject=f"PEP for {pupil.display_name}",
            body_text="",
            dedupe_key=f"pep-{n}",
            template="pep_completed",
            about_pupil_id=pupil.pk,
        )
    # 1 session, 2 user, 3 authenticator, 4 memberships, 5 count, 6 the page of messages,
    # 7 the children's labels, 8 the content types of what a message is about (cached after),
    # 9-11 saving the session.
    with django_assert_max_num_queries(11):
        response = school_admin_client.get(reverse("notifications:outbox"))
    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 50])
def test_the_administrators_audit_log_reads_every_childs_label_in_one_query(
    school_admin_client, school, count, django_assert_max_num_queries
):
    for _ in range(count):
        AuditEvent.objects.create(
            school=school, action="pupil.viewed", pupil_id=PupilFactory(school=school).pk
        )
    # As tests/accounts/test_audit_page.py, and one query for the children's labels.
    with django_assert_max_num_queries(11):
        response = school_admin_client.get(reverse("accounts:audit"))
    assert len(response.context["rows"]) == count
