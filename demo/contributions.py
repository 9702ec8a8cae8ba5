"""Demo views asked for before a PEP meeting (``peps.contributions``), read from
``demo/data/contributions.toml``: on a child's draft PEP of this term (Amelia's, written by
``demo.peps``), requests out to the carer and the social worker, the carer's answered and
waiting for the designated teacher, the social worker's not answered yet.

Written through ``peps.contributions.services`` as the designated teacher (the links' emails
go through the outbox like any other; ``load_demo`` runs only where email is not delivered).
The carer's answer is given through ``contribution_submit``, as the carer's form would. Running
it again changes nothing: a PEP that already has requests is left alone.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from accounts.models import User
from accounts.roles import Role
from demo.datafile import check_keys, read_datafile
from peps.contributions import services
from peps.contributions.models import ContributionRequest
from peps.models import PersonalEducationPlan
from pupils.models import Contact, ContactKind

logger = logging.getLogger(__name__)

CONTACT_KINDS = {"carer": ContactKind.CARER, "social_worker": ContactKind.SOCIAL_WORKER}


@dataclass(frozen=True)
class DemoRequest:
    forename: str
    surname: str
    who: str
    questions: list[str]
    email: str = ""
    answers: dict[str, str] = field(default_factory=dict)


def demo_requests() -> list[DemoRequest]:
    entries = read_datafile("contributions")["requests"]
    for number, entry in enumerate(entries, 1):
        check_keys(DemoRequest, entry, f"contributions.toml request {number}")
    return [DemoRequest(**entry) for entry in entries]


def load_demo_contributions(school, *, today: dt.date) -> list[ContributionRequest]:
    by = User.objects.filter(
        memberships__school=school, memberships__role=Role.DESIGNATED_TEACHER
    ).first()
    written: list[ContributionRequest] = []
    seen: set[int] = set()
    for entry in demo_requests():
        pep = (
            PersonalEducationPlan.objects.filter(
                pupil__school=school,
                pupil__legal_forename=entry.forename,
                pupil__legal_surname=entry.surname,
                status=PersonalEducationPlan.Status.DRAFT,
            )
            .select_related("pupil__school")
            .order_by("-pk")
            .first()
        )
        if pep is None or by is None:
            continue
        if pep.pk not in seen and pep.contribution_requests.exists():
            continue  # loaded before
        seen.add(pep.pk)
        contact = (
            Contact.objects.filter(pupil=pep.pupil, kind=CONTACT_KINDS[entry.who])
            .in_force_on(today)
            .first()
        )
        if contact is None:
            continue
        try:
            link = services.contribution_request(
                pep=pep,
                audience=entry.who,
                name=contact.person_name,
                email=contact.email or entry.email,
                contact=contact,
                questions=entry.questions,
                by=by,
                today=today,
            )
            if entry.answers:
                services.contribution_submit(link=link, answers=entry.answers, today=today)
        except ValidationError as error:  # term dates missing, the PEP completed meanwhile
            logger.warning("contributions demo: %s", error.messages[0])
            continue
        written.append(link)
    return written
