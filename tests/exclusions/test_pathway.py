"""The suspension pathway's rules, each written as the defect it stops (DOMAIN.md 2)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from exclusions import rules, services
from exclusions.models import Exclusion, Recipient, StatutoryNotice
from exclusions.sweeps import exclusions_sweep
from notifications.models import OutboxMessage
from schools.schooldays import SchoolCalendar
from tests.conftest import member
from tests.exclusions.helpers import DAY, child, consulted, head, school_ready
from tests.factories import add_closure

pytestmark = pytest.mark.django_db


def _suspend(pupil, *, start=DAY, length=3, today=DAY, **kwargs):
    return services.exclusion_decide(
        pupil=pupil,
        by=head(pupil.school),
        today=today,
        kind=kwargs.pop("kind", Exclusion.Kind.SUSPENSION),
        start_date=start,
        length=length,
        reason="PD",
        account="Account of what happened",
        **kwargs,
    )


# --- Last day and return date ------------------------------------------------------------------


def test_last_day_and_return_date_step_over_half_term_and_a_closure(school):
    school_ready(school)
    add_closure(school, dt.date(2026, 11, 2))
    calendar = SchoolCalendar.for_school(school)
    # Four days from Thursday 22 October: 22, 23, Monday 26, then half term (Tuesday 27 to
    # Saturday 31) and an INSET day on Monday 2 November: the last day is Tuesday 3rd, and the
    # child is back on Wednesday 4th.
    period = rules.suspension_period(calendar, start=dt.date(2026, 10, 22), length=4)
    assert period.last_day == dt.date(2026, 11, 3)
    assert period.return_date == dt.date(2026, 11, 4)


def test_lunchtimes_count_half_a_day(school):
    pupil = child(school, in_care=False)
    suspension = _suspend(pupil, length=4, unit=Exclusion.Unit.LUNCHTIMES)
    assert suspension.days == Decimal(2)
    assert suspension.last_day == dt.date(2026, 10, 19)


def test_a_first_day_in_the_holidays_is_refused(school):
    pupil = child(school, in_care=False)
    with pytest.raises(ValidationError) as error:
        _suspend(pupil, start=dt.date(2026, 10, 28))
    assert "school day" in str(error.value)


# --- The Virtual School before a child in care is suspended ------------------------------------


def test_suspension_of_child_in_care_requires_virtual_school_consultation(school):
    pupil = child(school)
    with pytest.raises(ValidationError) as error:
        _suspend(pupil)
    assert error.value.error_dict["no_consultation_reason"][0].code == "no_consultation"
    assert not Exclusion.objects.exists()


def test_an_emergency_without_consultation_is_recorded_and_flagged(school):
    pupil = child(school)
    suspension = _suspend(pupil, no_consultation_reason="Serious assault at 9am; VS closed")
    assert suspension.emergency


def test_with_the_consultation_recorded_the_suspension_goes_ahead_unflagged(school):
    pupil = child(school)
    consulted(pupil)
    suspension = _suspend(pupil, no_consultation_reason="ignored when consulted")
    assert not suspension.emergency and suspension.in_care


def test_previously_in_care_needs_the_parents_consent_before_the_virtual_school(school):
    pupil = child(school, in_care=False, previously=True)
    risk = services.risk_open(pupil=pupil, by=head(school), today=DAY, behaviour="b", risk="r")
    with pytest.raises(ValidationError):
        services.risk_consultation_record(
            risk=risk, by=head(school), today=DAY, consulted_on=DAY, parents_consent_on=None
        )
    services.risk_consultation_record(
        risk=risk, by=head(school), today=DAY, consulted_on=DAY, parents_consent_on=DAY
    )


# --- 45 school days a school year --------------------------------------------------------------


def test_the_45_day_cap_counts_across_terms_and_shows_the_days_used(school):
    pupil = child(school, in_care=False)
    _suspend(pupil, start=dt.date(2026, 9, 7), length=20, today=dt.date(2026, 9, 7))
    _suspend(pupil, start=dt.date(2027, 1, 5), length=20, today=dt.date(2027, 1, 5))
    summer = dt.date(2027, 4, 13)
    with pytest.raises(ValidationError) as error:
        _suspend(pupil, start=summer, length=6, today=summer)
    assert error.value.error_dict["length"][0].code == "over_45_days"
    assert "40 already used" in str(error.value)
    assert _suspend(pupil, start=summer, length=5, today=summer).days == 5


def test_a_cancelled_suspension_counts_only_the_days_served(school):
    pupil = child(school, in_care=False)
    first = _suspend(pupil, start=dt.date(2026, 9, 7), length=40, today=dt.date(2026, 9, 7))
    services.exclusion_cancel(
        exclusion=first, by=head(school), today=dt.date(2026, 9, 9), reason="New evidence"
    )  # served 7 and 8 September
    assert _suspend(pupil, start=dt.date(2027, 1, 5), length=43, today=dt.date(2027, 1, 5))


# --- The governing board -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "duty", "school_days"),
    [
        (Decimal(5), rules.BoardDuty.REPRESENTATIONS_ONLY, None),
        (Decimal(6), rules.BoardDuty.IF_PARENTS_ASK, 50),
        (Decimal(15), rules.BoardDuty.IF_PARENTS_ASK, 50),
        (Decimal(16), rules.BoardDuty.MUST_MEET, 15),
    ],
)
def test_governing_board_thresholds(school, days, duty, school_days):
    school_ready(school)
    calendar = SchoolCalendar.for_school(school)
    review = rules.board_review(calendar, decided_on=DAY, term_days=days)
    assert review.duty == duty
    expected = calendar.add_school_days(DAY, school_days) if school_days else None
    assert review.deadline == expected


def test_a_public_exam_or_a_permanent_exclusion_means_a_meeting_within_15_days(school):
    school_ready(school)
    calendar = SchoolCalendar.for_school(school)
    for kwargs in ({"public_exam_missed": True}, {"permanent": True}):
        review = rules.board_review(calendar, decided_on=DAY, term_days=Decimal(1), **kwargs)
        assert review.duty == rules.BoardDuty.MUST_MEET


# --- Provision ---------------------------------------------------------------------------------


def test_provision_is_due_from_the_sixth_day_or_day_one_in_care(school):
    school_ready(school)
    calendar = SchoolCalendar.for_school(school)
    kwargs = {"start": dt.date(2026, 9, 7), "last_day": dt.date(2026, 9, 18)}
    assert rules.needs_provision(calendar, in_care=False, day_one_in_care=True, **kwargs) == (
        dt.date(2026, 9, 14)
    )
    assert rules.needs_provision(calendar, in_care=True, day_one_in_care=True, **kwargs) == (
        dt.date(2026, 9, 7)
    )
    short = {"start": dt.date(2026, 9, 7), "last_day": dt.date(2026, 9, 9)}
    assert rules.needs_provision(calendar, in_care=False, day_one_in_care=True, **short) is None


# --- Notices -----------------------------------------------------------------------------------


def test_notices_go_to_each_group_with_the_content_the_guidance_requires(school):
    pupil = child(school)
    consulted(pupil)
    suspension = _suspend(pupil)
    notices = {n.recipient: n for n in suspension.notices.select_related("message")}
    assert set(notices) == {
        Recipient.PARENTS,
        Recipient.LOCAL_AUTHORITY,
        Recipient.SOCIAL_WORKER,
        Recipient.VIRTUAL_SCHOOL,
        Recipient.GOVERNING_BOARD,
    }
    assert notices[Recipient.PARENTS].message.recipient == "parent@home.test"
    assert notices[Recipient.LOCAL_AUTHORITY].message.recipient == "exclusions@la.test"
    assert notices[Recipient.SOCIAL_WORKER].message.recipient == "sw@social.test"
    body = notices[Recipient.PARENTS].message.body_text
    for required in (
        "Persistent or general disruptive behaviour",  # the reason
        "3 school days",  # the length
        "right to make representations",
        "governing board",
        # Education arrangements: a child in care, so from day one (the school's setting).
        "full-time education will be in place from Wednesday 14 October 2026",
        "expected back in school on Monday 19 October 2026",
    ):
        assert required in body, required
    assert "invited to attend" in notices[Recipient.VIRTUAL_SCHOOL].message.body_text
    assert all(n.due_by == dt.date(2026, 10, 15) for n in notices.values())


def test_a_child_not_in_care_sends_no_virtual_school_notice(school):
    pupil = child(school, in_care=False, social_worker=False)
    suspension = _suspend(pupil)
    recipients = set(suspension.notices.values_list("recipient", flat=True))
    assert Recipient.VIRTUAL_SCHOOL not in recipients
    assert Recipient.SOCIAL_WORKER not in recipients


def test_cancelling_sends_the_same_recipients_a_notice_of_cancellation(school):
    pupil = child(school)
    consulted(pupil)
    suspension = _suspend(pupil, start=dt.date(2026, 10, 15))
    services.exclusion_cancel(
        exclusion=suspension, by=head(school), today=DAY, reason="Wrong child"
    )
    decided = sorted(
        suspension.notices.filter(purpose="decision").values_list("recipient", flat=True)
    )
    cancelled = suspension.notices.filter(purpose="cancellation").select_related("message")
    assert sorted(n.recipient for n in cancelled) == decided
    assert "cancelled" in cancelled[0].message.body_text


def test_a_notice_not_sent_by_the_end_of_the_next_school_day_is_flagged_to_the_head_once(school):
    pupil = child(school, in_care=False)
    head_user = member(school, Role.HEADTEACHER, email="head@school.test")
    suspension = _suspend(pupil)
    sent = suspension.notices.exclude(message=None)
    OutboxMessage.objects.filter(pk__in=sent.values("message")).update(
        state="sent", sent_at=dt.datetime(2026, 10, 14, 12, tzinfo=dt.UTC)
    )
    StatutoryNotice.objects.filter(recipient=Recipient.PARENTS).update(message=None)
    assert exclusions_sweep(today=dt.date(2026, 10, 15)).late_notices == 0  # still in time
    assert exclusions_sweep(today=dt.date(2026, 10, 16)).late_notices == 1
    assert exclusions_sweep(today=dt.date(2026, 10, 19)).late_notices == 0
    assert (
        OutboxMessage.objects.filter(
            recipient=head_user.email, template="exclusion_notice_late"
        ).count()
        == 1
    )


def test_a_second_suspension_in_a_term_alerts_the_designated_teacher_and_the_head(school):
    pupil = child(school, in_care=False)
    dt_user = member(school, Role.DESIGNATED_TEACHER, email="dt@school.test")
    _suspend(pupil, start=dt.date(2026, 9, 7), length=1, today=dt.date(2026, 9, 7))
    assert not OutboxMessage.objects.filter(template="exclusion_repeated").exists()
    _suspend(pupil, start=DAY, length=1)
    recipients = set(
        OutboxMessage.objects.filter(template="exclusion_repeated").values_list(
            "recipient", flat=True
        )
    )
    assert dt_user.email in recipients and len(recipients) >= 2


# --- Reduced timetables ------------------------------------------------------------------------


def test_a_reduced_timetable_needs_the_parent_a_review_within_six_weeks_and_the_vs_in_care(
    school,
):
    pupil = child(school)
    kwargs = {
        "pupil": pupil,
        "by": head(school),
        "today": DAY,
        "starts_on": DAY,
        "hours_per_week": Decimal(15),
        "reason": "Medical return",
    }
    with pytest.raises(ValidationError) as error:
        services.reduced_timetable_add(
            parent_agreed_on=None, review_on=DAY + dt.timedelta(weeks=7), **kwargs
        )
    assert set(error.value.error_dict) == {
        "parent_agreed_on",
        "review_on",
        "virtual_school_agreed_on",
    }
    timetable = services.reduced_timetable_add(
        parent_agreed_on=DAY,
        virtual_school_agreed_on=DAY,
        review_on=DAY + dt.timedelta(weeks=6),
        **kwargs,
    )
    assert exclusions_sweep(today=timetable.review_on).timetable_reminders == 1
    assert exclusions_sweep(today=timetable.review_on).timetable_reminders == 0


# --- The PEP's exclusions section --------------------------------------------------------------


def test_a_new_pep_is_filled_with_the_years_suspensions(school):
    from peps.services import pep_start
    from schools.models import Term

    pupil = child(school)
    consulted(pupil)
    _suspend(pupil, length=3)
    term = Term.objects.get(academic_year__school=school, name="autumn")
    pep = pep_start(pupil=pupil, term=term, by=head(school), today=DAY)
    assert pep.suspensions == 1
    assert pep.suspension_days == Decimal(3)
