"""The demo's PEPs (demo.peps): whatever day of the 2026 to 2027 school year the demo is loaded,
a designated teacher sees last term's PEPs with targets to review, this term's done, a draft,
a first PEP due, one overdue and the carer SDQ flag; and loading it again changes nothing."""

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings

from accounts.roles import Role
from core.models import AuditEvent
from demo.peps import load_demo_peps
from demo.pupils import load_demo_pupils
from demo.schools import load_demo_term_dates
from notifications.models import OutboxMessage
from peps.due import PepState
from peps.models import PepTarget, PersonalEducationPlan, SdqScore, TargetReview
from peps.selectors import pep_compliance, pep_statuses_for_school, targets_to_review
from peps.services import completion_problems
from pupils.models import Pupil
from schools.schooldays import SchoolCalendar
from tests.conftest import member, render_report_runs
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

Status = PersonalEducationPlan.Status

# School days in each term of the demo's calendar, near its start, middle and end; the demo's
# own day (DEMO_DAY, the 23rd of November) is loaded once for TestTheDemoAsLoaded.
DEMO_DAY = dt.date(2026, 11, 23)
TERM_TIME = [
    dt.date(2026, 9, 8),
    dt.date(2027, 3, 22),
    dt.date(2027, 6, 16),
]


def with_demo_calendar(school):
    """The demo's term dates and closures, and its designated teacher."""
    load_demo_term_dates(school)
    member(school, Role.DESIGNATED_TEACHER, full_name="Priya Shah")
    return school


@pytest.fixture
def demo_school(school):
    return with_demo_calendar(school)


def _quick_pdf(pep) -> bytes:
    return b"%PDF-1.7 demo"


@pytest.fixture
def quick_pdf(monkeypatch):
    # Each completed PEP renders its PDF for the Virtual School; the PDF tests cover that, and
    # a dozen renders per loaded day would only slow these down.
    monkeypatch.setattr("peps.documents.pep_pdf", _quick_pdf)


@pytest.fixture(scope="class")
def demo_on_23_november(django_db_setup, django_db_blocker):
    """The demo loaded once, as of Monday 23 November 2026, for a class of tests that only read
    it: (school, the PEPs written). Each test runs in a savepoint inside this block, and the
    block is rolled back after the class, so no other test sees the demo."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        pytest.MonkeyPatch.context() as patch,
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        patch.setattr("peps.documents.pep_pdf", _quick_pdf)
        school = with_demo_calendar(SchoolFactory(name="Fenbridge Academy"))
        written = load(school, DEMO_DAY)
        # The worker's part: each completed PEP's PDF is made, then emailed.
        render_report_runs()
        yield school, written
        transaction.set_rollback(True)


def load(school, today):
    load_demo_pupils(school, today=today)
    return load_demo_peps(school, today=today)


def statuses(school, today):
    return {c.pupil.legal_forename: c for c in pep_statuses_for_school(school, today=today)}


def peps_of(forename):
    return PersonalEducationPlan.objects.filter(pupil__legal_forename=forename)


@pytest.mark.parametrize("today", TERM_TIME, ids=str)
def test_in_term_time_the_demo_shows_every_state_of_a_pep(demo_school, quick_pdf, today):
    load(demo_school, today)
    every_state_of_a_pep(demo_school, today)


def every_state_of_a_pep(demo_school, today):
    children = statuses(demo_school, today)
    this_term = SchoolCalendar.for_school(demo_school).current_or_next_term(today)

    # This term's PEP done, reviewing every target of last term's.
    for name in ("Jade", "Ruby", "Leila"):
        assert children[name].status.state == PepState.DONE, name
        done = peps_of(name).get(term_id=this_term.pk, status=Status.COMPLETED)
        assert done.reviews.count() == len(targets_to_review(done)) > 0, name

    # Last term's PEP completed with targets to review now; this term's not held yet.
    for name in ("Tyler", "Mason", "Amelia"):
        assert children[name].status.state in (PepState.UPCOMING, PepState.DUE), name
        last = peps_of(name).get(status=Status.COMPLETED)
        assert last.term_id != this_term.pk
        assert last.targets.exists()

    # Amelia's is a draft, half written up: completing it would list what is missing.
    draft = peps_of("Amelia").get(status=Status.DRAFT)
    assert draft.term_id == this_term.pk
    assert draft.reviews.count() == 1
    problems = completion_problems(draft, today=today)
    assert any("Review last PEP's target" in p for p in problems)
    assert any("needs how success will be measured" in p for p in problems)

    # New to care: the first PEP due within 20 school days.
    daisy = children["Daisy"].status
    assert daisy.state == PepState.DUE
    assert daisy.first_pep
    assert 0 <= daisy.school_days_left <= 14  # fewer at the very end of a term

    # One overdue: last term's PEP never held.
    ethan = children["Ethan"].statuses[0]
    assert ethan.state == PepState.OVERDUE
    assert ethan.term.pk != this_term.pk
    assert not peps_of("Ethan").exists()

    # Ruby's last PEP was corrected: version 2 supersedes version 1, which is kept.
    versions = dict(peps_of("Ruby").exclude(term_id=this_term.pk).values_list("version", "status"))
    assert versions == {1: Status.SUPERSEDED, 2: Status.COMPLETED}

    # Nobody else is overdue, and the demo's every completed PEP is complete.
    overdue = {n for n, c in children.items() if c.status.state == PepState.OVERDUE}
    assert overdue == {"Ethan"}
    for pep in PersonalEducationPlan.objects.exclude(status=Status.DRAFT):
        assert completion_problems(pep, today=today) == [], pep

    # SDQs from carers and teachers; the flag for Ethan (12 months) and Daisy (new to care).
    informants = set(SdqScore.objects.values_list("informant", flat=True))
    assert informants == {"carer", "teacher", "young_person"}
    report = pep_compliance(demo_school, this_term, today=today)
    assert {p.legal_forename for p in report.needing_carer_sdq} == {"Ethan", "Daisy"}


def test_a_first_pep_held_after_its_deadline_shows_as_late(demo_school, quick_pdf):
    # Sofia came into care two months before 23 November: her first PEP was due in October.
    today = dt.date(2026, 12, 10)
    load(demo_school, today)
    calendar = SchoolCalendar.for_school(demo_school)
    report = pep_compliance(demo_school, calendar.term_for(today), today=today)
    assert [row.pupil.legal_forename for row in report.late] == ["Sofia"]
    assert {row.pupil.legal_forename for row in report.on_time} >= {"Jade", "Ruby", "Leila"}


@pytest.mark.parametrize("today", [dt.date(2026, 12, 28), dt.date(2027, 4, 5)], ids=str)
def test_in_a_holiday_last_term_is_done_and_one_pep_is_overdue(demo_school, quick_pdf, today):
    load(demo_school, today)
    children = statuses(demo_school, today)
    assert not PersonalEducationPlan.objects.filter(
        status=Status.COMPLETED, meeting_date__gt=today
    ).exists()
    assert children["Ethan"].statuses[0].state == PepState.OVERDUE
    assert children["Daisy"].status.state == PepState.DUE
    assert peps_of("Tyler").filter(status=Status.COMPLETED).exists()


def test_in_the_summer_holiday_before_next_years_dates_nothing_is_written(demo_school, quick_pdf):
    # Harbour cannot tell which term a PEP is for until next year's dates are entered.
    assert load(demo_school, dt.date(2027, 8, 10)) == []
    assert not SdqScore.objects.exists()


def test_without_a_designated_teacher_or_term_dates_nothing_is_written(school):
    load_demo_pupils(school, today=dt.date(2026, 11, 23))
    assert load_demo_peps(school, today=dt.date(2026, 11, 23)) == []
    member(school, Role.DESIGNATED_TEACHER)
    assert load_demo_peps(school, today=dt.date(2026, 11, 23)) == []
    assert not PersonalEducationPlan.objects.exists()


class TestTheDemoAsLoaded:
    """The tests that only read the demo as `make run` loads it share one load."""

    def test_it_shows_every_state_of_a_pep(self, demo_on_23_november):
        school, _ = demo_on_23_november
        every_state_of_a_pep(school, DEMO_DAY)

    def test_loading_it_again_changes_nothing(self, demo_on_23_november):
        school, written = demo_on_23_november
        assert written
        # Each completed PEP went to its Virtual School as a PDF.
        completed = PersonalEducationPlan.objects.exclude(status=Status.DRAFT).count()
        sent = OutboxMessage.objects.filter(dedupe_key__endswith="-virtual-school")
        assert sent.count() == completed
        assert all(m.attachment.startswith(b"%PDF") for m in sent)

        def counts():
            return [
                model.objects.count()
                for model in (
                    Pupil,
                    PersonalEducationPlan,
                    PepTarget,
                    TargetReview,
                    SdqScore,
                    AuditEvent,
                    OutboxMessage,
                )
            ]

        before = counts()
        assert load(school, DEMO_DAY) == []
        assert load(school, DEMO_DAY + dt.timedelta(days=7)) == []
        assert counts() == before
