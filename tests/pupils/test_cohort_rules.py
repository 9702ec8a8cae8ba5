"""Cohort groups and national curriculum years, at their boundaries, with injected dates.

The 6-year rule: a plan that ended on day E keeps the child in the CWSW group until the day
before E's sixth anniversary; they leave the cohort on the anniversary (pupils.cohort).

"In force on a day" and "on roll on a day" are each written once, in ``pupils.periods``, in SQL
and in Python: the tests at the end hold the two to each other at every boundary, and fail if
either rule is written out again anywhere else.
"""

import ast
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from pupils import periods
from pupils.cohort import (
    CohortGroup,
    add_years,
    cohort_status,
    cwsw_earliest_end,
    cwsw_window_start,
    in_force,
    nc_year_for,
    nc_year_for_age,
    nc_year_label,
)
from pupils.models import CareEpisode, Contact, Pupil
from pupils.models import EpisodeKind as K
from pupils.selectors import leaves_cohort_on, pupils_for_cohort
from tests.pupil_factories import CareEpisodeFactory, ContactFactory, PupilFactory

D = dt.date


@dataclass
class Ep:
    kind: str
    start_date: dt.date
    end_date: dt.date | None = None


def group(episodes, on):
    return cohort_status(episodes, on).group


# --- National curriculum year -------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "academic_year", "expected"),
    [
        (D(2018, 9, 1), 2023, 0),  # oldest in the Reception class of 2023
        (D(2019, 8, 31), 2023, 0),  # youngest in the same class
        (D(2019, 9, 1), 2023, -1),  # one day younger: Nursery
        (D(2018, 8, 31), 2023, 1),  # one day older: Year 1
        (D(2012, 5, 31), 2025, 9),  # 13 on 31 August 2025
        (D(2008, 12, 25), 2025, 12),
        (D(2007, 1, 1), 2024, 13),
    ],
)
def test_nc_year_follows_the_september_to_august_cohort(born, academic_year, expected):
    assert nc_year_for_age(born, academic_year) == expected


def test_nc_year_moves_up_on_1_september_not_1_january():
    born = D(2015, 10, 3)
    assert nc_year_for(born, 0, D(2026, 8, 31)) == 5
    assert nc_year_for(born, 0, D(2026, 9, 1)) == 6
    assert nc_year_for(born, 0, D(2027, 1, 1)) == 6


def test_an_override_is_kept_as_an_offset_so_it_rolls_over():
    born = D(2015, 10, 3)
    assert nc_year_for(born, -1, D(2025, 10, 1)) == 4
    assert nc_year_for(born, -1, D(2026, 10, 1)) == 5


def test_nc_year_labels():
    assert [nc_year_label(n) for n in (-1, 0, 1, 13)] == [
        "Nursery",
        "Reception",
        "Year 1",
        "Year 13",
    ]


# --- The groups -----------------------------------------------------------------------------


def test_child_in_care_on_the_first_day_and_not_on_the_day_it_ended():
    care = Ep(K.IN_CARE, D(2024, 3, 1), D(2025, 3, 14))
    assert group([care], D(2024, 2, 29)) == CohortGroup.NONE
    assert group([care], D(2024, 3, 1)) == CohortGroup.CIC
    assert group([care], D(2025, 3, 13)) == CohortGroup.CIC
    # A looked-after child had a social worker: after care they are CWSW for 6 years.
    assert group([care], D(2025, 3, 14)) == CohortGroup.CWSW


def test_in_care_beats_previously_in_care_beats_a_plan():
    episodes = [
        Ep(K.CHILD_PROTECTION_PLAN, D(2020, 1, 1)),
        Ep(K.PREVIOUSLY_IN_CARE, D(2021, 1, 1)),
        Ep(K.IN_CARE, D(2023, 1, 1), D(2024, 1, 1)),
    ]
    assert group(episodes, D(2020, 6, 1)) == CohortGroup.CWSW
    assert group(episodes, D(2021, 6, 1)) == CohortGroup.CPIC
    assert group(episodes, D(2023, 6, 1)) == CohortGroup.CIC
    assert group(episodes, D(2024, 6, 1)) == CohortGroup.CPIC


def test_kinship_care_is_a_group_of_its_own_after_cic_cpic_and_cwsw():
    kinship = Ep(K.KINSHIP_CARE, D(2022, 1, 1), D(2024, 1, 1))
    alone = cohort_status([kinship], D(2023, 1, 1))
    assert (alone.group, alone.kinship_care, alone.in_cohort) == (CohortGroup.KINSHIP, True, True)
    assert alone.label == "Child in kinship care"
    # Kinship care counts while it lasts: no 6 years after it ends.
    assert group([kinship], D(2024, 1, 1)) == CohortGroup.NONE
    both = cohort_status([kinship, Ep(K.IN_CARE, D(2022, 1, 1))], D(2023, 1, 1))
    assert (both.group, both.kinship_care) == (CohortGroup.CIC, True)
    plan = Ep(K.CHILD_IN_NEED_PLAN, D(2021, 1, 1))
    assert group([kinship, plan], D(2023, 1, 1)) == CohortGroup.CWSW
    sgo = Ep(K.PREVIOUSLY_IN_CARE, D(2022, 6, 1))
    assert group([kinship, sgo], D(2023, 1, 1)) == CohortGroup.CPIC


def test_an_episode_that_has_not_started_does_not_count():
    future = Ep(K.IN_CARE, D(2026, 1, 1))
    assert cohort_status([future], D(2025, 12, 31)).group == CohortGroup.NONE


def test_six_years_run_out_on_the_anniversary_of_the_plan_ending():
    plan = Ep(K.CHILD_IN_NEED_PLAN, D(2018, 5, 1), D(2020, 3, 10))
    last_day = cohort_status([plan], D(2026, 3, 9))
    assert last_day.group == CohortGroup.CWSW
    assert last_day.leaves_cohort_on == D(2026, 3, 10)
    assert group([plan], D(2026, 3, 10)) == CohortGroup.NONE


def test_a_plan_ending_on_29_february_keeps_the_child_until_28_february():
    plan = Ep(K.CHILD_PROTECTION_PLAN, D(2019, 1, 1), D(2020, 2, 29))
    assert cohort_status([plan], D(2026, 2, 28)).leaves_cohort_on == D(2026, 3, 1)
    assert group([plan], D(2026, 2, 28)) == CohortGroup.CWSW
    assert group([plan], D(2026, 3, 1)) == CohortGroup.NONE


def test_five_years_eleven_months_after_is_in_six_years_one_month_after_is_out():
    today = D(2026, 11, 23)
    still_in = Ep(K.CHILD_IN_NEED_PLAN, D(2019, 1, 1), D(2020, 12, 23))
    run_out = Ep(K.CHILD_IN_NEED_PLAN, D(2019, 1, 1), D(2020, 10, 23))
    assert group([still_in], today) == CohortGroup.CWSW
    assert group([run_out], today) == CohortGroup.NONE


def test_the_last_plan_to_end_sets_the_date_and_an_open_plan_has_none():
    older = Ep(K.CHILD_PROTECTION_PLAN, D(2015, 1, 1), D(2016, 1, 1))
    later = Ep(K.CHILD_IN_NEED_PLAN, D(2016, 1, 1), D(2021, 7, 20))
    assert cohort_status([older, later], D(2024, 1, 1)).leaves_cohort_on == D(2027, 7, 20)
    open_plan = Ep(K.CHILD_IN_NEED_PLAN, D(2023, 1, 1))
    status = cohort_status([older, later, open_plan], D(2024, 1, 1))
    assert (status.group, status.leaves_cohort_on) == (CohortGroup.CWSW, None)


def test_add_years_turns_29_february_into_1_march():
    assert add_years(D(2020, 2, 29), 6) == D(2026, 3, 1)
    assert add_years(D(2020, 2, 29), 4) == D(2024, 2, 29)
    assert add_years(D(2020, 3, 10), 6) == D(2026, 3, 10)


def test_earliest_end_agrees_with_the_rule_for_every_day_of_eight_years():
    # The SQL filter uses cwsw_earliest_end; the rule is add_years(end, 6) > today.
    day = D(2026, 1, 1)
    while day < D(2034, 1, 1):
        earliest = cwsw_earliest_end(day)
        assert add_years(earliest, 6) > day
        assert add_years(earliest - dt.timedelta(days=1), 6) <= day
        day += dt.timedelta(days=1)


# --- The same answers in SQL -----------------------------------------------------------------

BOUNDARY_CASES = [
    # (episodes as (kind, start, end), the day, expected group)
    ([(K.IN_CARE, D(2024, 3, 1), D(2025, 3, 14))], D(2025, 3, 13), "cic"),
    ([(K.IN_CARE, D(2024, 3, 1), D(2025, 3, 14))], D(2025, 3, 14), "cwsw"),
    ([(K.CHILD_IN_NEED_PLAN, D(2018, 5, 1), D(2020, 3, 10))], D(2026, 3, 9), "cwsw"),
    ([(K.CHILD_IN_NEED_PLAN, D(2018, 5, 1), D(2020, 3, 10))], D(2026, 3, 10), "none"),
    ([(K.CHILD_PROTECTION_PLAN, D(2019, 1, 1), D(2020, 2, 29))], D(2026, 2, 28), "cwsw"),
    ([(K.CHILD_PROTECTION_PLAN, D(2019, 1, 1), D(2020, 2, 29))], D(2026, 3, 1), "none"),
    (
        [(K.PREVIOUSLY_IN_CARE, D(2021, 1, 1), None), (K.CHILD_IN_NEED_PLAN, D(2020, 1, 1), None)],
        D(2022, 1, 1),
        "cpic",
    ),
    ([(K.KINSHIP_CARE, D(2021, 1, 1), None)], D(2022, 1, 1), "kinship"),
    ([(K.KINSHIP_CARE, D(2021, 1, 1), D(2022, 1, 1))], D(2021, 12, 31), "kinship"),
    ([(K.KINSHIP_CARE, D(2021, 1, 1), D(2022, 1, 1))], D(2022, 1, 1), "none"),
    ([(K.KINSHIP_CARE, D(2021, 1, 1), None)], D(2020, 12, 31), "none"),
    (
        [
            (K.KINSHIP_CARE, D(2021, 1, 1), None),
            (K.CHILD_IN_NEED_PLAN, D(2019, 1, 1), D(2020, 1, 1)),
        ],
        D(2022, 1, 1),
        "cwsw",
    ),
    ([(K.IN_CARE, D(2026, 1, 1), None)], D(2025, 12, 31), "none"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("episodes", "day", "expected"), BOUNDARY_CASES)
def test_the_list_query_gives_the_same_group_as_the_rule(school, episodes, day, expected):
    pupil = PupilFactory(school=school, date_of_birth=D(2012, 1, 1))
    for kind, start, end in episodes:
        CareEpisodeFactory(pupil=pupil, kind=kind, start_date=start, end_date=end)
    annotated = pupils_for_cohort(school, today=day).get(pk=pupil.pk)
    status = cohort_status(list(pupil.care_episodes.all()), day)
    assert annotated.cohort_group == status.group == expected
    assert leaves_cohort_on(annotated) == status.leaves_cohort_on


@pytest.mark.django_db
def test_the_list_query_names_the_authority_of_the_deciding_episode(school):
    from tests.factories import VirtualSchoolFactory

    herts, halton = VirtualSchoolFactory(la_code="919"), VirtualSchoolFactory(la_code="876")
    pupil = PupilFactory(school=school, date_of_birth=D(2012, 1, 1))
    CareEpisodeFactory(
        pupil=pupil,
        kind=K.CHILD_IN_NEED_PLAN,
        start_date=D(2018, 1, 1),
        end_date=D(2020, 1, 1),
        responsible_authority=halton,
    )
    CareEpisodeFactory(
        pupil=pupil,
        kind=K.IN_CARE,
        start_date=D(2020, 1, 1),
        end_date=D(2023, 1, 1),
        responsible_authority=herts,
    )
    for day, expected in ((D(2019, 1, 1), halton), (D(2022, 1, 1), herts), (D(2024, 1, 1), herts)):
        annotated = pupils_for_cohort(school, today=day).get(pk=pupil.pk)
        status = cohort_status(list(pupil.care_episodes.all()), day)
        assert annotated.authority_id == expected.pk
        assert status.episode.responsible_authority == expected


@pytest.mark.django_db
def test_the_list_query_computes_the_nc_year_with_its_offset(school):
    pupil = PupilFactory(school=school, date_of_birth=D(2015, 10, 3), nc_year_offset=-1)
    for day, expected in ((D(2026, 8, 31), 4), (D(2026, 9, 1), 5)):
        assert pupils_for_cohort(school, today=day).get(pk=pupil.pk).nc_year == expected
        assert nc_year_for(pupil.date_of_birth, -1, day) == expected


def test_the_six_year_window_starts_the_day_before_the_earliest_end():
    # A plan in force on the window's first day ended on cwsw_earliest_end or later.
    for today in (D(2026, 3, 10), D(2028, 2, 29), D(2027, 3, 1)):
        start = cwsw_window_start(today)
        assert periods.in_force_on(D(2000, 1, 1), cwsw_earliest_end(today), start)
        assert not periods.in_force_on(D(2000, 1, 1), start, start)


# --- In force on a day: one rule, in SQL and in Python ----------------------------------------

START, END = D(2024, 3, 1), D(2025, 3, 14)
IN_FORCE_CASES = [
    # (start, end, day, in force, ended by the day)
    (START, END, D(2024, 2, 29), False, False),  # the day before it starts
    (START, END, START, True, False),  # its first day
    (START, END, D(2025, 3, 13), True, False),  # the day before the end date
    (START, END, END, False, True),  # the end date is the day it ended
    (START, END, D(2025, 3, 15), False, True),  # the day after
    (START, None, D(2040, 1, 1), True, False),  # open-ended
    (D(2026, 1, 2), None, D(2026, 1, 1), False, False),  # starts tomorrow
    (D(2026, 1, 2), D(2026, 1, 3), D(2026, 1, 1), False, False),  # starts and ends later
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end", "day", "expected", "ended"), IN_FORCE_CASES)
def test_in_force_on_a_day_is_the_same_in_sql_and_in_python(
    school, start, end, day, expected, ended
):
    pupil = PupilFactory(school=school, date_of_birth=D(2012, 1, 1))
    episode = CareEpisodeFactory(
        pupil=pupil, kind=K.CHILD_IN_NEED_PLAN, start_date=start, end_date=end
    )
    contact = ContactFactory(pupil=pupil, start_date=start, end_date=end)
    in_sql = CareEpisode.objects.in_force_on(day).filter(pk=episode.pk).exists()
    contact_in_sql = Contact.objects.in_force_on(day).filter(pk=contact.pk).exists()
    through_pupil = Pupil.objects.filter(periods.in_force_on_q(day, "care_episodes__")).exists()
    assert in_sql == contact_in_sql == through_pupil == expected
    assert (
        episode.in_force_on(day) == contact.in_force_on(day) == in_force(episode, day) == expected
    )
    assert CareEpisode.objects.filter(periods.ended_by_q(day), pk=episode.pk).exists() == ended
    assert episode.ended_by(day) == ended


WINDOW_CASES = [
    # (first, last, in force on some day of the window) for an episode START to END
    (D(2024, 1, 1), D(2024, 2, 29), False),  # the window ends the day before it starts
    (D(2024, 1, 1), START, True),  # the window ends on its first day
    (D(2025, 3, 13), D(2026, 1, 1), True),  # the window starts on its last day in force
    (END, D(2026, 1, 1), False),  # the window starts on the day it ended
    (D(2024, 6, 1), D(2024, 6, 1), True),  # a window of one day inside it
]


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "last", "expected"), WINDOW_CASES)
def test_in_force_during_a_window_is_the_same_in_sql_and_in_python(school, first, last, expected):
    episode = CareEpisodeFactory(
        pupil=PupilFactory(school=school, date_of_birth=D(2012, 1, 1)),
        start_date=START,
        end_date=END,
    )
    in_sql = CareEpisode.objects.in_force_during(first, last).filter(pk=episode.pk).exists()
    assert in_sql == episode.in_force_during(first, last) == expected


# --- On roll on a day --------------------------------------------------------------------------

ADMITTED, LAST_DAY = D(2025, 9, 3), D(2026, 11, 20)
ON_ROLL_CASES = [
    # (admission date, leaving date (the last day on roll), day, on roll, has left)
    (ADMITTED, LAST_DAY, D(2025, 9, 2), False, False),  # the day before admission
    (ADMITTED, LAST_DAY, ADMITTED, True, False),  # admission day
    (ADMITTED, LAST_DAY, LAST_DAY, True, False),  # the last day on roll
    (ADMITTED, LAST_DAY, D(2026, 11, 21), False, True),  # the day after it
    (None, LAST_DAY, D(2001, 1, 1), True, False),  # admission date not recorded
    (ADMITTED, None, D(2040, 1, 1), True, False),  # not left
    (D(2026, 1, 2), None, D(2026, 1, 1), False, False),  # joins tomorrow
]


@pytest.mark.django_db
@pytest.mark.parametrize(("admitted", "leaving", "day", "expected", "left"), ON_ROLL_CASES)
def test_on_roll_on_a_day_is_the_same_in_sql_and_in_python(
    school, admitted, leaving, day, expected, left
):
    pupil = PupilFactory(school=school, admission_date=admitted, leaving_date=leaving)
    assert Pupil.objects.on_roll_on(day).filter(pk=pupil.pk).exists() == expected
    assert pupil.on_roll_on(day) == expected
    assert Pupil.objects.not_left_by(day).filter(pk=pupil.pk).exists() == (not left)
    assert pupil.has_left(day) == left


# --- Neither rule is written out twice ---------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
DATE_FIELDS = ("start_date", "end_date", "leaving_date", "admission_date")
# Comparing a date with another date of the same record is a check on the record, not a rule
# about a day (an end after the start, an admission after the date of birth).
RECORD_DATES = (*DATE_FIELDS, "date_of_birth")
_FIELD = "(?:" + "|".join(DATE_FIELDS) + ")"
ORM_COMPARISON = re.compile(rf"\b{_FIELD}__(?:lt|lte|gt|gte)\b")
TEMPLATE_COMPARISON = re.compile(rf"\b{_FIELD}\s*[<>]")
# The one definition, and the importer, which another branch is rewriting: it switches its
# ``_current`` to ``pupils.periods`` on merge, and this entry goes.
EXEMPT = {"pupils/periods.py"}
# Apps whose own records have dates of these names that are not periods of a child's status or
# roll: a suspension's first day falling in a term or year (exclusions) is another rule.
OWN_DATES = {"exclusions"}
# Comparisons of these fields that are other rules, each with its reason.
OTHER_RULES = {
    # In-care episodes with no gap between them are one spell (peps.due.care_spells).
    ("peps/due.py", "episode.start_date <= spells[-1][1]"),
    # An episode recorded as running past the 18th birthday (pupils.cohort).
    ("pupils/cohort.py", "(e.end_date or birthday) > birthday"),
}


def _sources(pattern: str):
    for path in sorted(ROOT.rglob(pattern)):
        rel = path.relative_to(ROOT).as_posix()
        if rel.split("/")[0] in {".venv", "node_modules", "tests"} or "/migrations/" in rel:
            continue
        if rel not in EXEMPT and rel.split("/")[0] not in OWN_DATES:
            yield rel, path.read_text()


def _names(node: ast.AST) -> set[str]:
    found = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Attribute):
            found.add(n.attr)
        elif isinstance(n, ast.Name):
            found.add(n.id)
    return found


def _date_comparisons(source: str):
    ordering = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare) or not any(isinstance(o, ordering) for o in node.ops):
            continue
        sides = [_names(side) for side in (node.left, *node.comparators)]
        if any(side & set(DATE_FIELDS) for side in sides) and not all(
            side & set(RECORD_DATES) for side in sides
        ):
            yield node.lineno, ast.unparse(node)


def test_in_force_and_on_roll_are_written_only_in_pupils_periods():
    """A rule written twice drifts: compare an episode's or a pupil's dates with a day only
    through ``pupils.periods`` (its querysets and methods: ``in_force_on``, ``ended_by``,
    ``on_roll_on``, ``has_left``)."""
    copies = []
    for rel, source in _sources("*.py"):
        for match in ORM_COMPARISON.finditer(source):
            copies.append(f"{rel}:{source[: match.start()].count(chr(10)) + 1} {match.group()}")
        for line, text in _date_comparisons(source):
            if (rel, text) not in OTHER_RULES:
                copies.append(f"{rel}:{line} {text}")
    for rel, source in _sources("*.html"):
        for match in TEMPLATE_COMPARISON.finditer(source):
            copies.append(f"{rel}:{source[: match.start()].count(chr(10)) + 1} {match.group()}")
    assert copies == []


def test_the_copy_finder_finds_a_copy():
    written_out = "ok = e.start_date <= day and (e.end_date is None or day < e.end_date)\n"
    assert [text for _, text in _date_comparisons(written_out)] == [
        "e.start_date <= day",
        "day < e.end_date",
    ]
    assert ORM_COMPARISON.search("Q(leaving_date__gte=today)")
    assert not list(_date_comparisons("bad = episode.end_date <= episode.start_date\n"))
