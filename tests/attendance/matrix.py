"""The attendance app's rows for the permission matrix (tests/test_access_matrix.py).

Editing attendance (EDIT_ATTENDANCE_EXCLUSIONS) is the DT's, the DSL team's and the head's,
which is the cohort's roles; the marks import is theirs and the school administrator's."""

import datetime as dt

from accounts.roles import Role
from attendance.models import AttendanceConcern, AttendanceNotice
from pupils.models import Pupil
from schools.models import AcademicYear, Term
from tests.factories import add_year
from tests.matrix import COHORT, Page
from tests.pupil_factories import CareEpisodeFactory, PupilFactory


def _pupil(school) -> dict:
    if not AcademicYear.objects.filter(school=school, start_year=2026).exists():
        add_year(school, 2026)
    pupil = PupilFactory(school=school)
    CareEpisodeFactory(pupil=pupil, start_date=dt.date(2022, 1, 10))
    return {"pk": pupil.pk}


def _concern(school, pupil=None) -> AttendanceConcern:
    pupil = pupil or PupilFactory(school=school)
    concern = AttendanceConcern.objects.create(
        school=school,
        pupil=pupil,
        kind=AttendanceConcern.Kind.TERM,
        figure=80,
        opened_on=dt.date(2026, 10, 14),
    )
    AttendanceNotice.objects.create(
        concern=concern, recipient=AttendanceNotice.Recipient.LOCAL_AUTHORITY
    )
    return concern


def _concern_pk(school) -> dict:
    return {"pk": _concern(school).pk}


def _notice(school) -> dict:
    concern = _concern(school)
    return {"pk": concern.pk, "notice_pk": concern.notices.get().pk}


def _open_concern(client, school) -> None:
    """The concerns list with a child on it, so the read-audit walk sees the list show one."""
    pupil = Pupil.objects.filter(school=school).first()
    if not AttendanceConcern.objects.filter(school=school, pupil=pupil).exists():
        _concern(school, pupil=pupil)


def _term(school) -> dict:
    if not AcademicYear.objects.filter(school=school, start_year=2026).exists():
        add_year(school, 2026)
    return {"term_pk": Term.objects.filter(academic_year__school=school).first().pk}


ATTENDANCE_PAGES = [
    Page("attendance:concerns", COHORT, prepare=_open_concern),
    Page("attendance:upload", COHORT | {Role.ADMINISTRATOR}),
    Page("attendance:upload_ctf", COHORT | {Role.ADMINISTRATOR}),
    Page("attendance:pupil", COHORT, record=_pupil),
    Page("attendance:placement_move_add", COHORT, record=_pupil),
    Page("attendance:concern", COHORT, record=_concern_pk),
    Page("attendance:notice_send", COHORT, record=_notice, method="post"),
    Page("attendance:notice_not_sent", COHORT, record=_notice, method="post"),
    Page("attendance:peers", COHORT),
    Page("attendance:thresholds", {Role.DESIGNATED_TEACHER, Role.HEADTEACHER}),
    Page("attendance:peers_edit", COHORT, record=_term),
]
