"""PEP compliance for a term (peps.selectors.pep_compliance): children in care, PEPs on time,
late and missing, with the children behind each number."""

from peps.selectors import pep_compliance
from tests.peps.conftest import D
from tests.peps.factories import CompletedPepFactory, SdqFactory
from tests.pupil_factories import CareEpisodeFactory, PupilFactory

LONG_AGO = D(2022, 1, 10)


def in_care(school, name, since=LONG_AGO, **episode):
    pupil = PupilFactory(school=school, legal_forename=name, date_of_birth=D(2014, 1, 1))
    CareEpisodeFactory(pupil=pupil, start_date=since, **episode)
    return pupil


def names(rows):
    return sorted(row.pupil.legal_forename for row in rows)


def test_a_past_term_splits_children_into_on_time_late_and_missing(school, autumn, year):
    on_time = in_care(school, "Ontime")
    late = in_care(school, "Late")
    in_care(school, "Missing")
    in_care(school, "Leftcare", since=D(2022, 1, 10), end_date=D(2026, 11, 1))
    PupilFactory(school=school, legal_forename="Notincare")
    CompletedPepFactory(pupil=on_time, term=autumn, meeting_date=D(2026, 12, 18))
    CompletedPepFactory(pupil=late, term=autumn, meeting_date=D(2027, 1, 6))

    report = pep_compliance(school, autumn, today=D(2027, 1, 20))

    assert report.children_in_care == 3
    assert names(report.on_time) == ["Ontime"]
    assert names(report.late) == ["Late"]
    assert names(report.missing) == ["Missing"]
    assert report.not_yet_due == []
    assert report.completed == 2
    assert report.on_time[0].pep_id is not None
    assert report.missing[0].status.school_days_overdue == 12  # 5 to 20 Jan


def test_the_current_term_counts_peps_not_yet_held_apart_from_missing(school, spring, year):
    in_care(school, "Waiting")
    report = pep_compliance(school, spring, today=D(2027, 1, 20))
    assert names(report.not_yet_due) == ["Waiting"]
    assert report.missing == []


def test_a_child_whose_first_pep_falls_next_term_is_not_counted_this_term(
    school, autumn, spring, year
):
    in_care(school, "Newcomer", since=D(2026, 12, 7))
    assert pep_compliance(school, autumn, today=D(2027, 1, 12)).children_in_care == 0
    spring_report = pep_compliance(school, spring, today=D(2027, 1, 12))
    assert names(spring_report.not_yet_due) == ["Newcomer"]
    assert spring_report.not_yet_due[0].status.first_pep is True
    # 8 to 18 Dec (9 school days), 5 to 15 Jan (9), 18 and 19 Jan.
    assert spring_report.not_yet_due[0].status.deadline == D(2027, 1, 19)


def test_another_schools_children_are_not_counted(school, other_school, autumn, year):
    in_care(other_school, "Elsewhere")
    assert pep_compliance(school, autumn, today=D(2026, 10, 1)).children_in_care == 0


def test_children_in_care_without_a_carer_sdq_in_12_months_are_listed(school, autumn, year):
    recent = in_care(school, "Recent")
    in_care(school, "Never")
    teacher_only = in_care(school, "Teacheronly")
    SdqFactory(pupil=recent, taken_on=D(2026, 3, 1), informant="carer")
    SdqFactory(pupil=teacher_only, taken_on=D(2026, 3, 1), informant="teacher")
    report = pep_compliance(school, autumn, today=D(2026, 10, 1))
    assert sorted(p.legal_forename for p in report.needing_carer_sdq) == ["Never", "Teacheronly"]


def test_children_outside_the_sdq_ages_are_not_flagged(school, autumn, year):
    toddler = PupilFactory(school=school, date_of_birth=D(2024, 1, 1))
    CareEpisodeFactory(pupil=toddler, start_date=D(2024, 6, 1))
    seventeen = PupilFactory(school=school, date_of_birth=D(2009, 5, 1))
    CareEpisodeFactory(pupil=seventeen, start_date=D(2020, 6, 1))
    assert pep_compliance(school, autumn, today=D(2026, 10, 1)).needing_carer_sdq == []


def test_a_missed_first_pep_stays_missing_after_the_child_leaves_care(school, autumn, year):
    # Into care Mon 7 Sep 2026: the first PEP was due by Mon 5 Oct (20 school days; the term
    # starts Thu 3 Sep). Never held; the child went home on 1 Dec, before the end of term.
    in_care(school, "Wenthome", since=D(2026, 9, 7), end_date=D(2026, 12, 1))
    report = pep_compliance(school, autumn, today=D(2027, 1, 20))
    assert names(report.missing) == ["Wenthome"]
    assert report.missing[0].status.first_pep


def test_compliance_names_the_term_dates_missing_instead_of_failing(school, summer):
    # Only 2026 to 2027 is entered (the ``summer`` fixture's ``year`` adds 2027 to 2028 too:
    # remove it). A child who came into care near the end of the summer term has a first-PEP
    # deadline in 2027 to 2028.
    school.academic_years.filter(start_year=2027).delete()
    in_care(school, "Known")
    in_care(school, "Late", since=D(2027, 7, 12))
    report = pep_compliance(school, summer, today=D(2027, 7, 14))
    assert names(report.not_yet_due) == ["Known"]
    assert [
        (year, [p.legal_forename for p in pupils])
        for year, pupils in report.term_dates_missing.items()
    ] == [(2027, ["Late"])]


def test_a_child_turning_18_mid_term_needs_no_pep_that_term_and_an_open_episode_is_flagged(
    school, autumn, spring, year
):
    # 18 on Wed 10 Feb 2027: autumn's PEP was needed, spring's (due 25 Mar) is not. The care
    # episode was never closed.
    adult = PupilFactory(school=school, legal_forename="Adult", date_of_birth=D(2009, 2, 10))
    CareEpisodeFactory(pupil=adult, start_date=LONG_AGO)
    assert names(pep_compliance(school, autumn, today=D(2027, 1, 20)).missing) == ["Adult"]
    report = pep_compliance(school, spring, today=D(2027, 3, 1))
    assert report.children_in_care == 0
    assert [p.legal_forename for p in report.care_open_past_18] == ["Adult"]
    assert pep_compliance(school, spring, today=D(2027, 2, 9)).care_open_past_18 == []
