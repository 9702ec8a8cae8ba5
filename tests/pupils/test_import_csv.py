"""Importing pupils from a CSV file: reading it, matching rows to pupils by UPN, and applying
them all or nothing through pupils.services."""

import datetime as dt
from pathlib import Path

import pytest

from accounts.roles import Role
from core.models import AuditEvent
from pupils.imports import (
    COLUMN_NAMES,
    CREATE,
    MAX_FILE_BYTES,
    REFUSED,
    UNCHANGED,
    UPDATE,
    ImportFileError,
    csv_template,
    import_file_read,
    pupils_import,
)
from pupils.models import CareEpisode, EpisodeKind, Pupil, SenStatus
from tests.conftest import member
from tests.factories import VirtualSchoolFactory
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 1, 15)
HEADER = ",".join(COLUMN_NAMES)


@pytest.fixture
def importer(school):
    return member(school, Role.DESIGNATED_TEACHER)


@pytest.fixture(autouse=True)
def cambridgeshire(db):
    return VirtualSchoolFactory(la_code="873", local_authority_name="Cambridgeshire")


def read(content: str | bytes, name: str = "pupils.csv"):
    data = content.encode() if isinstance(content, str) else content
    return import_file_read(name=name, data=data, today=TODAY)


def csv_of(*rows: dict) -> str:
    """A CSV with every template column, each row filled from a dict (other cells empty)."""
    lines = [HEADER]
    for row in rows:
        lines.append(",".join(str(row.get(c, "")) for c in COLUMN_NAMES))
    return "\n".join(lines) + "\n"


AMELIA = {
    "upn": "N873400025001",
    "legal_forename": "Amelia",
    "legal_surname": "Thornbury",
    "date_of_birth": "2014-03-09",
    "sex": "F",
}
OLIVER = {
    "upn": "C873400025002",
    "legal_forename": "Oliver",
    "legal_surname": "Brennan",
    "date_of_birth": "12/07/2016",
    "sex": "M",
}


def run(school, by, content, *, commit=True, name="pupils.csv"):
    return pupils_import(
        school=school, by=by, upload=read(content, name), today=TODAY, commit=commit
    )


def sample() -> bytes:
    return (FIXTURES / "pupils.csv").read_bytes()


# --- The sample file and the template --------------------------------------------------------


def test_the_sample_file_creates_each_pupil_with_their_status(school, importer, cambridgeshire):
    result = run(school, importer, sample(), name="pupils.csv")

    assert result.committed
    assert result.summary(done=True) == "4 created, 0 updated, 0 unchanged"
    amelia = Pupil.objects.get(school=school, upn="N873400025001")
    assert amelia.legal_name == "Amelia Rose Thornbury"
    assert amelia.display_name == "Millie Thornbury"
    assert amelia.sen_status == SenStatus.SEN_SUPPORT
    assert amelia.free_school_meals is True
    episode = amelia.care_episodes.get()
    assert (episode.kind, episode.start_date, episode.legal_basis) == (
        EpisodeKind.IN_CARE,
        dt.date(2024, 11, 18),
        "s31",
    )
    assert episode.responsible_authority == cambridgeshire
    oliver = Pupil.objects.get(school=school, upn="C873400025002")
    assert oliver.date_of_birth == dt.date(2016, 7, 12)  # DD/MM/YYYY
    assert oliver.care_episodes.get().end_date == dt.date(2024, 2, 1)
    zainab = Pupil.objects.get(school=school, upn="R873400025003")
    assert zainab.sen_status == SenStatus.EHC_PLAN  # the CTF code E
    assert zainab.ehc_plan_review_date == dt.date(2026, 3, 15)
    assert not Pupil.objects.get(upn="F873400025004").care_episodes.exists()


def test_a_committed_import_is_audited_once_with_its_counts_and_file_never_its_name(
    school, importer
):
    result = run(school, importer, sample(), name="Amelia Thornbury.csv")

    event = AuditEvent.objects.get(action="pupils.imported")
    assert event.actor == importer
    assert event.school == school
    assert event.changes == {
        "sha256": result.upload.sha256,
        "format": "csv",
        "rows": {"created": 4, "updated": 0, "unchanged": 0},
    }
    # Whoever saved the file may have named a child in its name.
    assert "Thornbury" not in str(event.changes)
    # And each pupil's own events, written by pupils.services as the forms do.
    assert AuditEvent.objects.filter(action="pupil.created").count() == 4
    assert AuditEvent.objects.filter(action="care_episode.added").count() == 3


def test_the_template_holds_every_column_and_an_example_row_that_imports(school, importer):
    template = csv_template()
    header, example = template.splitlines()
    assert header.split(",") == COLUMN_NAMES

    result = run(school, importer, template, commit=False)

    assert [o.action for o in result.outcomes] == [CREATE]


def test_the_preview_saves_nothing(school, importer):
    result = run(school, importer, sample(), commit=False)

    assert result.summary() == "4 to create, 0 to update, 0 unchanged, 0 refused"
    assert not result.committed
    assert not Pupil.objects.exists()
    assert not CareEpisode.objects.exists()
    assert not AuditEvent.objects.exists()


# --- Idempotence and updates ---------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(school, importer):
    run(school, importer, sample())
    events = AuditEvent.objects.count()
    episodes = CareEpisode.objects.count()

    preview = run(school, importer, sample(), commit=False)
    again = run(school, importer, sample())

    assert [o.action for o in preview.outcomes] == [UNCHANGED] * 4
    assert not preview.can_confirm
    assert not again.committed
    assert AuditEvent.objects.count() == events
    assert CareEpisode.objects.count() == episodes
    assert Pupil.objects.count() == 4


def test_a_changed_row_is_an_update_showing_old_and_new_values(school, importer):
    PupilFactory(
        school=school,
        upn="N873400025001",
        legal_forename="Amelia",
        legal_surname="Thornbery",
        date_of_birth=dt.date(2014, 3, 9),
        sex="F",
    )

    result = run(school, importer, csv_of(AMELIA | {"free_school_meals": "yes"}), commit=False)

    [outcome] = result.outcomes
    assert outcome.action == UPDATE
    shown = {(c.label, c.old, c.new) for c in outcome.changes}
    assert shown == {
        ("Legal last name", "Thornbery", "Thornbury"),
        ("Free school meals", "No", "Yes"),
    }


def test_an_update_goes_through_the_service_and_is_audited(school, importer):
    pupil = PupilFactory(
        school=school,
        upn="N873400025001",
        legal_forename="Amelia",
        legal_surname="Thornbery",
        date_of_birth=dt.date(2014, 3, 9),
    )

    run(school, importer, csv_of(AMELIA))

    pupil.refresh_from_db()
    assert pupil.legal_surname == "Thornbury"
    event = AuditEvent.objects.get(action="pupil.updated")
    assert event.pupil_id == pupil.pk
    assert event.fields == ["legal_surname"]
    assert "Thornbury" not in str(event.changes)


def test_an_empty_cell_keeps_what_harbour_holds(school, importer):
    pupil = PupilFactory(
        school=school,
        upn="N873400025001",
        legal_forename="Amelia",
        legal_surname="Thornbury",
        preferred_forename="Millie",
        date_of_birth=dt.date(2014, 3, 9),
        sex="F",
        admission_date=dt.date(2025, 9, 3),
        free_school_meals=True,
    )

    result = run(school, importer, csv_of(AMELIA))

    assert [o.action for o in result.outcomes] == [UNCHANGED]
    pupil.refresh_from_db()
    assert (pupil.preferred_forename, pupil.admission_date, pupil.free_school_meals) == (
        "Millie",
        dt.date(2025, 9, 3),
        True,
    )


def test_a_year_group_override_is_kept_as_an_offset_and_a_second_import_is_unchanged(
    school, importer
):
    # Born March 2014: Year 7 in 2025 to 2026; taught in Year 6.
    run(school, importer, csv_of(AMELIA | {"nc_year": "6"}))
    pupil = Pupil.objects.get(upn=AMELIA["upn"])
    assert pupil.nc_year_offset == -1

    again = run(school, importer, csv_of(AMELIA | {"nc_year": "Year 6"}), commit=False)
    assert [o.action for o in again.outcomes] == [UNCHANGED]


def test_leaving_the_ehc_plan_clears_its_review_date(school, importer):
    PupilFactory(
        school=school,
        upn="N873400025001",
        legal_forename="Amelia",
        legal_surname="Thornbury",
        date_of_birth=dt.date(2014, 3, 9),
        sex="F",
        sen_status=SenStatus.EHC_PLAN,
        ehc_plan_review_date=dt.date(2026, 3, 1),
    )

    result = run(school, importer, csv_of(AMELIA | {"sen_status": "K"}))

    assert result.committed
    pupil = Pupil.objects.get(upn=AMELIA["upn"])
    assert (pupil.sen_status, pupil.ehc_plan_review_date) == (SenStatus.SEN_SUPPORT, None)


def test_the_end_of_a_status_already_recorded_updates_that_episode(school, importer):
    pupil = PupilFactory(
        school=school,
        upn="N873400025001",
        legal_forename="Amelia",
        legal_surname="Thornbury",
        date_of_birth=dt.date(2014, 3, 9),
        sex="F",
    )
    episode = CareEpisodeFactory(
        pupil=pupil, kind=EpisodeKind.CHILD_PROTECTION_PLAN, start_date=dt.date(2024, 1, 8)
    )
    row = AMELIA | {
        "status": "Child Protection plan",
        "status_start": "08/01/2024",
        "status_end": "2025-07-21",
    }

    result = run(school, importer, csv_of(row))

    [outcome] = result.outcomes
    assert outcome.action == UPDATE
    assert [(c.old, c.new) for c in outcome.changes] == [("", "21 July 2025")]
    episode.refresh_from_db()
    assert episode.end_date == dt.date(2025, 7, 21)
    assert CareEpisode.objects.count() == 1


def test_a_upn_is_matched_only_within_the_school(school, other_school, importer):
    PupilFactory(school=other_school, upn=AMELIA["upn"])

    result = run(school, importer, csv_of(AMELIA))

    assert [o.action for o in result.outcomes] == [CREATE]
    assert Pupil.objects.filter(upn=AMELIA["upn"]).count() == 2


# --- All or nothing ----------------------------------------------------------------------------


def test_one_refused_row_saves_nothing_at_all(school, importer):
    bad = OLIVER | {"date_of_birth": "31/02/2016"}

    result = run(school, importer, csv_of(AMELIA, bad))

    assert [o.action for o in result.outcomes] == [CREATE, REFUSED]
    assert not result.committed
    assert not result.can_confirm
    assert not Pupil.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_row_refused_by_the_services_rules_saves_nothing(school, importer):
    # A child cannot be born after today: pupils.services refuses it, as the form would.
    bad = OLIVER | {"date_of_birth": "2027-01-01"}

    result = run(school, importer, csv_of(AMELIA, bad))

    assert result.outcomes[1].reasons == ["The date of birth must be in the past"]
    assert not Pupil.objects.exists()


# --- Rows refused, with every reason ---------------------------------------------------------


def reasons_for(school, importer, row: dict) -> list[str]:
    [outcome] = run(school, importer, csv_of(row), commit=False).outcomes
    assert outcome.action == REFUSED
    return outcome.reasons


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (AMELIA | {"upn": ""}, "upn: empty. Harbour matches pupils by UPN"),
        (AMELIA | {"upn": "A873400025001"}, "check letter does not match"),
        (AMELIA | {"upn": "N87340002500"}, "A UPN is 13 characters long"),
        (AMELIA | {"legal_forename": ""}, "legal_forename: empty"),
        (AMELIA | {"date_of_birth": "9 March 2014"}, "'9 March 2014' is not a date"),
        (AMELIA | {"sex": "X"}, "'X' is not a sex Harbour records"),
        (AMELIA | {"sen_status": "statement"}, "'statement' is not an SEN status"),
        (AMELIA | {"free_school_meals": "maybe"}, "'maybe' is not yes or no"),
        (AMELIA | {"nc_year": "15"}, "'15' is not a year group"),
        (AMELIA | {"status": "fostered", "status_start": "2024-01-01"}, "not a status Harbour"),
        (AMELIA | {"status": "in_care"}, "status_start: empty"),
        (AMELIA | {"status_start": "2024-01-01"}, "status: empty, but status_start is filled"),
        (
            AMELIA | {"status": "in_care", "status_start": "2024-01-01", "legal_basis": "s99"},
            "'s99' is not a legal basis",
        ),
        (
            AMELIA | {"status": "in_care", "status_start": "2024-01-01", "legal_basis": "sgo"},
            "Status: Special guardianship order does not fit in care",
        ),
        (
            AMELIA
            | {"status": "in_care", "status_start": "2024-06-01", "status_end": "2024-01-01"},
            "Status: The end date must be after the start date",
        ),
        (
            AMELIA
            | {
                "status": "in_care",
                "status_start": "2024-01-01",
                "responsible_authority_code": "87",
            },
            "'87' is not a local authority code",
        ),
        (AMELIA | {"legal_forename": "A" * 101}, "longer than 100 characters"),
        (
            AMELIA | {"admission_date": "2014-01-01"},
            "admission date must be after the date of birth",
        ),
    ],
)
def test_a_row_is_refused_with_a_reason_the_teacher_can_act_on(school, importer, row, expected):
    assert any(expected in reason for reason in reasons_for(school, importer, row))


def test_every_reason_of_a_row_is_given_not_only_the_first(school, importer):
    row = AMELIA | {"upn": "", "date_of_birth": "tomorrow", "sex": "?"}

    reasons = reasons_for(school, importer, row)

    assert len(reasons) == 3


def test_an_unknown_responsible_authority_is_named_with_where_to_add_it(school, importer):
    row = AMELIA | {
        "status": "in_care",
        "status_start": "2024-01-01",
        "responsible_authority_code": "999",
    }

    [reason] = reasons_for(school, importer, row)

    assert "local authority code 999 is not in Harbour's Virtual School directory" in reason
    assert "add that local authority's Virtual School" in reason


def test_a_upn_on_two_rows_refuses_both(school, importer):
    result = run(school, importer, csv_of(AMELIA, OLIVER, AMELIA), commit=False)

    assert [o.action for o in result.outcomes] == [REFUSED, CREATE, REFUSED]
    assert "also on Row 4" in result.outcomes[0].reasons[0]
    assert "also on Row 2" in result.outcomes[2].reasons[0]


def test_an_in_care_episode_overlapping_one_in_harbour_is_refused(school, importer):
    pupil = PupilFactory(
        school=school,
        upn=AMELIA["upn"],
        legal_forename="Amelia",
        legal_surname="Thornbury",
        date_of_birth=dt.date(2014, 3, 9),
        sex="F",
    )
    CareEpisodeFactory(pupil=pupil, start_date=dt.date(2023, 5, 1))
    row = AMELIA | {"status": "in_care", "status_start": "2024-01-01"}

    [reason] = reasons_for(school, importer, row)

    assert reason.startswith("Status: This overlaps the time in care from 1 May 2023")


def test_a_pupil_already_in_harbour_without_a_upn_is_not_added_twice(school, importer):
    PupilFactory(
        school=school,
        upn="",
        legal_forename="Amelia",
        legal_surname="Thornbury",
        date_of_birth=dt.date(2014, 3, 9),
    )

    [reason] = reasons_for(school, importer, AMELIA)

    assert "with no UPN. Add this UPN to their record first" in reason


def test_a_row_with_more_cells_than_columns_is_refused(school, importer):
    content = csv_of(AMELIA).rstrip("\n") + ",surplus\n"

    [outcome] = run(school, importer, content, commit=False).outcomes

    assert outcome.action == REFUSED
    assert "more cells than there are column names" in outcome.reasons[0]


# --- Files refused as a whole ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "The file is empty"),
        (b"\n\n  \n", "The file is empty"),
        ((HEADER + "\n").encode(), "no pupils in it"),
        ("upn,legal_forename\nN873400025001,Amélie\n".encode(), "missing the columns"),
        (
            (HEADER + ",upn\n").encode(),
            "The column upn appears more than once",
        ),
        ((HEADER + "\nN873400025001,Amélie\n").encode("latin-1"), "not saved as UTF-8"),
        (b"PK\x03\x04" + b"\x00" * 100, "looks like an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "contains binary data"),
        (HEADER.encode("utf-16"), "saved as UTF-16"),
        ((HEADER + '\n"' + "x" * 200_000 + '"\n').encode(), "Harbour cannot read this CSV"),
    ],
    ids=[
        "empty",
        "blank-lines",
        "header-only",
        "missing-columns",
        "repeated-column",
        "not-utf8",
        "xlsx",
        "binary",
        "utf16",
        "unreadable",
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_clear_message(content, expected):
    with pytest.raises(ImportFileError) as refused:
        read(content)
    assert expected in refused.value.message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    with pytest.raises(ImportFileError) as refused:
        read(b"x" * (MAX_FILE_BYTES + 1))
    assert "larger than 5 MB" in refused.value.message


def test_columns_not_in_the_template_are_named_and_ignored(school, importer):
    content = HEADER + ",tutor_group\n" + csv_of(AMELIA).splitlines()[1] + ",7B\n"

    upload = read(content)

    assert upload.notices == [
        "Harbour ignored these columns, which are not in its template: tutor_group"
    ]
    assert upload.rows[0].problems == []


def test_column_names_are_read_whatever_their_case_and_spacing(school, importer):
    header = HEADER.replace("legal_forename", "Legal Forename").replace("upn", "UPN")
    content = header + "\n" + csv_of(AMELIA).splitlines()[1] + "\n"

    [row] = read("\ufeff" + content).rows  # with the byte order mark Excel writes

    assert row.problems == []
    assert row.pupil["legal_forename"] == "Amelia"


def test_a_clash_in_the_database_refuses_the_row_instead_of_failing(school, importer, monkeypatch):
    from django.db import IntegrityError

    def clash(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr("pupils.imports.pupil_create", clash)

    result = run(school, importer, csv_of(AMELIA))

    [outcome] = result.outcomes
    assert outcome.action == REFUSED
    assert "clashes with a record saved at the same moment" in outcome.reasons[0]
    assert not result.committed
