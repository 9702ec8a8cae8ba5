"""A fictional cohort for the demo school: 36 children across every group, three Virtual
Schools, Reception to Year 11, with histories that exercise the 6-year rule.

Every name, date and UPN is invented. The children are written through ``pupils.services``, so
the demo obeys the same rules (and leaves the same audit trail) as a school's own data.
Running it again changes nothing: a child whose UPN is already on the school's roll is left as
it is.
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from pupils import services
from pupils.cohort import nc_year_for_age
from pupils.models import ContactKind, Destination, EpisodeKind, Pupil, SenStatus
from pupils.upn import check_letter
from schools.models import VirtualSchool
from schools.schooldays import academic_year_of
from schools.selectors import virtual_school_address
from schools.services import virtual_school_address_confirm

# (la_code, name, email) for get_or_create: the schools app seeds the real directory entries,
# so these defaults only matter on a database where that seed has not run.
AUTHORITIES = {
    "873": ("Cambridgeshire", "virtualschool@cambridgeshire.example"),
    "919": ("Hertfordshire", "virtualschool@hertfordshire.example"),
    "876": ("Halton", "virtualschool@halton.example"),
}

CIC, PIC = EpisodeKind.IN_CARE, EpisodeKind.PREVIOUSLY_IN_CARE
CIN, CP = EpisodeKind.CHILD_IN_NEED_PLAN, EpisodeKind.CHILD_PROTECTION_PLAN
KIN = EpisodeKind.KINSHIP_CARE


@dataclass
class Ep:
    kind: str
    # Months before today the episode started and (optionally) ended.
    start: int
    end: int | None = None
    basis: str = ""
    la: str = "873"
    # Exact ages for the 6-year rule: (years, months, days) before today the plan ended.
    ended_ago: tuple[int, int, int] | None = None


@dataclass
class Child:
    forename: str
    surname: str
    sex: str
    year: int
    birth_month: int
    episodes: list[Ep] = field(default_factory=list)
    preferred: str = ""
    sen: str = SenStatus.NONE
    fsm: bool = False
    social_worker: str = ""
    carer: tuple[str, str] | None = None  # (name, relationship)
    consent: bool | None = None
    key_adult: str = "dt"  # a demo login's local part, or "" for none
    left: tuple[int, str, str] | None = None  # (days ago, destination, school name)


CHILDREN = [
    # --- Children in care ---------------------------------------------------------------
    Child(
        "Amelia",
        "Okonkwo",
        "F",
        3,
        10,
        [Ep(CIC, 30, basis="s31")],
        fsm=True,
        social_worker="Dan Price",
        carer=("Rosa Field", "Foster carer"),
    ),
    Child(
        "Tyler",
        "Brennan",
        "M",
        6,
        2,
        [Ep(CIC, 8, basis="s20", la="919")],
        social_worker="Kemi Adeyemi",
        carer=("Alan and Sue Marsh", "Foster carers"),
        sen=SenStatus.SEN_SUPPORT,
    ),
    Child(
        "Jade",
        "Whitmore",
        "F",
        9,
        5,
        [Ep(CIC, 40, basis="s31", la="876")],
        social_worker="Owen Hart",
        carer=("Lindsey Cole", "Residential key worker"),
        sen=SenStatus.EHC_PLAN,
        key_adult="staff",
    ),
    Child(
        "Kai",
        "Lindqvist",
        "M",
        1,
        12,
        [Ep(CIC, 3, basis="s38")],
        social_worker="Dan Price",
        carer=("Maria Santos", "Foster carer"),
    ),
    Child(
        "Ruby",
        "Achterberg",
        "F",
        11,
        7,
        [Ep(CIN, 60, 36), Ep(CIC, 36, basis="s31", la="919")],
        social_worker="Kemi Adeyemi",
        carer=("Grace Lewis-Ray", "Foster carer"),
    ),
    Child(
        "Mason",
        "Fairweather",
        "M",
        7,
        9,
        [Ep(CIC, 50, 20, basis="s20"), Ep(CIC, 6, basis="s31")],
        social_worker="Owen Hart",
        carer=("Pat Nolan", "Foster carer"),
        fsm=True,
    ),
    Child(
        "Leila",
        "Haddad",
        "F",
        4,
        3,
        [Ep(CIC, 14, basis="s31"), Ep(KIN, 14)],
        social_worker="Dan Price",
        carer=("Samira Haddad", "Aunt, kinship foster carer"),
    ),
    Child(
        "Ethan",
        "Marlowe",
        "M",
        10,
        11,
        [Ep(CIC, 22, basis="s20", la="876")],
        social_worker="Owen Hart",
        carer=("Bridge House", "Children's home"),
        key_adult="staff",
    ),
    Child(
        "Sofia",
        "Petrenko",
        "F",
        0,
        6,
        [Ep(CIC, 2, basis="s20")],
        social_worker="Kemi Adeyemi",
        carer=("Helen Brooks", "Foster carer"),
    ),
    Child(
        "Noah",
        "Ashdown",
        "M",
        8,
        1,
        [Ep(CIC, 26, basis="s31", la="919")],
        social_worker="Dan Price",
        carer=("Jim and Ann Carter", "Foster carers"),
        left=(4, Destination.OTHER_SCHOOL, "Riverside Academy"),
    ),
    # --- Children previously in care -----------------------------------------------------
    Child(
        "Isla",
        "Penrose",
        "F",
        2,
        4,
        [Ep(CIC, 48, 30), Ep(PIC, 30, basis="adoption")],
        carer=("Claire Penrose", "Adoptive parent"),
        consent=True,
    ),
    Child(
        "Oscar",
        "Delaney",
        "M",
        5,
        8,
        [Ep(CIC, 70, 40, la="919"), Ep(PIC, 40, basis="sgo", la="919")],
        carer=("Moira Delaney", "Special guardian"),
        consent=True,
        sen=SenStatus.SEN_SUPPORT,
    ),
    Child(
        "Freya",
        "Nakamura",
        "F",
        8,
        10,
        [Ep(PIC, 90, basis="adoption")],
        carer=("Ken Nakamura", "Adoptive parent"),
        consent=False,
    ),
    Child(
        "Leo",
        "Okafor-Grant",
        "M",
        10,
        2,
        [Ep(CIC, 100, 80), Ep(PIC, 80, basis="cao")],
        carer=("Beth Grant", "Grandmother, child arrangements order"),
        consent=True,
    ),
    Child(
        "Mia",
        "Castellano",
        "F",
        1,
        9,
        [Ep(PIC, 20, basis="adopted_abroad")],
        carer=("Luca Castellano", "Adoptive parent"),
        consent=True,
    ),
    Child(
        "Harvey",
        "Quinn",
        "M",
        6,
        6,
        [Ep(CIC, 65, 50, la="876"), Ep(PIC, 50, basis="adoption", la="876")],
        carer=("Sam Quinn", "Adoptive parent"),
        sen=SenStatus.EHC_PLAN,
    ),
    Child(
        "Poppy",
        "Thornton",
        "F",
        9,
        12,
        [Ep(CIC, 55, 44), Ep(PIC, 44, basis="sgo"), Ep(KIN, 44)],
        carer=("June Thornton", "Grandmother, special guardian"),
        consent=True,
    ),
    # --- Children with a social worker ---------------------------------------------------
    Child("Alfie", "Greenwood", "M", 4, 7, [Ep(CIN, 5)], social_worker="Rachel Mensah", fsm=True),
    Child("Zara", "Iqbal", "F", 7, 3, [Ep(CP, 9)], social_worker="Rachel Mensah"),
    Child(
        "Logan",
        "McBride",
        "M",
        11,
        5,
        [Ep(CIN, 30, 12), Ep(CP, 12, la="919")],
        social_worker="Tom Whitfield",
    ),
    Child("Evie", "Sandoval", "F", 3, 1, [Ep(CIN, 40, 24)], fsm=True, key_adult="staff"),
    Child("Reuben", "Adair", "M", 9, 8, [Ep(CP, 0, ended_ago=(5, 11, 0))], preferred="Ben"),
    Child("Hannah", "Osei", "F", 5, 11, [Ep(CIN, 0, ended_ago=(6, 1, 0))], key_adult=""),
    Child("Dylan", "Fox", "M", 10, 6, [Ep(CIN, 0, ended_ago=(5, 11, 20))]),
    Child("Maisie", "Rowntree", "F", 2, 2, [Ep(CIC, 36, 30), Ep(CIN, 30, 18)]),
    Child(
        "Jacob",
        "Wren",
        "M",
        6,
        10,
        [Ep(CP, 4, la="876")],
        social_worker="Amy Lowe",
        sen=SenStatus.SEN_SUPPORT,
    ),
    Child("Aisha", "Bello", "F", 8, 4, [Ep(CIN, 15)], social_worker="Amy Lowe", fsm=True),
    Child("Theo", "Vance", "M", 0, 5, [Ep(CP, 2)], social_worker="Rachel Mensah"),
    Child("Lily", "Marchetti", "F", 11, 9, [Ep(CIN, 14, 3)], fsm=True),
    Child(
        "Callum",
        "Reid",
        "M",
        7,
        12,
        [Ep(CIN, 20)],
        social_worker="Tom Whitfield",
        left=(10, Destination.ELECTIVE_HOME_EDUCATION, ""),
    ),
    # --- Kinship care only, and children no longer in any group ---------------------------
    Child("Ellie", "Duggan", "F", 5, 3, [Ep(KIN, 26)], carer=("Nora Duggan", "Grandmother")),
    Child("Finn", "Halloran", "M", 3, 8, [Ep(KIN, 10)], carer=("Sean Halloran", "Uncle")),
    Child("Grace", "Abara", "F", 4, 12, [Ep(CP, 0, ended_ago=(6, 0, 1))], key_adult=""),
    Child("Archie", "Lund", "M", 1, 6, [], key_adult=""),
    Child("Nadia", "Rahman", "F", 6, 5, [Ep(CIN, 0, ended_ago=(7, 2, 0))], key_adult=""),
    Child("Owen", "Pryce", "M", 9, 2, [], sen=SenStatus.SEN_SUPPORT, key_adult=""),
]


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


def _birth_date(year: int, birth_month: int, today: dt.date) -> dt.date:
    """A date of birth in ``birth_month`` that puts the child in NC year ``year`` this year."""
    start = academic_year_of(today)
    # Reception this year: born from 1 September (start - 5) to 31 August (start - 4).
    calendar_year = start - year - (5 if birth_month >= 9 else 4)
    born = dt.date(calendar_year, birth_month, 1 + (year * 3 + birth_month) % 27)
    assert nc_year_for_age(born, start) == year
    return born


def _shift(day: dt.date, *, years: int = 0, months: int = 0, days: int = 0) -> dt.date:
    """``day`` moved by whole years and months (clamped to the month's last day), then days."""
    index = day.year * 12 + day.month - 1 + years * 12 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last)) + dt.timedelta(days=days)


def _months_ago(today: dt.date, months: int) -> dt.date:
    return _shift(today, months=-months)


@transaction.atomic
def load_demo_pupils(school, *, today: dt.date) -> list[Pupil]:
    """Create the demo cohort in ``school`` as of ``today``. Idempotent."""
    authorities = {
        code: VirtualSchool.objects.get_or_create(
            la_code=code, defaults={"local_authority_name": name, "email": email}
        )[0]
        for code, (name, email) in AUTHORITIES.items()
    }
    users = {
        login: User.objects.filter(memberships__school=school, memberships__role=role).first()
        for login, role in (("dt", Role.DESIGNATED_TEACHER), ("staff", Role.STAFF))
    }
    # The demo school has checked its Virtual Schools' addresses, as a real school must before
    # Harbour sends a child's PEP anywhere (schools.services.virtual_school_address_confirm).
    for authority in authorities.values():
        confirm_demo_address(school, authority, by=users["dt"])
    pupils = []
    for n, child in enumerate(CHILDREN, start=1):
        upn = demo_upn(school, n)
        existing = Pupil.objects.filter(school=school, upn=upn).first()
        if existing:
            pupils.append(existing)
            continue
        pupils.append(_create(school, child, upn, today, authorities, users))
    return pupils


def _create(school, child: Child, upn: str, today, authorities, users) -> Pupil:
    born = _birth_date(child.year, child.birth_month, today)
    starts = [_months_ago(today, e.start) for e in child.episodes if not e.ended_ago]
    admitted = max(
        _shift(born, years=4, months=8),
        _shift(min(starts, default=today), months=-6),
    )
    admitted = min(admitted, _shift(today, months=-1))
    pupil = services.pupil_create(
        school=school,
        by=None,
        today=today,
        legal_forename=child.forename,
        legal_surname=child.surname,
        preferred_forename=child.preferred,
        date_of_birth=born,
        sex=child.sex,
        upn=upn,
        admission_date=admitted,
        sen_status=child.sen,
        ehc_plan_review_date=(
            _shift(today, months=2 + child.year % 5) if child.sen == SenStatus.EHC_PLAN else None
        ),
        free_school_meals=child.fsm,
    )
    for episode in child.episodes:
        if episode.ended_ago:
            years, months, days = episode.ended_ago
            end = _shift(today, years=-years, months=-months, days=-days)
            start = _shift(end, years=-1, months=-4)
        else:
            start = _months_ago(today, episode.start)
            end = _months_ago(today, episode.end) if episode.end is not None else None
        services.care_episode_add(
            pupil=pupil,
            by=None,
            kind=episode.kind,
            start_date=max(start, born + dt.timedelta(days=30)),
            end_date=end,
            legal_basis=episode.basis,
            responsible_authority=authorities[episode.la],
        )
    in_care_since = [_months_ago(today, e.start) for e in child.episodes if e.kind == CIC]
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
        name, relationship = child.carer
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
    if any(e.kind == CIC and e.end is None for e in child.episodes):
        la = next(e.la for e in child.episodes if e.kind == CIC and e.end is None)
        services.contact_add(
            pupil=pupil,
            by=None,
            kind=ContactKind.VIRTUAL_SCHOOL_ADVISER,
            start_date=since,
            name={"873": "Priya Nair", "919": "Mark Ellison", "876": "Joanne Lloyd"}[la],
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
        days_ago, destination, school_name = child.left
        services.pupil_leave(
            pupil=pupil,
            by=None,
            leaving_date=today - dt.timedelta(days=days_ago),
            destination=destination,
            destination_school_name=school_name,
        )
    return pupil
