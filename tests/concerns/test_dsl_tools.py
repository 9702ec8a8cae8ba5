"""The DSL team's own tools: the school's safeguarding settings (audited), the chase of an
unconfirmed receipt (once), the retention list (DOMAIN.md 7.2: listed, never deleted), the
dashboard's section (DSL team and head only, never for governors) and the work queue."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Capability, Role
from concerns.models import Concern, ConcernSettings, CpFileTransfer
from concerns.reminders import cp_file_reminders_sweep
from concerns.report_sections import work_items
from concerns.selectors import concern_list, no_action_flag
from concerns.services import cp_file_sent
from core.models import AuditEvent
from core.report_sections import dashboard_sections, report_sections
from notifications.models import OutboxMessage
from pupils import services as pupil_services
from pupils.models import Destination
from schools.schooldays import SchoolCalendar
from tests.concerns.factories import raise_concern
from tests.conftest import member
from tests.factories import add_year
from tests.matrix import on_matrix_day
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

D = dt.date
pytestmark = pytest.mark.django_db


def test_the_dsl_changes_the_settings_and_the_change_is_audited(dsl_client, school):
    with on_matrix_day():
        response = dsl_client.post(
            reverse("concerns:settings"),
            {
                "no_action_flag_school_days": "5",
                "raise_window_days": "60",
                "receipt_chase_school_days": "8",
            },
        )
    assert response.status_code == 302
    saved = ConcernSettings.objects.get(school=school)
    assert (saved.no_action_flag_school_days, saved.raise_window_days) == (5, 60)
    event = AuditEvent.objects.get(action="concern.settings_changed")
    assert event.changes["no_action_flag_school_days"] == [3, 5]
    assert event.changes["raise_window_days"] == [120, 60]


def test_a_setting_out_of_range_is_refused(dsl_client, school):
    with on_matrix_day():
        response = dsl_client.post(
            reverse("concerns:settings"),
            {
                "no_action_flag_school_days": "0",
                "raise_window_days": "120",
                "receipt_chase_school_days": "10",
            },
        )
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="concern.settings_changed").exists()


def test_the_flag_follows_the_school_s_setting(school):
    add_year(school, 2026)
    concern = raise_concern(
        school, by=member(school, Role.STAFF), pupils=[PupilFactory(school=school)]
    )
    row = concern_list(Concern.objects.filter(pk=concern.pk)).get()
    calendar = SchoolCalendar.for_school(school)
    raised = concern.raised_at.date()
    day = calendar.add_school_days(raised, 4)
    assert no_action_flag(row, calendar, day).school_days == 4  # Harbour's 3
    assert no_action_flag(row, calendar, day, after=5) is None  # a school that set 5


def test_the_raise_window_follows_the_school_s_setting(dt_client, school):
    left = PupilFactory(
        school=school,
        legal_forename="Leftlately",
        leaving_date=D(2026, 9, 1),
        admission_date=D(2020, 9, 2),
    )
    ConcernSettings.objects.create(school=school, raise_window_days=30)
    with on_matrix_day():  # 14 October 2026: 43 days after
        assert left.legal_forename not in dt_client.get(reverse("concerns:raise")).content.decode()
    ConcernSettings.objects.filter(school=school).delete()
    with on_matrix_day():
        assert left.legal_forename in dt_client.get(reverse("concerns:raise")).content.decode()


@pytest.fixture
def sent(school):
    add_year(school, 2026)
    member(school, Role.DSL)
    pupil = PupilFactory(school=school)
    CareEpisodeFactory(pupil=pupil)
    dsl = member(school, Role.DEPUTY_DSL)
    pupil_services.pupil_leave(
        pupil=pupil,
        by=member(school, Role.DESIGNATED_TEACHER),
        leaving_date=D(2026, 11, 20),
        destination=Destination.OTHER_SCHOOL,
        destination_school_name="Riverside Academy",
    )
    return cp_file_sent(
        pupil=pupil,
        by=dsl,
        recipient_school="Riverside Academy",
        sent_on=D(2026, 11, 23),
        how_sent="secure_email",
        today=D(2026, 11, 23),
    )


def _chases():
    return OutboxMessage.objects.filter(template="cp_file_receipt_chase")


def test_an_unconfirmed_receipt_is_chased_once_after_the_set_school_days(school, sent):
    calendar = SchoolCalendar.for_school(school)
    cp_file_reminders_sweep(today=calendar.add_school_days(sent.sent_on, 9))
    assert not _chases().exists()
    day = calendar.add_school_days(sent.sent_on, 10)
    cp_file_reminders_sweep(today=day)
    cp_file_reminders_sweep(today=day)
    cp_file_reminders_sweep(today=calendar.add_school_days(sent.sent_on, 15))
    assert _chases().count() == 2  # the DSL and the deputy, once each
    for email in _chases():
        assert "Riverside" not in email.subject + email.body_text  # no detail, only a link
    assert AuditEvent.objects.filter(action="cp_file.receipt_chased").count() == 1


def test_a_confirmed_receipt_is_not_chased(school, sent):
    CpFileTransfer.objects.filter(pk=sent.pk).update(
        receipt_confirmed_on=D(2026, 11, 25), receipt_confirmed_by=sent.sent_by
    )
    cp_file_reminders_sweep(today=D(2027, 1, 20))
    assert not _chases().exists()


def test_the_retention_list_shows_ended_periods_and_deletes_nothing(dsl_client, school):
    old = PupilFactory(school=school, legal_forename="Grownup", date_of_birth=D(2001, 5, 1))
    young = PupilFactory(school=school, legal_forename="Stillyoung", date_of_birth=D(2015, 5, 1))
    staff = member(school, Role.STAFF)
    first = raise_concern(school, by=staff, pupils=[old])
    raise_concern(school, by=staff, pupils=[young])
    raise_concern(school, by=staff, pupils=[], child_name="Typed only")
    with on_matrix_day():  # 14 October 2026: the first turned 25 on 1 May 2026
        page = dsl_client.get(reverse("concerns:retention")).content.decode()
    assert "Grownup" in page and first.reference in page and "1 May 2026" in page
    assert "Stillyoung" not in page
    assert "Concerns not linked to a child" in page
    assert Concern.objects.count() == 3
    assert AuditEvent.objects.filter(action="concern.retention_listed").count() == 1


def test_the_concerns_section_is_for_the_dsl_team_and_head_never_governors():
    keys = {s.key for s in dashboard_sections({Capability.VIEW_DASHBOARD})}
    assert "concerns" not in keys
    dsl_keys = {s.key for s in dashboard_sections({Capability.ACT_ON_CONCERNS})}
    assert "concerns" in dsl_keys
    assert "concerns" not in {s.key for s in report_sections()}


def test_the_head_s_dashboard_shows_open_concerns(head_client, dt_client, school):
    add_year(school, 2026)
    raise_concern(
        school,
        by=member(school, Role.STAFF),
        pupils=[PupilFactory(school=school)],
        immediate_risk=True,
    )
    with on_matrix_day():
        head = head_client.get(reverse("reports:dashboard")).content.decode()
        dt = dt_client.get(reverse("reports:dashboard")).content.decode()
    assert "Safeguarding concerns" in head and "Open, a child at immediate risk" in head
    assert "Safeguarding concerns" not in dt


def test_the_work_queue_puts_urgent_concerns_first(school, sent):
    staff = member(school, Role.STAFF)
    with on_matrix_day(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)):
        older = raise_concern(
            school,
            by=staff,
            pupils=[PupilFactory(school=school)],
            now=dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC),
        )
    with on_matrix_day(dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)):
        urgent = raise_concern(
            school,
            by=staff,
            pupils=[],
            child_name="Typed",
            immediate_risk=True,
            now=dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC),
        )
    items = work_items(school, staff, capabilities=set(), today=D(2026, 11, 30))
    labels = [i.label for i in items]
    assert labels[0].startswith(f"Concern {urgent.reference}") and items[0].urgent
    # Then the older one: no action for weeks, flagged.
    assert labels[1].startswith(f"Concern {older.reference}") and items[1].urgent
    assert "no action for" in labels[1]
    assert any(label.startswith("Concerns to link to a child") for label in labels)
    assert any(label.startswith("Receipt of a child protection file sent") for label in labels)
    assert not any("Riverside" in label for label in labels)


def test_the_dsl_s_list_of_open_concerns_shows_a_concern_nobody_has_decided_on(dsl_client, school):
    # status_kind is NULL until a closing or reopening decision: "open" must still find it.
    concern = raise_concern(
        school, by=member(school, Role.STAFF), pupils=[PupilFactory(school=school)]
    )
    with on_matrix_day():
        page = dsl_client.get(reverse("concerns:list")).content.decode()
    assert concern.reference in page
