"""Importing pupils from a DfE Common Transfer File: the hostile-XML defences, what is read
(DOMAIN.md 6.2) and how "in care" with no start date becomes a status episode."""

import datetime as dt
from pathlib import Path

import pytest

from accounts.roles import Role
from core.models import AuditEvent
from pupils.ctf import MAX_CTF_BYTES, CtfError, ctf_read
from pupils.imports import (
    CREATE,
    CTF,
    REFUSED,
    UNCHANGED,
    UPDATE,
    ImportFileError,
    import_file_read,
    pupils_import,
)
from pupils.models import CareEpisode, EpisodeKind, Pupil, SenStatus
from tests.conftest import member
from tests.factories import VirtualSchoolFactory
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 1, 15)
FILE_MADE = dt.date(2025, 9, 12)  # Header/DateTime of fixtures/ctf.xml


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def ctf(*pupils: str, header: str = "") -> bytes:
    header = header or (
        "<Header><CTFversion>25.0</CTFversion><DateTime>2025-09-12T10:15:00</DateTime>"
        "<SourceSchool><LEA>873</LEA><Estab>4999</Estab><AcademicYear>2025</AcademicYear>"
        "</SourceSchool></Header>"
    )
    body = "".join(f"<Pupil>{p}</Pupil>" for p in pupils)
    document = f"<CTfile>{header}<CTFpupilData>{body}</CTFpupilData></CTfile>"
    return ('<?xml version="1.0" encoding="utf-8"?>' + document).encode()


RUBY = (
    "<UPN>J873400025006</UPN><Surname>Achterberg</Surname><Forename>Ruby</Forename>"
    "<DOB>2014-02-14</DOB><Gender>F</Gender>"
)


def in_care(authority: str = "873") -> str:
    care = f"<InCare>true</InCare><CareAuthority>{authority}</CareAuthority>"
    return f"<LookedAfter>{care}</LookedAfter>"


# --- Hostile and unreadable files (no database needed) ----------------------------------------


@pytest.mark.parametrize(
    "name", ["billion-laughs.xml", "external-entity.xml", "doctype.xml"], ids=lambda n: n[:-4]
)
def test_xml_with_a_document_type_declaration_is_refused_before_anything_is_expanded(name):
    with pytest.raises(CtfError) as refused:
        ctf_read(fixture(name))
    assert "contains a document type declaration" in refused.value.message
    assert "Export the file from your management information system again" in refused.value.message


def test_an_external_entity_never_reads_the_servers_files():
    with pytest.raises(ImportFileError) as refused:
        import_file_read(name="ctf.xml", data=fixture("external-entity.xml"), today=TODAY)
    assert "root:" not in refused.value.message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "The file is empty"),
        (b"<CTfile><Header>", "broken at line 1"),
        (fixture("not-a-ctf.xml"), "not a Common Transfer File: it starts with <rss>"),
        (b"<CTfile><Header/></CTfile>", "has no pupils in it"),
        (b"<CTfile><CTFpupilData/></CTfile>", "has no pupils in it"),
        (b'<?xml version="1.0" encoding="klingon"?><CTfile/>', "not a readable XML file"),
    ],
    ids=["empty", "not-well-formed", "not-a-ctf", "no-pupil-data", "no-pupils", "bad-encoding"],
)
def test_a_file_that_is_not_a_readable_ctf_is_refused_with_a_clear_message(data, expected):
    with pytest.raises(CtfError) as refused:
        ctf_read(data)
    assert expected in refused.value.message


def test_a_file_over_the_size_limit_is_refused_before_parsing():
    with pytest.raises(CtfError) as refused:
        ctf_read(b"<CTfile>" + b" " * MAX_CTF_BYTES + b"</CTfile>")
    assert "larger than 5 MB" in refused.value.message


def test_the_header_and_each_pupils_details_are_read():
    read = ctf_read(fixture("ctf.xml"))

    assert read.header.version == "25.0"
    assert read.header.created == FILE_MADE
    assert read.header.academic_year == 2025
    assert read.header.source_school == "Marshfield Primary School"
    ruby, samuel, isla = read.pupils
    assert (ruby.upn, ruby.forename, ruby.surname, ruby.dob, ruby.sex) == (
        "J873400025006",
        "Ruby",
        "Achterberg",
        "2014-02-14",
        "F",
    )
    assert (ruby.middle_names, ruby.nc_year_actual) == ("Grace", "7")
    assert (ruby.in_care, ruby.care_authority, ruby.sen_provision) == ("true", "873", "K")
    assert samuel.sex == "M"  # from <Sex>, where Ruby's file says <Gender>
    assert samuel.preferred_forename == "Sam"
    assert samuel.sen_provision == "E"  # the latest SEN record
    assert (isla.in_care, isla.sen_provision) == ("", "")


def test_a_ctf_with_a_namespace_is_read_the_same():
    data = ctf(RUBY).replace(b"<CTfile>", b'<CTfile xmlns="urn:example:ctf">')

    assert ctf_read(data).pupils[0].upn == "J873400025006"


def test_a_file_named_csv_that_holds_xml_is_read_as_a_ctf():
    upload = import_file_read(name="export.csv", data=fixture("ctf.xml"), today=TODAY)

    assert upload.kind == CTF
    assert upload.notices == [
        "Common Transfer File version 25.0 from Marshfield Primary School (873/4999), made on "
        "12 September 2025."
    ]


# --- Importing -------------------------------------------------------------------------------


@pytest.fixture
def importer(school):
    return member(school, Role.DESIGNATED_TEACHER)


@pytest.fixture
def cambridgeshire(db):
    return VirtualSchoolFactory(la_code="873", local_authority_name="Cambridgeshire")


def run(school, by, data: bytes, *, commit=True):
    upload = import_file_read(name="ctf.xml", data=data, today=TODAY)
    return pupils_import(school=school, by=by, upload=upload, today=TODAY, commit=commit)


@pytest.mark.django_db
def test_the_sample_ctf_creates_its_pupils(school, importer, cambridgeshire):
    result = run(school, importer, fixture("ctf.xml"))

    assert result.committed
    assert [o.action for o in result.outcomes] == [CREATE, CREATE, CREATE]
    ruby = Pupil.objects.get(school=school, upn="J873400025006")
    assert (ruby.legal_name, ruby.sex, ruby.sen_status) == (
        "Ruby Grace Achterberg",
        "F",
        SenStatus.SEN_SUPPORT,
    )
    assert ruby.nc_year_offset == 0
    samuel = Pupil.objects.get(upn="Y873400025007")
    assert (samuel.display_name, samuel.sex, samuel.sen_status) == (
        "Sam Osei",
        "M",
        SenStatus.EHC_PLAN,
    )
    assert AuditEvent.objects.get(action="pupils.imported").changes["format"] == "ctf"


@pytest.mark.django_db
def test_in_care_with_no_start_date_starts_on_the_day_the_file_was_made_for_a_new_pupil(
    school, importer, cambridgeshire
):
    preview = run(school, importer, fixture("ctf.xml"), commit=False)
    note = preview.outcomes[0].notes[0]
    assert "the time in care will start on 12 September 2025, the day the file was made" in note
    assert "The legal basis is not in the file" in note

    run(school, importer, fixture("ctf.xml"))

    episode = CareEpisode.objects.get(pupil__upn="J873400025006")
    assert (episode.kind, episode.start_date, episode.end_date, episode.legal_basis) == (
        EpisodeKind.IN_CARE,
        FILE_MADE,
        None,
        "",
    )
    assert episode.responsible_authority == cambridgeshire
    assert "Common Transfer File" in episode.notes
    # A guess, marked as one: no PEP reminder counts from it until a person confirms it.
    assert episode.start_date_confirmed is False


@pytest.mark.django_db
def test_in_care_with_no_start_date_starts_on_the_admission_date_when_harbour_has_one(
    school, importer, cambridgeshire
):
    pupil = PupilFactory(
        school=school,
        upn="J873400025006",
        legal_forename="Ruby",
        legal_surname="Achterberg",
        date_of_birth=dt.date(2014, 2, 14),
        sex="F",
        admission_date=dt.date(2023, 9, 5),
    )

    result = run(school, importer, ctf(RUBY + in_care()))

    [outcome] = result.outcomes
    assert outcome.action == UPDATE
    assert [c.new for c in outcome.changes] == [
        "In care from 5 September 2023 (not confirmed), Cambridgeshire"
    ]
    assert "start on 5 September 2023, the admission date" in outcome.notes[0]
    episode = pupil.care_episodes.get()
    assert episode.start_date == dt.date(2023, 9, 5)
    assert not episode.start_date_confirmed


@pytest.mark.django_db
def test_importing_the_same_ctf_again_changes_nothing(school, importer, cambridgeshire):
    run(school, importer, fixture("ctf.xml"))
    events = AuditEvent.objects.count()

    again = run(school, importer, fixture("ctf.xml"))

    assert [o.action for o in again.outcomes] == [UNCHANGED] * 3
    assert not again.committed
    assert AuditEvent.objects.count() == events
    assert CareEpisode.objects.count() == 1


@pytest.mark.django_db
def test_a_child_already_in_care_in_harbour_keeps_that_episode(school, importer, cambridgeshire):
    pupil = PupilFactory(
        school=school,
        upn="J873400025006",
        legal_forename="Ruby",
        legal_surname="Achterberg",
        date_of_birth=dt.date(2014, 2, 14),
        sex="F",
    )
    episode = CareEpisodeFactory(
        pupil=pupil, start_date=dt.date(2021, 3, 1), legal_basis="s31", responsible_authority=None
    )

    result = run(school, importer, ctf(RUBY + in_care()))

    [outcome] = result.outcomes
    assert outcome.action == UPDATE  # the responsible authority was missing: filled in
    episode.refresh_from_db()
    assert (episode.start_date, episode.legal_basis) == (dt.date(2021, 3, 1), "s31")
    assert episode.responsible_authority == cambridgeshire
    assert CareEpisode.objects.count() == 1


@pytest.mark.django_db
def test_another_authority_in_the_file_is_noted_not_changed(school, importer, cambridgeshire):
    norfolk = VirtualSchoolFactory(la_code="926", local_authority_name="Norfolk")
    pupil = PupilFactory(
        school=school,
        upn="J873400025006",
        legal_forename="Ruby",
        legal_surname="Achterberg",
        date_of_birth=dt.date(2014, 2, 14),
        sex="F",
    )
    CareEpisodeFactory(pupil=pupil, responsible_authority=cambridgeshire)

    [outcome] = run(school, importer, ctf(RUBY + in_care("926")), commit=False).outcomes

    assert outcome.action == UNCHANGED
    assert (
        "The file says Norfolk looks after the child; Harbour records Cambridgeshire"
        in (outcome.disagreements[0])
    )
    assert norfolk.care_episodes.count() == 0


@pytest.mark.django_db
def test_a_pupil_not_in_care_is_imported_without_a_status(school, importer):
    not_in_care = "<LookedAfter><InCare>false</InCare></LookedAfter>"

    result = run(school, importer, ctf(RUBY + not_in_care))

    assert [o.action for o in result.outcomes] == [CREATE]
    assert Pupil.objects.get(upn="J873400025006").care_episodes.count() == 0


@pytest.mark.django_db
def test_a_file_saying_not_in_care_does_not_end_harbours_episode_but_says_so(school, importer):
    pupil = PupilFactory(
        school=school,
        upn="J873400025006",
        legal_forename="Ruby",
        legal_surname="Achterberg",
        date_of_birth=dt.date(2014, 2, 14),
        sex="F",
    )
    CareEpisodeFactory(pupil=pupil, start_date=dt.date(2022, 1, 10))
    not_in_care = "<LookedAfter><InCare>false</InCare></LookedAfter>"

    [outcome] = run(school, importer, ctf(RUBY + not_in_care), commit=False).outcomes

    assert outcome.action == UNCHANGED
    assert "Harbour records them in care since 10 January 2022" in outcome.disagreements[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "ended",
    [
        dt.date(2025, 10, 31),  # after the file was made (12 September 2025), before today
        dt.date(2025, 6, 30),  # before the file was made
    ],
)
def test_in_care_in_the_file_where_harbours_care_has_ended_is_a_disagreement(
    school, importer, cambridgeshire, ended
):
    pupil = PupilFactory(
        school=school,
        upn="J873400025006",
        legal_forename="Ruby",
        legal_surname="Achterberg",
        date_of_birth=dt.date(2014, 2, 14),
        sex="F",
    )
    CareEpisodeFactory(
        pupil=pupil,
        start_date=dt.date(2022, 1, 10),
        end_date=ended,
        responsible_authority=cambridgeshire,
    )

    preview = run(school, importer, ctf(RUBY + in_care()), commit=False)

    [outcome] = preview.outcomes
    assert outcome.action == UNCHANGED
    assert outcome.disagreements == [
        "The file says the child is in care, but Harbour records that their time in care "
        f"ended on {ended.day} {ended:%B %Y}. Harbour has not changed that: if the child is in "
        "care again, add the new time in care on the child's page."
    ]
    assert preview.counts()["disagree"] == 1
    assert "1 disagree with Harbour" in preview.summary()
    run(school, importer, ctf(RUBY + in_care()))
    assert pupil.care_episodes.count() == 1


@pytest.mark.django_db
def test_an_unknown_care_authority_refuses_the_row_naming_the_code(school, importer):
    [outcome] = run(school, importer, ctf(RUBY + in_care("999")), commit=False).outcomes

    assert outcome.action == REFUSED
    assert (
        "The local authority code 999 is not in Harbour's Virtual School directory"
        in (outcome.reasons[0])
    )
    assert "add that local authority's Virtual School" in outcome.reasons[0]


@pytest.mark.django_db
def test_an_unknown_care_authority_saves_nothing_from_the_whole_file(school, importer):
    other = (
        "<UPN>Y873400025007</UPN><Surname>Osei</Surname><Forename>Samuel</Forename>"
        "<DOB>2015-06-02</DOB><Sex>M</Sex>"
    )

    result = run(school, importer, ctf(other, RUBY + in_care("999")))

    assert [o.action for o in result.outcomes] == [CREATE, REFUSED]
    assert not Pupil.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("pupil", "expected"),
    [
        (RUBY.replace("J873400025006", "J873400025007"), "check letter does not match"),
        (RUBY.replace("<UPN>J873400025006</UPN>", ""), "UPN: empty"),
        (RUBY.replace("2014-02-14", "14th Feb"), "DOB: '14th Feb' is not a date"),
        (RUBY.replace("<Gender>F</Gender>", "<Gender>Q</Gender>"), "Sex/Gender: 'Q'"),
        (
            RUBY + "<SENhistory><SEN><SENprovision>S</SENprovision></SEN></SENhistory>",
            "'S' is not an SEN status",
        ),
        (RUBY + "<LookedAfter><InCare>perhaps</InCare></LookedAfter>", "InCare: 'perhaps'"),
        (RUBY + in_care("Cambs"), "CareAuthority: 'Cambs' is not a local authority code"),
    ],
    ids=["upn", "no-upn", "dob", "sex", "sen", "in-care", "authority"],
)
def test_a_pupil_with_a_bad_value_is_refused_naming_the_element(school, importer, pupil, expected):
    [outcome] = run(school, importer, ctf(pupil), commit=False).outcomes

    assert outcome.action == REFUSED
    assert any(expected in reason for reason in outcome.reasons), outcome.reasons


@pytest.mark.django_db
def test_a_year_group_from_last_school_year_is_read_for_this_one(school, importer):
    # A file of 2024 to 2025 says Year 6 (her age group then); in 2025 to 2026 she is in Year 7.
    header = (
        "<Header><DateTime>2025-07-18T09:00:00</DateTime><SourceSchool>"
        "<AcademicYear>2024</AcademicYear></SourceSchool></Header>"
    )
    pupil = RUBY + "<BasicDetails><NCyearActual>6</NCyearActual></BasicDetails>"

    [outcome] = run(school, importer, ctf(pupil, header=header)).outcomes

    assert ("Year group", "", "Year 7") in {(c.label, c.old, c.new) for c in outcome.changes}
    assert Pupil.objects.get(upn="J873400025006").nc_year_offset == 0


@pytest.mark.django_db
def test_in_care_in_a_file_with_no_date_starts_today_and_says_why(school, importer, cambridgeshire):
    header = "<Header><CTFversion>25.0</CTFversion></Header>"

    [outcome] = run(school, importer, ctf(RUBY + in_care(), header=header)).outcomes

    assert (
        "will start on 15 January 2026, today, as the file does not say when" in (outcome.notes[0])
    )
    assert CareEpisode.objects.get().start_date == TODAY
