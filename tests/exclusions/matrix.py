"""The exclusions app's rows for the permission matrix (tests/test_access_matrix.py).

Each record builder makes, for the given school, a child in care with a consulted risk, an
alternative, a three-day suspension decided on the matrix day (with its notices) and a reduced
timetable."""

import datetime as dt
from decimal import Decimal

from accounts.roles import Role
from exclusions import services
from exclusions.models import AlternativeTried, Exclusion
from tests.conftest import member
from tests.exclusions.helpers import DAY, child, consulted
from tests.matrix import COHORT, DECIDERS, MANAGERS, Page

# The pathway up to the decision is the DT's, the DSL team's and the head's
# (EDIT_ATTENDANCE_EXCLUSIONS).
PATHWAY = COHORT


def exclusion_records(school) -> dict:
    pupil = child(school)
    risk = consulted(pupil)
    AlternativeTried.objects.create(risk=risk, kind="soft_start", started_on=DAY)
    head = member(school, Role.HEADTEACHER)
    suspension = services.exclusion_decide(
        pupil=pupil,
        by=head,
        today=DAY,
        kind=Exclusion.Kind.SUSPENSION,
        start_date=DAY,
        length=3,
        reason="PD",
        account="Matrix",
    )
    timetable = services.reduced_timetable_add(
        pupil=pupil,
        by=head,
        today=DAY,
        starts_on=DAY,
        hours_per_week=Decimal(15),
        reason="Matrix",
        parent_agreed_on=DAY,
        virtual_school_agreed_on=DAY,
        review_on=DAY + dt.timedelta(weeks=4),
    )
    return {
        "pupil": pupil,
        "risk": risk,
        "suspension": suspension,
        "notice": suspension.notices.first(),
        "timetable": timetable,
    }


def _pupil(school):
    return {"pupil_id": exclusion_records(school)["pupil"].pk}


def _risk(school):
    return {"pk": exclusion_records(school)["risk"].pk}


def _suspension(school):
    return {"pk": exclusion_records(school)["suspension"].pk}


def _notice(school):
    return {"pk": exclusion_records(school)["notice"].pk}


def _timetable(school):
    return {"pk": exclusion_records(school)["timetable"].pk}


EXCLUSION_PAGES = [
    Page("exclusions:register", COHORT),
    Page("exclusions:notices", COHORT),
    # The addresses the notices go to: the head and the administrator.
    Page("exclusions:settings", MANAGERS),
    Page("exclusions:whole_school", PATHWAY),
    Page("exclusions:pupil", COHORT, record=_pupil),
    Page("exclusions:risk_open", PATHWAY, record=_pupil),
    Page("exclusions:decide", DECIDERS, record=_pupil),
    Page("exclusions:timetable_add", PATHWAY, record=_pupil),
    Page("exclusions:risk_consultation", PATHWAY, record=_risk),
    Page("exclusions:alternative_add", PATHWAY, record=_risk),
    Page("exclusions:cancel", DECIDERS, record=_suspension),
    Page("exclusions:provision", PATHWAY, record=_suspension),
    Page("exclusions:reintegration", PATHWAY, record=_suspension),
    Page("exclusions:board", PATHWAY, record=_suspension),
    Page("exclusions:timetable_review", PATHWAY, record=_timetable),
]

EXCLUSION_POST_PAGES = [
    Page("exclusions:risk_tell", PATHWAY, record=_risk, method="post"),
    Page("exclusions:risk_close", PATHWAY, record=_risk, method="post"),
    Page("exclusions:notice_delivered", PATHWAY, record=_notice, method="post"),
    Page("exclusions:notice_letter", PATHWAY, record=_notice, method="post"),
    Page(
        "exclusions:settings_confirm",
        MANAGERS,
        kwargs={"prefix": "local_authority"},
        method="post",
    ),
]
