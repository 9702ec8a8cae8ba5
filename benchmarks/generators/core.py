"""The local authority Harbour is measured in: schools with term dates and Virtual Schools,
each school's staff, and the children of the cohort with their status histories and contacts.

Deterministic (one seeded ``random.Random``) and bulk-loaded (``bulk_create`` in batches): no
service, no audit row, no factory: the point is the size of the tables the pages read.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, User
from accounts.roles import Role
from benchmarks.context import Context
from benchmarks.registry import generator
from pupils.models import CareEpisode, Contact, ContactKind, EpisodeKind, Pupil
from pupils.upn import check_letter
from schools.models import AcademicYear, School, Term, VirtualSchool, VirtualSchoolContact

BATCH = 5000
AUTHORITIES = 20
# (first day, last day, half-term first, half-term last) as (month, day), as tests/factories.py.
TERMS = {
    "autumn": ((9, 3), (12, 18), (10, 27), (10, 31)),
    "spring": ((1, 5), (3, 27), (2, 16), (2, 20)),
    "summer": ((4, 13), (7, 21), (5, 25), (5, 29)),
}
YEARS = (2024, 2025, 2026)


@generator("schools")
def schools(ctx: Context) -> None:
    authorities = VirtualSchool.objects.bulk_create(
        VirtualSchool(
            local_authority_name=f"Authority {n}",
            la_code=f"{800 + n}",
            email=f"virtual.school@la{n}.example.org",
        )
        for n in range(AUTHORITIES)
    )
    made = School.objects.bulk_create(
        School(
            name=f"Bench School {n:03d}",
            urn=f"{100000 + n}",
            la_code=authorities[n % AUTHORITIES].la_code,
            establishment_number=f"{4000 + n}",
            local_authority_name=authorities[n % AUTHORITIES].local_authority_name,
        )
        for n in range(ctx.scale.schools)
    )
    ctx.school_ids = [s.pk for s in made]
    ctx.largest_school_id = made[0].pk
    ctx.extra["authority_of_school"] = {
        s.pk: authorities[n % AUTHORITIES].pk for n, s in enumerate(made)
    }
    # Each school has confirmed its own authority's address, so overdue notices can go.
    VirtualSchoolContact.objects.bulk_create(
        VirtualSchoolContact(
            school=s,
            virtual_school=authorities[n % AUTHORITIES],
            confirmed_email=authorities[n % AUTHORITIES].email,
            confirmed_at=timezone.now(),
        )
        for n, s in enumerate(made)
    )
    years = AcademicYear.objects.bulk_create(
        AcademicYear(school=s, start_year=y) for s in made for y in YEARS
    )
    terms = []
    for year in years:
        for name, dates in TERMS.items():
            calendar_year = year.start_year if name == "autumn" else year.start_year + 1
            first, last, ht_first, ht_last = (dt.date(calendar_year, m, d) for m, d in dates)
            terms.append(
                Term(
                    academic_year=year,
                    name=name,
                    first_day=first,
                    last_day=last,
                    half_term_first_day=ht_first,
                    half_term_last_day=ht_last,
                )
            )
    Term.objects.bulk_create(terms, batch_size=BATCH)
    ctx.count(
        virtual_schools=len(authorities),
        schools=len(made),
        academic_years=len(years),
        terms=len(terms),
    )


@generator("staff", after=["schools"])
def staff(ctx: Context) -> None:
    """A designated teacher in every school; the largest school also has a DSL and a head.
    Nobody signs in with a password: the measurements forge verified sessions."""
    password = make_password(None)  # unusable
    users = [
        User(email=f"dt{pk}@bench.example.org", full_name=f"Teacher {pk}", password=password)
        for pk in ctx.school_ids
    ]
    users += [
        User(email="dsl@bench.example.org", full_name="Safeguarding Lead", password=password),
        User(email="head@bench.example.org", full_name="Head Teacher", password=password),
    ]
    users = User.objects.bulk_create(users, batch_size=BATCH)
    memberships = [
        Membership(user=u, school_id=pk, role=Role.DESIGNATED_TEACHER)
        for u, pk in zip(users, ctx.school_ids, strict=False)
    ]
    dsl, head = users[-2], users[-1]
    memberships += [
        Membership(user=dsl, school_id=ctx.largest_school_id, role=Role.DSL),
        Membership(user=head, school_id=ctx.largest_school_id, role=Role.HEADTEACHER),
    ]
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    ctx.extra["dt_of_school"] = {pk: u.pk for u, pk in zip(users, ctx.school_ids, strict=False)}
    ctx.dt_user_id = users[0].pk
    ctx.dsl_user_id, ctx.head_user_id = dsl.pk, head.pk
    devices = [
        TOTPDevice(user=u, name="Authenticator app", confirmed=True) for u in (users[0], dsl, head)
    ]
    for device in devices:
        device.save()
    ctx.dt_device_id = devices[0].persistent_id
    ctx.extra["device_of_user"] = {d.user_id: d.persistent_id for d in devices}
    ctx.count(users=len(users), memberships=len(memberships))


def _upn(n: int) -> str:
    tail = f"873400{n:06d}"
    return check_letter(tail) + tail


def _children_per_school(ctx: Context) -> list[int]:
    rest = ctx.scale.children - ctx.scale.largest_school
    others = len(ctx.school_ids) - 1
    sizes = [ctx.scale.largest_school] + [rest // others] * others
    for n in range(rest - sum(sizes[1:])):
        sizes[1 + n] += 1
    return sizes


def _day(rng, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


@generator("pupils", after=["staff"])
def pupils(ctx: Context) -> None:
    """The cohort: a quarter in care, a sixth previously in care, the rest with a social worker
    (issue 14), each with a status history and contacts. The first child in care at the
    largest school has a long history: the "child with the most history" page."""
    rng = ctx.rng
    made: list[Pupil] = []
    n = 0
    for school_id, size in zip(ctx.school_ids, _children_per_school(ctx), strict=True):
        for _ in range(size):
            made.append(
                Pupil(
                    school_id=school_id,
                    legal_forename=f"Child{n}",
                    legal_surname=f"Surname{rng.randrange(5000):04d}",
                    date_of_birth=_day(rng, dt.date(2009, 9, 1), dt.date(2020, 8, 31)),
                    sex="F" if n % 2 else "M",
                    upn=_upn(n),
                    admission_date=dt.date(2022, 9, 5),
                    free_school_meals=n % 3 == 0,
                )
            )
            n += 1
    made = Pupil.objects.bulk_create(made, batch_size=BATCH)
    authority_of = ctx.extra["authority_of_school"]
    dt_of = ctx.extra["dt_of_school"]
    episodes: list[CareEpisode] = []
    contacts: list[Contact] = []
    in_care: list[int] = []
    longest = None
    for i, pupil in enumerate(made):
        group = i % 12  # 0-2 in care (1/4), 3-4 previously in care (1/6), 5-11 social worker
        authority = authority_of[pupil.school_id]
        start = _day(rng, dt.date(2019, 1, 1), dt.date(2024, 6, 30))
        key_adult = Contact(
            pupil=pupil,
            kind=ContactKind.KEY_ADULT,
            user_id=dt_of[pupil.school_id],
            start_date=start,
        )
        contacts.append(key_adult)
        if group <= 2:
            in_care.append(pupil.pk)
            before = start - dt.timedelta(days=rng.randrange(90, 700))
            history = 1
            if longest is None and pupil.school_id == ctx.largest_school_id:
                longest, history = pupil.pk, 12
            # Earlier episodes: alternating Child in Need plans and short times in care.
            day = before - dt.timedelta(days=200 * history)
            for h in range(history):
                kind = EpisodeKind.CHILD_IN_NEED_PLAN if h % 2 == 0 else EpisodeKind.IN_CARE
                end = day + dt.timedelta(days=150)
                episodes.append(
                    CareEpisode(
                        pupil=pupil,
                        kind=kind,
                        start_date=day,
                        end_date=end,
                        legal_basis="s20" if kind == EpisodeKind.IN_CARE else "",
                        responsible_authority_id=authority if kind == EpisodeKind.IN_CARE else None,
                    )
                )
                day = end + dt.timedelta(days=50)
            episodes.append(
                CareEpisode(
                    pupil=pupil,
                    kind=EpisodeKind.IN_CARE,
                    start_date=start,
                    legal_basis=rng.choice(["s20", "s31"]),
                    responsible_authority_id=authority,
                )
            )
            for h in range(history + 1):
                ended = start + dt.timedelta(days=120 * (h + 1)) if h < history else None
                began = start + dt.timedelta(days=120 * h)
                contacts += [
                    Contact(
                        pupil=pupil,
                        kind=ContactKind.SOCIAL_WORKER,
                        name=f"Worker {i}-{h}",
                        email=f"sw{i}-{h}@la.example.org",
                        team="Children in care team",
                        start_date=began,
                        end_date=ended,
                    ),
                    Contact(
                        pupil=pupil,
                        kind=ContactKind.CARER,
                        name=f"Carer {i}-{h}",
                        relationship="Foster carer",
                        start_date=began,
                        end_date=ended,
                    ),
                ]
            contacts.append(
                Contact(
                    pupil=pupil,
                    kind=ContactKind.VIRTUAL_SCHOOL_ADVISER,
                    name=f"Adviser {i}",
                    virtual_school_id=authority,
                    start_date=start,
                )
            )
        elif group <= 4:
            left_care = start + dt.timedelta(days=rng.randrange(200, 600))
            episodes += [
                CareEpisode(
                    pupil=pupil,
                    kind=EpisodeKind.IN_CARE,
                    start_date=start,
                    end_date=left_care,
                    legal_basis="s31",
                    responsible_authority_id=authority,
                ),
                CareEpisode(
                    pupil=pupil,
                    kind=EpisodeKind.PREVIOUSLY_IN_CARE,
                    start_date=left_care,
                    legal_basis=rng.choice(["adoption", "sgo"]),
                ),
            ]
            contacts.append(
                Contact(
                    pupil=pupil,
                    kind=ContactKind.PARENT,
                    name=f"Parent {i}",
                    relationship="Adoptive parent",
                    parental_responsibility=True,
                    consents_to_virtual_school_advice=True,
                    start_date=left_care,
                )
            )
        else:
            plan = (
                EpisodeKind.CHILD_PROTECTION_PLAN if group == 11 else EpisodeKind.CHILD_IN_NEED_PLAN
            )
            earlier = start - dt.timedelta(days=300)
            episodes += [
                CareEpisode(
                    pupil=pupil,
                    kind=EpisodeKind.CHILD_IN_NEED_PLAN,
                    start_date=earlier,
                    end_date=start,
                ),
                CareEpisode(pupil=pupil, kind=plan, start_date=start),
            ]
            contacts += [
                Contact(
                    pupil=pupil,
                    kind=ContactKind.SOCIAL_WORKER,
                    name=f"Worker {i}",
                    team="Children in need team",
                    start_date=start,
                ),
                Contact(
                    pupil=pupil,
                    kind=ContactKind.PARENT,
                    name=f"Parent {i}",
                    relationship="Mother",
                    parental_responsibility=True,
                    start_date=earlier,
                ),
            ]
    CareEpisode.objects.bulk_create(episodes, batch_size=BATCH)
    Contact.objects.bulk_create(contacts, batch_size=BATCH)
    ctx.extra["in_care_pupils"] = in_care
    ctx.most_history_pupil_id = longest or in_care[0]
    ctx.count(pupils=len(made), care_episodes=len(episodes), contacts=len(contacts))
