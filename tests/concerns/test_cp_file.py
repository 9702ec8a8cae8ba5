"""The child protection file's transfer when a child leaves (KCSIE, DOMAIN.md 7.3): recorded on
its own page (linked from the leaving checklist), the receipt ticks the checklist off, and the
DSL team is reminded the school day before it is due and once when it is overdue, never twice."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from concerns.models import CpFileTransfer
from concerns.reminders import cp_file_reminders_sweep
from concerns.services import cp_file_sent
from notifications.models import OutboxMessage
from pupils import services as pupil_services
from pupils.models import Destination, EpisodeKind, LeavingTask
from tests.conftest import member
from tests.factories import add_year
from tests.matrix import on_matrix_day
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(school):
    add_year(school, 2026)
    pupil = PupilFactory(school=school, legal_forename="Kai")
    CareEpisodeFactory(pupil=pupil, kind=EpisodeKind.IN_CARE, start_date=D(2024, 1, 8))
    pupil_services.pupil_leave(
        pupil=pupil,
        by=member(school, Role.DESIGNATED_TEACHER),
        leaving_date=D(2026, 11, 20),  # a Friday: due Friday 27 November
        destination=Destination.OTHER_SCHOOL,
        destination_school_name="Riverside Academy",
    )
    return pupil


@pytest.fixture
def dsl(school):
    return member(school, Role.DSL)


def _cp_task(pupil) -> LeavingTask:
    return LeavingTask.objects.get(pupil=pupil, item=LeavingTask.Item.CP_FILE_TRANSFERRED)


def test_the_checklist_links_the_dsl_to_the_transfer_page(dsl_client, leaver):
    with on_matrix_day():
        page = dsl_client.get(reverse("pupils:pupil", args=[leaver.pk])).content.decode()
    assert reverse("concerns:cp_file", args=[leaver.pk]) in page


def test_the_dsl_records_the_transfer_and_the_receipt_ticks_off_the_checklist(dsl_client, leaver):
    url = reverse("concerns:cp_file", args=[leaver.pk])
    with on_matrix_day(dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)):
        response = dsl_client.post(
            url,
            {
                "recipient_school": "Riverside Academy",
                "sent_on": "24/11/2026",
                "how_sent": "secure_transfer",
            },
        )
        assert response.status_code == 302
        assert _cp_task(leaver).completed_on is None  # sent is not received
        response = dsl_client.post(url, {"confirmed_on": "24/11/2026"})
        assert response.status_code == 302
    transfer = CpFileTransfer.objects.get(pupil=leaver)
    assert transfer.receipt_confirmed_on == D(2026, 11, 24)
    assert _cp_task(leaver).completed_on == D(2026, 11, 24)


def _reminders():
    return list(
        OutboxMessage.objects.filter(template="cp_file_reminder").values_list("subject", flat=True)
    )


def test_reminded_the_school_day_before_and_when_overdue_once_each(leaver, dsl):
    cp_file_reminders_sweep(today=D(2026, 11, 25))
    assert _reminders() == []
    cp_file_reminders_sweep(today=D(2026, 11, 26))  # Thursday, the school day before
    cp_file_reminders_sweep(today=D(2026, 11, 26))
    cp_file_reminders_sweep(today=D(2026, 11, 27))  # due today: nothing new
    assert _reminders() == ["Due tomorrow: a child protection file to transfer"]
    cp_file_reminders_sweep(today=D(2026, 11, 30))
    cp_file_reminders_sweep(today=D(2026, 12, 1))
    assert sorted(_reminders()) == [
        "Due tomorrow: a child protection file to transfer",
        "Overdue: a child protection file to transfer",
    ]
    message = OutboxMessage.objects.filter(template="cp_file_reminder").first()
    assert message.recipient == dsl.email
    assert "Kai" not in message.body_text


def test_a_file_recorded_as_sent_is_not_chased(leaver, dsl, school):
    cp_file_sent(
        pupil=leaver,
        by=dsl,
        recipient_school="Riverside Academy",
        sent_on=D(2026, 11, 23),
        how_sent="secure_email",
        today=D(2026, 11, 23),
    )
    cp_file_reminders_sweep(today=D(2026, 12, 1))
    assert _reminders() == []


def test_the_transfer_cannot_be_cleared_on_postgresql(leaver, dsl):
    from django.db import connection, transaction
    from django.db.utils import DatabaseError

    cp_file_sent(
        pupil=leaver,
        by=dsl,
        recipient_school="Riverside Academy",
        sent_on=D(2026, 11, 23),
        how_sent="secure_email",
        today=D(2026, 11, 23),
    )
    with (
        pytest.raises(DatabaseError, match="only ever completed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE concerns_cpfiletransfer SET recipient_school = 'Elsewhere'")
