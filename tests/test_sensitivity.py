"""A record marked SAFEGUARDING, seen by every role in the five places that show records: the
chronology, the outbox, the audit page, exports and PDFs. One rule (core.sensitivity): in full
for the DSL team and the head, "a safeguarding record exists" for the designated teacher,
nothing at all for the administrator, a governor or a member of staff."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from accounts.roles import ROLE_CAPABILITIES, Capability, Role
from accounts.selectors import audit_rows_for
from core import sensitivity
from core.audit import audit_record
from core.exports import Column, csv_bytes, table_for, xlsx_bytes
from core.models import AuditEvent
from core.sensitivity import EXISTS_TEXT, Detail, Sensitivity, shown, visible_detail
from notifications.audit import OutboxAction
from notifications.selectors import outbox_rows_for
from pupils import chronology
from pupils.audit import PupilAction
from pupils.chronology import ChronologyEntry, chronology_for, register
from pupils.models import CareEpisode
from tests.notifications.factories import OutboxMessageFactory
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

pytestmark = pytest.mark.django_db

SECRET = "bruising on the left arm"

FULL = [Role.DSL, Role.DEPUTY_DSL, Role.HEADTEACHER]
EXISTS = [Role.DESIGNATED_TEACHER]
NOTHING = [Role.ADMINISTRATOR, Role.GOVERNOR, Role.STAFF]
EXPECTED = (
    dict.fromkeys(FULL, Detail.FULL)
    | dict.fromkeys(EXISTS, Detail.EXISTS)
    | dict.fromkeys(NOTHING, Detail.NOTHING)
)


def test_every_role_is_decided():
    assert set(EXPECTED) == set(Role)


def test_core_names_the_capabilities_of_the_role_table():
    # core sits below accounts and compares the capabilities by value.
    assert sensitivity.ACT_ON_CONCERNS == Capability.ACT_ON_CONCERNS
    assert sensitivity.VIEW_COHORT == Capability.VIEW_COHORT


@pytest.mark.parametrize("role", list(Role))
def test_one_rule_decides_what_each_role_sees(role):
    held = ROLE_CAPABILITIES[role]
    assert visible_detail(Sensitivity.SAFEGUARDING, held) is EXPECTED[role]
    assert visible_detail(Sensitivity.ORDINARY, held) is Detail.FULL


def test_an_unknown_mark_shows_nothing():
    assert visible_detail("secret-ish", frozenset(Capability)) is Detail.NOTHING


# --- The chronology -------------------------------------------------------------------------


class Viewer:
    def __init__(self, role):
        self.capabilities = ROLE_CAPABILITIES[role]


@pytest.fixture
def concern_source():
    @register("test-sensitive")
    def source(pupil, request):
        return [
            ChronologyEntry(
                dt.date(2025, 3, 4),
                "concern",
                "Concern raised",
                detail=SECRET,
                url="/concerns/1/",
                sensitivity=Sensitivity.SAFEGUARDING,
            )
        ]

    yield source
    chronology._SOURCES.pop("test-sensitive")


@pytest.mark.parametrize("role", list(Role))
def test_chronology(role, school, concern_source):
    pupil = PupilFactory(school=school)
    entries = chronology_for(pupil, Viewer(role))
    marked = [e for e in entries if e.day == dt.date(2025, 3, 4)]
    if EXPECTED[role] is Detail.FULL:
        assert [(e.detail, e.url) for e in marked] == [(SECRET, "/concerns/1/")]
    elif EXPECTED[role] is Detail.EXISTS:
        assert [(e.kind, e.detail, e.url) for e in marked] == [("safeguarding", "", "")]
        assert marked[0].title.startswith("A safeguarding record exists")
    else:
        assert marked == []


def test_a_child_protection_plan_stays_in_the_designated_teachers_chronology(school):
    # Status episodes are not marked: a CP plan is what puts a child in the DT's cohort.
    pupil = PupilFactory(school=school)
    CareEpisodeFactory(pupil=pupil, kind="child_protection_plan", start_date=dt.date(2025, 1, 6))
    titles = [e.title for e in chronology_for(pupil, Viewer(Role.DESIGNATED_TEACHER))]
    assert "Child Protection plan started" in titles


# --- The outbox -----------------------------------------------------------------------------


@pytest.fixture
def concern_message(school):
    pupil = PupilFactory(school=school, legal_forename="Jane", legal_surname="Smith")
    message = OutboxMessageFactory(
        school=school,
        subject=f"Concern about Jane Smith: {SECRET}",
        body_text=SECRET,
        about_pupil_id=pupil.pk,
        about_label="Jane Smith",
        template="concern_raised",
        attachment_name="jane-smith-concern.pdf",
        attachment_type="application/pdf",
        sensitivity=Sensitivity.SAFEGUARDING,
    )
    return message


@pytest.mark.parametrize("role", list(Role))
def test_outbox_rows(role, school, concern_message):
    (row,) = outbox_rows_for(ROLE_CAPABILITIES[role], school=school, messages=[concern_message])
    if EXPECTED[role] is Detail.FULL:
        assert SECRET in row.subject and row.shows_body
    elif EXPECTED[role] is Detail.EXISTS:
        assert (row.subject, row.attachment, row.shows_body) == (EXISTS_TEXT, "", False)
        assert "Jane Smith" in row.about
    else:
        assert (row.subject, row.about, row.attachment, row.shows_body) == (
            "Email from Harbour",
            "",
            "",
            False,
        )


def test_the_administrator_reads_nothing_of_a_safeguarding_message(
    school_admin_client, concern_message
):
    for url in (
        reverse("notifications:outbox"),
        reverse("notifications:outbox_message", args=[concern_message.pk]),
    ):
        page = school_admin_client.get(url).text
        assert SECRET not in page
        assert "J.S." not in page and "Jane" not in page
        assert "safeguarding" not in page.lower()
        assert concern_message.recipient in page  # the outbox is still overseen


def test_the_head_reads_a_safeguarding_message(head_client, concern_message):
    page = head_client.get(reverse("notifications:outbox_message", args=[concern_message.pk]))
    assert SECRET in page.text


def test_a_subject_search_does_not_find_a_message_the_viewer_may_not_read(school, concern_message):
    from notifications.filters import OutboxFilter
    from notifications.models import OutboxMessage

    dt_only = ROLE_CAPABILITIES[Role.DESIGNATED_TEACHER]
    found = OutboxFilter(
        {"q": "bruising"},
        queryset=OutboxMessage.objects.all(),
        search_subjects=True,
        capabilities=dt_only,
    ).qs
    assert list(found) == []
    found = OutboxFilter(
        {"q": "bruising"},
        queryset=OutboxMessage.objects.all(),
        search_subjects=True,
        capabilities=ROLE_CAPABILITIES[Role.HEADTEACHER],
    ).qs
    assert list(found) == [concern_message]


# --- The audit page -------------------------------------------------------------------------


def _audit_rows(role, school, events):
    return audit_rows_for(ROLE_CAPABILITIES[role], school=school, events=events)


@pytest.mark.parametrize("role", list(Role))
def test_audit_rows_about_a_record_marked_on_its_row(role, school, concern_message):
    # The outbox message carries its mark on the row: the page reads it in one query.
    audit_record(
        action=OutboxAction.VIEWED,
        school=school,
        obj=concern_message,
        pupil_id=concern_message.about_pupil_id,
        fields=["state"],
        values={"state": ["queued", "sent"]},
    )
    (row,) = _audit_rows(role, school, AuditEvent.objects.filter(action="outbox.viewed"))
    if EXPECTED[role] is Detail.FULL:
        assert row.change_lines == ["state: queued → sent"]
        assert "Jane Smith" in row.child
    elif EXPECTED[role] is Detail.EXISTS:
        assert (row.record, row.change_lines) == (EXISTS_TEXT, [])
        assert "Jane Smith" in row.child
    else:
        assert (row.record, row.child, row.change_lines) == ("", "", [])


@pytest.mark.parametrize("role", list(Role))
def test_audit_rows_about_a_model_marked_on_its_class(role, school, monkeypatch):
    # A concern model says ``sensitivity = Sensitivity.SAFEGUARDING`` on the class; a care
    # episode stands in for it here.
    monkeypatch.setattr(CareEpisode, "sensitivity", Sensitivity.SAFEGUARDING, raising=False)
    episode = CareEpisodeFactory(pupil=PupilFactory(school=school))
    audit_record(
        action=PupilAction.CARE_EPISODE_UPDATED,
        school=school,
        obj=episode,
        pupil_id=episode.pupil_id,
        fields=["kind"],
        values={"kind": ["child_in_need_plan", "child_protection_plan"]},
    )
    (row,) = _audit_rows(role, school, AuditEvent.objects.filter(action="care_episode.updated"))
    assert (row.change_lines != []) is (EXPECTED[role] is Detail.FULL)
    assert (row.child != "") is (EXPECTED[role] is not Detail.NOTHING)


def test_the_administrators_audit_page_shows_who_but_not_what(
    school_admin_client, school, concern_message
):
    audit_record(
        action=OutboxAction.VIEWED,
        school=school,
        obj=concern_message,
        pupil_id=concern_message.about_pupil_id,
        fields=["state"],
        values={"state": ["queued", "sent"]},
    )
    page = school_admin_client.get(reverse("accounts:audit")).text
    assert "outbox.viewed" in page
    assert "J.S." not in page and "queued → sent" not in page


# --- Exports and PDFs -----------------------------------------------------------------------

COLUMNS = [
    Column("Name", lambda r: r["name"], key=True),
    Column("Group", lambda r: r["group"]),
    Column("Concern", lambda r: r["concern"], sensitivity=Sensitivity.SAFEGUARDING),
]
ROWS = [
    {"name": "Jane Smith", "group": "In care", "concern": SECRET, "mark": "ordinary"},
    {"name": "Tom Hale", "group": "In care", "concern": "", "mark": "ordinary"},
]


@pytest.mark.parametrize("role", list(Role))
def test_a_marked_column_in_an_export(role):
    headers, table = table_for(COLUMNS, ROWS, capabilities=ROLE_CAPABILITIES[role])
    if EXPECTED[role] is Detail.FULL:
        assert headers == ["Name", "Group", "Concern"]
        assert table[0][2] == SECRET
    elif EXPECTED[role] is Detail.EXISTS:
        assert headers == ["Name", "Group", "Concern"]
        assert [row[2] for row in table] == [EXISTS_TEXT, ""]
    else:
        assert headers == ["Name", "Group"]
    assert (SECRET in csv_bytes(headers, table).decode()) is (EXPECTED[role] is Detail.FULL)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(headers, table))).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert (SECRET in cells) is (EXPECTED[role] is Detail.FULL)


@pytest.mark.parametrize("role", list(Role))
def test_a_marked_row_in_an_export(role):
    rows = [
        {"name": "Jane Smith", "group": SECRET, "concern": "", "mark": "safeguarding"},
        {"name": "Tom Hale", "group": "In care", "concern": "", "mark": "ordinary"},
    ]
    headers, table = table_for(
        COLUMNS, rows, capabilities=ROLE_CAPABILITIES[role], row_sensitivity=lambda r: r["mark"]
    )
    names = [row[0] for row in table]
    if EXPECTED[role] is Detail.FULL:
        assert names == ["Jane Smith", "Tom Hale"] and table[0][1] == SECRET
    elif EXPECTED[role] is Detail.EXISTS:
        assert table[0] == ["Jane Smith", EXISTS_TEXT, ""]
    else:
        assert names == ["Tom Hale"]
    text = csv_bytes(headers, table).decode()
    assert (SECRET in text) is (EXPECTED[role] is Detail.FULL)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(headers, table))).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert (SECRET in cells) is (EXPECTED[role] is Detail.FULL)
    assert list(csv.reader(io.StringIO(text)))[0] == headers


@pytest.mark.parametrize("role", list(Role))
def test_a_pdf_document_asks_shown(role):
    text = shown(Sensitivity.SAFEGUARDING, ROLE_CAPABILITIES[role], SECRET)
    assert (
        text
        == {Detail.FULL: SECRET, Detail.EXISTS: EXISTS_TEXT, Detail.NOTHING: None}[EXPECTED[role]]
    )
