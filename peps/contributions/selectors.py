"""Reads for the views gathered before a PEP meeting: the designated teacher's list, the people
who can be asked, and whose words each part of the PEP holds (for the PEP page and its PDF)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from peps.contributions.models import ContributionAnswer, ContributionRequest
from peps.contributions.questions import SECTION_OF_FIELD, Audience
from peps.contributions.services import LINK_STATE_LABELS, LinkState, how_gathered, link_state
from peps.models import PersonalEducationPlan
from pupils.models import Contact, ContactKind

AUDIENCE_OF_CONTACT: dict[str, Audience] = {
    ContactKind.CARER: Audience.CARER,
    ContactKind.PARENT: Audience.PARENT,
    ContactKind.SOCIAL_WORKER: Audience.SOCIAL_WORKER,
    ContactKind.VIRTUAL_SCHOOL_ADVISER: Audience.VIRTUAL_SCHOOL,
}


@dataclass(frozen=True)
class RequestRow:
    link: ContributionRequest
    state: LinkState
    state_label: str
    answers: list[ContributionAnswer]


def request_rows(pep: PersonalEducationPlan, *, today: dt.date) -> list[RequestRow]:
    """Each request for views on ``pep``, its state and its answers (two queries)."""
    links = (
        ContributionRequest.objects.filter(pep=pep)
        .select_related("pep")
        .prefetch_related(Prefetch("answers", queryset=ContributionAnswer.objects.all()))
    )
    rows = []
    for link in links:
        state = link_state(link, today=today)
        rows.append(RequestRow(link, state, LINK_STATE_LABELS[state], list(link.answers.all())))
    return rows


def people_to_ask(pep: PersonalEducationPlan, *, today: dt.date, asker) -> list[tuple]:
    """(value, label, audience, name, email, contact) for each person who can be asked: the
    child's carers, parents and social workers in force today with an email address, and for
    the child's own link an adult in school who opens it with them (their key adult, or the
    designated teacher asking)."""
    people: list[tuple[str, str, Audience, str, str, Contact | None]] = []
    contacts = Contact.objects.filter(pupil=pep.pupil).in_force_on(today).select_related("user")
    for contact in contacts:
        if contact.kind == ContactKind.KEY_ADULT and contact.user and contact.user.email:
            people.append(
                (
                    f"child-{contact.pk}",
                    f"{pep.pupil.forename}, with their key adult {contact.person_name}",
                    Audience.CHILD,
                    contact.person_name,
                    contact.user.email,
                    contact,
                )
            )
        audience = AUDIENCE_OF_CONTACT.get(contact.kind)
        if audience and contact.email:
            people.append(
                (
                    f"contact-{contact.pk}",
                    f"{contact.person_name} ({contact.get_kind_display().lower()})",
                    audience,
                    contact.person_name,
                    contact.email,
                    contact,
                )
            )
    if asker is not None and asker.email:
        people.append(
            (
                "child-me",
                f"{pep.pupil.forename}, with you ({asker.full_name})",
                Audience.CHILD,
                asker.full_name,
                asker.email,
                None,
            )
        )
    return people


def pep_credits(pep: PersonalEducationPlan) -> dict[str, list[str]]:
    """For each section of the PEP that holds accepted words, whose words they are and how
    they were gathered: {"Carer's views": ["Sam Carter (carer), through Harbour's ..."]}."""
    credits: dict[str, list[str]] = {}
    answers = ContributionAnswer.objects.filter(
        request__pep=pep, status=ContributionAnswer.Status.ACCEPTED
    ).select_related("request__pep__pupil")
    for answer in answers:
        question = answer.question_object
        if question is None or not question.pep_field:
            continue
        link = answer.request
        who = (
            f"{link.pep.pupil.forename}, in their own words"
            if link.audience == Audience.CHILD
            else f"{link.name} ({link.audience_in_a_sentence})"
        )
        line = f"{who}. {how_gathered(link)}."
        section = SECTION_OF_FIELD[question.pep_field]
        if line not in credits.get(section, []):
            credits.setdefault(section, []).append(line)
    return credits
