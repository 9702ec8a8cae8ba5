"""The demo school's fictional cohort, read from ``demo/data/pupils.toml``: 36 children across
every group, three Virtual Schools, Reception to Year 11, with histories that exercise the
6-year rule.

Every name, date and UPN is invented. The children are written through ``pupils.services``, so
the demo obeys the same rules (and leaves the same audit trail) as a school's own data.
Running it again changes nothing: a child whose UPN is already on the school's roll is left as
it is.
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from demo.datafile import check_keys, read_datafile
from pupils import services
from pupils.cohort import nc_year_for_age
from pupils.models import ContactKind, Destination, EpisodeKind, Pupil, SenStatus
from pupils.upn import check_letter
from schools.models import VirtualSchool
from schools.schooldays import academic_year_of
from schools.selectors import virtual_school_address
from schools.services import virtual_school_address_confirm

CIC = EpisodeKind.IN_CARE


@dataclass(frozen=True)
class Authority:
    """A local authority the demo's children belong to. The schools app seeds the real
    directory entries, so ``name`` and ``email`` only matter where that seed has not run."""

    la_code: str
    name: str
    email: str
    adviser: str  # the demo's adviser at its Virtual School


@dataclass(frozen=True)
class Episode:
    kind: str
    # Whole months before the day the demo is loaded that the episode started and (optionally)
    # ended; or, for the 6-year rule, exactly how long ago it ended ({years, months, days}).
    started_months_ago: int | None = None
    ended_months_ago: int | None = None
    ended_ago: dict[str, int] | None = None
    basis: str = ""
    la: str = "873"

    def __post_init__(self):
        EpisodeKind(self.kind)
        if (self.started_months_ago is None) == (self.ended_ago is None):
            raise ValueError(f"a {self.kind} episode needs started_months_ago or ended_ago")


@dataclass(frozen=True)
class Left:
    days_ago: int
    destination: str
    school: str = ""

    def __post_init__(self):
        Destination(self.destination)


@dataclass(frozen=True)
class Carer:
    name: str
    relationship: str


@dataclass(frozen=True)
class Child:
    forename: str
    surname: str
    sex: str
    year: int  # National Curriculum year in the school year the demo is loaded
    birth_month: int
    episodes: tuple[Episode, ...] = ()
    preferred_forename: str = ""
    sen: str = SenStatus.NONE
    fsm: bool = False
    social_worker: str = ""
    carer: Carer | None = None
    consent: bool | None = None  # to Virtual School advice, for a child previously in care
    key_adult: str = "dt"  # a demo login's local part, or "" for none
    left: Left | None = None

    @classmethod
    def from_data(cls, entry: dict[str, Any]) -> "Child":
        where = f"pupils.toml, {entry.get('forename')} {entry.get('surname')}"
        check_keys(cls, entry, where)
        for episode in entry.get("episodes", ()):
            check_keys(Episode, episode, where)
        SenStatus(entry.get("sen", SenStatus.NONE))
        return cls(
            **entry
            | {
                "episodes": tuple(Episode(**e) for e in entry.get("episodes", ())),
                "carer": Carer(**entry["carer"]) if "carer" in entry else None,
                "left": Left(**entry["left"]) if "left" in entry else None,
            }
        )


def demo_authorities() -> dict[str, Authority]:
    return {
        code: Authority(la_code=code, **details)
        for code, details in read_datafile("pupils")["authorities"].items()
    }


def demo_children() -> list[Child]:
    return [Child.from_data(entry) for entry in read_datafile("pupils")["children"]]


def demo_virtual_school(authority: Authority) -> VirtualSchool:
    """The authority's Virtual School from the directory (made, where it has not been seeded)."""
    return VirtualSchool.objects.get_or_create(
        la_code=authority.la_code,
        defaults={"local_authority_name": authority.name, "email": authority.email},
    )[0]


def confirm_demo_address(school, authority: VirtualSchool, *, by) -> None:
    """Confirm, for the demo school, the address it uses for ``authority``. Idempotent."""
    address = virtual_school_address(school, authority)
    if address.email and not address.confirmed:
        virtual_school_address_confirm(
            school=school, virtual_school=authority, email=address.email, by=by
        )


def demo_upn(school, n: int) -> str:
    """A valid, fictional UPN: the school's LA and establishment number, year 25, serial n."""
    tail = f"{school.la_code}{school.establishment_number}25{n:03d}"
    return check_letter(tail) + tail


def birth_date(year: int, birth_month: int, today: dt.date, day: int | None = None) -> dt.date:
    """A date of birth in ``birth_month`` that puts the child in NC year ``year`` this year."""
    start = academic_year_of(today)
    # Reception this year: born from 1 September (start - 5) to 31 August (start - 4).
    calendar_year = start - year - (5 if birth_month >= 9 else 4)
    born = dt.date(calendar_year, birth_month, day or 1 + (year * 3 + birth_month) % 27)
    assert nc_year_for_age(born, start) == year
    return born


def shift(day: dt.date, *, years: int = 0, months: int = 0, days: int = 0) -> dt.date:
    """``day`` moved by whole years and months (clamped to the month's last day), then days."""
    index = day.year * 12 + day.month - 1 + years * 12 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last)) + dt.timedelta(days=days)


def _months_ago(today: dt.date, months: int) -> dt.date:
    return shift(today, months=-months)


@transaction.atomic
def load_demo_pupils(school, *, today: dt.date) -> list[Pupil]:
    """Create the demo cohort in ``school`` as of ``today``. Idempotent."""
    authorities = {code: demo_virtual_school(a) for code, a in demo_authorities().items()}
    advisers = {code: a.adviser for code, a in demo_authorities().items()}
    users = {
        login: User.objects.filter(memberships__school=school, memberships__role=role).first()
        for login, role in (("dt", Role.DESIGNATED_TEACHER), ("staff", Role.STAFF))
    }
    # The demo school has checked its Virtual Schools' addresses, as a real school must before
    # Harbour sends a child's PEP anywhere (schools.services.virtual_school_address_confirm).
    for authority in authorities.values():
        confirm_demo_address(school, authority, by=users["dt"])
    pupils = []
    for n, child in enumerate(demo_children(), start=1):
        upn = demo_upn(school, n)
        existing = Pupil.objects.filter(school=school, upn=upn).first()
        if existing:
            pupils.append(existing)
            continue
        pupils.append(_create(school, child, upn, today, authorities, advisers, users))
    return pupils


def _create(school, child: Child, upn: str, today, authorities, advisers, users) -> Pupil:
    born = birth_date(child.year, child.birth_month, today)
    starts = [
        _months_ago(today, months)
        for e in child.episodes
        if (months := e.started_months_ago) is not None
    ]
    admitted = max(
        shift(born, years=4, months=8),
        shift(min(starts, default=today), months=-6),
    )
    admitted = min(admitted, shift(today, months=-1))
    pupil = services.pupil_create(
        school=school,
        by=None,
        today=today,
        legal_forename=child.forename,
        legal_surname=child.surname,
        preferred_forename=child.preferred_forename,
        date_of_birth=born,
        sex=child.sex,
        upn=upn,
        admission_date=admitted,
        sen_status=child.sen,
        ehc_plan_review_date=(
            shift(today, months=2 + child.year % 5) if child.sen == SenStatus.EHC_PLAN else None
        ),
        free_school_meals=child.fsm,
    )
    for episode in child.episodes:
        end: dt.date | None
        if episode.ended_ago:
            end = shift(
                today,
                years=-episode.ended_ago.get("years", 0),
                months=-episode.ended_ago.get("months", 0),
                days=-episode.ended_ago.get("days", 0),
            )
            start = shift(end, years=-1, months=-4)
        else:
            assert episode.started_months_ago is not None  # checked when the data was read
            start = _months_ago(today, episode.started_months_ago)
            end = (
                _months_ago(today, episode.ended_months_ago)
                if episode.ended_months_ago is not None
                else None
            )
        services.care_episode_add(
            pupil=pupil,
            by=None,
            kind=episode.kind,
            start_date=max(start, born + dt.timedelta(days=30)),
            end_date=end,
            legal_basis=episode.basis,
            responsible_authority=authorities[episode.la],
        )
    in_care_since = [
        _months_ago(today, months)
        for e in child.episodes
        if e.kind == CIC and (months := e.started_months_ago) is not None
    ]
    since = max(admitted, max(in_care_since, default=admitted))
    if child.social_worker:
        services.contact_add(
            pupil=pupil,
            by=None,
            kind=ContactKind.SOCIAL_WORKER,
            start_date=since,
            name=child.social_worker,
            team="Children's social care",
            email=child.social_worker.lower().replace(" ", ".") + "@socialcare.example",
            phone="01632 960" + f"{len(child.social_worker) * 7 % 1000:03d}",
        )
    if child.carer:
        name, relationship = child.carer.name, child.carer.relationship
        is_parent = "parent" in relationship.lower() or "guardian" in relationship.lower()
        services.contact_add(
            pupil=pupil,
            by=None,
            kind=ContactKind.PARENT if is_parent else ContactKind.CARER,
            start_date=since,
            name=name,
            relationship=relationship,
            parental_responsibility=is_parent or None,
            consents_to_virtual_school_advice=child.consent,
            phone="07700 900" + f"{len(name) * 13 % 1000:03d}",
        )
    open_care = [
        e
        for e in child.episodes
        if e.kind == CIC and e.ended_months_ago is None and e.ended_ago is None
    ]
    if open_care:
        la = open_care[0].la
        services.contact_add(
            pupil=pupil,
            by=None,
            kind=ContactKind.VIRTUAL_SCHOOL_ADVISER,
            start_date=since,
            name=advisers[la],
            virtual_school=authorities[la],
        )
    if child.key_adult and users.get(child.key_adult):
        services.contact_add(
            pupil=pupil,
            by=None,
            kind=ContactKind.KEY_ADULT,
            start_date=admitted,
            user=users[child.key_adult],
        )
    if child.left:
        services.pupil_leave(
            pupil=pupil,
            by=None,
            leaving_date=today - dt.timedelta(days=child.left.days_ago),
            destination=child.left.destination,
            destination_school_name=child.left.school,
        )
    return pupil
