"""Attendance: session marks, placement moves, the school's whole-roll figures, its
thresholds, and the concerns the daily sweep opens (with the notices each proposes)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from attendance.codes import CODES


class Session(models.TextChoices):
    AM = "AM", "Morning"
    PM = "PM", "Afternoon"


class SessionMarkQuerySet(models.QuerySet["SessionMark"]):
    def for_school(self, school) -> "SessionMarkQuerySet":
        return self.filter(school=school)


class SessionMark(models.Model):
    """One register mark: a child, a date, a session and its code (DOMAIN.md 1.2). The school is
    kept on the row so a whole school's import replaces its period in one statement."""

    class Source(models.TextChoices):
        CSV = "csv", "CSV import"
        CTF = "ctf", "CTF import"
        DEMO = "demo", "Demo data"

    audit_values = frozenset({"code", "session", "source"})

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(
        "pupils.Pupil", on_delete=models.CASCADE, related_name="session_marks"
    )
    date = models.DateField()
    session = models.CharField(max_length=2, choices=Session.choices)
    # Two characters: C1, C2, J1, Y1 to Y7 are codes in their own right (DOMAIN.md 1.2).
    code = models.CharField(max_length=2, choices=[(c, c) for c in CODES])
    source = models.CharField(max_length=4, choices=Source.choices)

    objects = SessionMarkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "date", "session"], name="one_mark_per_pupil_session"
            )
        ]
        indexes = [models.Index(fields=["school", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.session} {self.code}"


class PlacementMove(models.Model):
    """Days a child lost to a care placement move: absence then is shown beside, and left out
    of, the child's figure (the schools' policies: "celebrating 100% attendance despite
    non-attendance due to care placement moves")."""

    audit_values = frozenset({"first_day", "last_day"})

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(
        "pupils.Pupil", on_delete=models.CASCADE, related_name="placement_moves"
    )
    first_day = models.DateField()
    last_day = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")), name="placement_move_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"Placement move {self.first_day} to {self.last_day}"


class PeerFigures(models.Model):
    """The school's whole-roll figures for a term, against which every group is compared."""

    audit_values = frozenset(
        {"possible_sessions", "attended_sessions", "persistently_absent", "on_roll"}
    )

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey("schools.Term", on_delete=models.CASCADE, related_name="+")
    possible_sessions = models.PositiveIntegerField()
    attended_sessions = models.PositiveIntegerField()
    persistently_absent = models.PositiveIntegerField("pupils persistently absent")
    on_roll = models.PositiveIntegerField("pupils on roll")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "term"], name="one_peer_figure_per_term")
        ]

    def __str__(self) -> str:
        return f"Whole-school attendance, term {self.term_id}"

    @property
    def attendance_percent(self) -> Decimal | None:
        if not self.possible_sessions:
            return None
        return (Decimal(self.attended_sessions) * 100 / self.possible_sessions).quantize(
            Decimal("0.1")
        )

    @property
    def persistent_percent(self) -> Decimal | None:
        if not self.on_roll:
            return None
        return (Decimal(self.persistently_absent) * 100 / self.on_roll).quantize(Decimal("0.1"))


class AttendanceSettings(models.Model):
    """A school's thresholds. The defaults are Harbour's (issue 10), not statute: 90% is the
    line below which DfE counts a child persistently absent (DOMAIN.md 1.4)."""

    audit_values = frozenset({"threshold_percent", "unexplained_sessions"})

    school = models.OneToOneField(
        "schools.School", on_delete=models.CASCADE, related_name="attendance_settings"
    )
    threshold_percent = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal(90))
    # Consecutive N, O or U sessions that open a concern.
    unexplained_sessions = models.PositiveSmallIntegerField(default=4)

    def __str__(self) -> str:
        return f"Attendance settings of school {self.school_id}"


class AttendanceConcern(models.Model):
    """A threshold crossed, opened by the daily sweep for the designated teacher. One per
    crossing: while it is open (``recovered_on`` empty) no other of the same kind and period is
    opened; when the child is back above the line the sweep closes it, and a later fall is a new
    crossing."""

    class Kind(models.TextChoices):
        FOUR_WEEKS = "four_weeks", "Attendance over the last four weeks below the threshold"
        TERM = "term", "Attendance this term below the threshold"
        UNEXPLAINED = "unexplained", "Consecutive unexplained absences"
        ILLNESS_RETURN = "illness_return", "15 school days of illness: tell the local authority"

    audit_values = frozenset({"kind", "period", "figure", "opened_on", "recovered_on"})

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(
        "pupils.Pupil", on_delete=models.CASCADE, related_name="attendance_concerns"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The term's pk for TERM, the academic year for ILLNESS_RETURN, "" otherwise.
    period = models.CharField(max_length=20, blank=True)
    # The figure that crossed: a percentage, a number of sessions or of school days.
    figure = models.DecimalField(max_digits=5, decimal_places=1)
    opened_on = models.DateField()
    recovered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "kind", "period"],
                condition=Q(recovered_on__isnull=True),
                name="one_open_attendance_concern_per_crossing",
            )
        ]

    def __str__(self) -> str:
        return f"Attendance concern {self.pk} ({self.kind})"

    @property
    def is_open(self) -> bool:
        return self.recovered_on is None


class AttendanceNotice(models.Model):
    """A notice a concern proposes, and what the designated teacher did with it."""

    class Recipient(models.TextChoices):
        SOCIAL_WORKER = "social_worker", "The child's social worker"
        VIRTUAL_SCHOOL = "virtual_school", "The Virtual School"
        LOCAL_AUTHORITY = "local_authority", "The local authority (illness return)"

    class State(models.TextChoices):
        PROPOSED = "proposed", "To decide"
        SENT = "sent", "Sent"
        NOT_SENT = "not_sent", "Not sent"

    class NotSentReason(models.TextChoices):
        ALREADY_TOLD = "already_told", "Already told by phone or in a meeting"
        EXPLAINED = "explained", "The absence has since been explained"
        NO_ADDRESS = "no_address", "No address to send it to"
        SENT_ANOTHER_WAY = "sent_another_way", "Sent another way (the LA's own form)"

    audit_values = frozenset({"recipient", "state", "reason"})

    concern = models.ForeignKey(AttendanceConcern, on_delete=models.CASCADE, related_name="notices")
    recipient = models.CharField(max_length=20, choices=Recipient.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    reason = models.CharField(max_length=20, choices=NotSentReason.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["concern", "recipient"], name="one_notice_per_recipient_per_concern"
            )
        ]

    def __str__(self) -> str:
        return f"Attendance notice {self.pk} ({self.recipient})"


class CtfYearSummary(models.Model):
    """A child's attendance for one school year at one establishment, as a Common Transfer File
    gave it (``CTfile/.../Attendance/YearData``, DOMAIN.md 6.2): typically the years at the
    child's previous schools. Shown on the child's attendance page and used in nothing else:
    Harbour's own figures come from session marks.

    ``year`` is the CTF's ``Year``, read as the academic year it starts (2025 for 2025 to 2026,
    as DOMAIN.md 6.2's sketch pairs ``Year`` 2025 with ``AttendanceStartDate`` 2025-09-03).
    Importing a file again replaces the child's summary for that year and establishment."""

    audit_values = frozenset({"year", "lea", "estab", "marks"})

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(
        "pupils.Pupil", on_delete=models.CASCADE, related_name="ctf_attendance_years"
    )
    year = models.PositiveSmallIntegerField(help_text="The academic year it starts: 2025")
    lea = models.CharField("local authority code", max_length=3, blank=True)
    estab = models.CharField("establishment number", max_length=4, blank=True)
    school_name = models.CharField(max_length=200, blank=True)
    sessions_possible = models.PositiveIntegerField()
    # Given by some files only (SessionsAttended or AttendSessions).
    sessions_attended = models.PositiveIntegerField(null=True, blank=True)
    sessions_authorised = models.PositiveIntegerField()
    sessions_unauthorised = models.PositiveIntegerField()
    attendance_start_date = models.DateField(null=True, blank=True)
    source_sha256 = models.CharField("sha256 of the CTF it came from", max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now=True)

    objects = models.Manager()

    class Meta:
        ordering = ["-year", "school_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "year", "lea", "estab"], name="one_ctf_summary_per_year_and_school"
            ),
            models.CheckConstraint(
                condition=Q(
                    sessions_possible__gte=models.F("sessions_authorised")
                    + models.F("sessions_unauthorised")
                ),
                name="ctf_summary_absence_within_possible",
            ),
        ]

    def __str__(self) -> str:
        return f"CTF attendance {self.year} ({self.lea}/{self.estab})"

    @property
    def attended(self) -> int:
        """Sessions attended: as the file gave it, else possible less absent (DOMAIN.md 1.4:
        possible = attended + authorised + unauthorised)."""
        if self.sessions_attended is not None:
            return self.sessions_attended
        return self.sessions_possible - self.sessions_authorised - self.sessions_unauthorised

    @property
    def attendance_percent(self) -> Decimal | None:
        if not self.sessions_possible:
            return None
        return (Decimal(self.attended) * 100 / self.sessions_possible).quantize(Decimal("0.1"))

    @property
    def year_label(self) -> str:
        return f"{self.year} to {self.year + 1}"
