"""Every change to a pupil, their status history, their contacts and their leaving checklist.

Each function guards the rules, refuses with a ``ValidationError`` keyed by the form field a
teacher must correct (nothing is saved), and writes an audit event with what changed. The
optional ``request`` only adds the user's IP address to the audit event; an importer or a
command passes none.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.formats import date_format

from accounts.models import Membership
from core.audit import audit_diff, audit_record, changed_fields, field_values
from pupils import periods
from pupils.audit import PupilAction
from pupils.cohort import cohort_status, nc_year_for
from pupils.models import (
    LEGAL_BASES_FOR_KIND,
    CareEpisode,
    Contact,
    ContactKind,
    Destination,
    EpisodeKind,
    LeavingTask,
    LegalBasis,
    Pupil,
    SenStatus,
)
from pupils.upn import normalise_upn, upn_problem

# The fields of a pupil a person may change through pupil_create / pupil_update.
PUPIL_FIELDS = (
    "legal_forename",
    "middle_names",
    "legal_surname",
    "preferred_forename",
    "preferred_surname",
    "date_of_birth",
    "sex",
    "upn",
    "nc_year_offset",
    "admission_date",
    "sen_status",
    "ehc_plan_review_date",
    "free_school_meals",
)
EPISODE_FIELDS = (
    "kind",
    "start_date",
    "end_date",
    "legal_basis",
    "responsible_authority",
    "notes",
    "start_date_confirmed",
)
CONTACT_FIELDS = (
    "name",
    "user",
    "email",
    "phone",
    "team",
    "virtual_school",
    "relationship",
    "parental_responsibility",
    "consents_to_virtual_school_advice",
    "start_date",
    "end_date",
    "notes",
)
LEAVING_FIELDS = (
    "leaving_date",
    "destination",
    "destination_school_urn",
    "destination_school_name",
)
# KCSIE (DOMAIN.md 7.3): the DSL transfers the child protection file within 5 days of an
# in-year move, or within the first 5 days of the new term. Harbour counts school days of this
# school's calendar from the last day on roll, which gives both.
CP_FILE_SCHOOL_DAYS = 5


def _day(value: dt.date) -> str:
    return date_format(value, "j F Y")


def _created(obj, fields) -> dict[str, list[Any]]:
    return {
        name: [None, getattr(obj, name)]
        for name in fields
        if getattr(obj, name) not in (None, "", False)
    }


def _lock(pupil: Pupil) -> Pupil:
    """Serialise changes to one child's record, so two people adding overlapping episodes at
    the same moment cannot both pass the overlap check."""
    return Pupil.objects.select_for_update().get(pk=pupil.pk)


# --- Pupils -----------------------------------------------------------------------------------


def _apply(obj, fields: tuple[str, ...], changes: dict[str, Any], *, service: str) -> dict:
    """Set ``changes`` on ``obj`` (text trimmed) and return the values they replace."""
    unknown = set(changes) - set(fields)
    if unknown:
        raise TypeError(f"{service} cannot change {', '.join(sorted(unknown))}")
    before = field_values(obj, fields)
    for name, value in changes.items():
        setattr(obj, name, value.strip() if isinstance(value, str) else value)
    return before


def _save_if_changed(
    obj, pupil: Pupil, fields, before: dict, action: PupilAction, by, request
) -> None:
    """Save and audit ``obj`` only when a field really changed: a form saved as it was leaves
    no trace in the audit log."""
    diff = changed_fields(before, obj, fields)
    if diff:
        obj.save()
        audit_record(
            action=action,
            actor=by,
            school=pupil.school,
            obj=obj,
            pupil_id=pupil.pk,
            **audit_diff(diff, obj),
            request=request,
        )


def _end(obj, pupil: Pupil, end_date: dt.date, what: str, check, action: PupilAction, by, request):
    """Record the day an open episode or contact ended."""
    if obj.end_date is not None:
        raise ValidationError({"end_date": f"This {what} already ended on {_day(obj.end_date)}"})
    obj.end_date = end_date
    check(obj, pupil)
    obj.save(update_fields=["end_date"])
    audit_record(
        action=action,
        actor=by,
        school=pupil.school,
        obj=obj,
        pupil_id=pupil.pk,
        fields=["end_date"],
        values={"end_date": [None, end_date]},
        request=request,
    )


def _nc_year_offset(date_of_birth: dt.date, nc_year: int | None, today: dt.date) -> int:
    """The offset that makes the child's year ``nc_year`` this academic year (0: their age
    group)."""
    if nc_year is None:
        return 0
    return nc_year - nc_year_for(date_of_birth, 0, today)


def _check_pupil(pupil: Pupil, *, today: dt.date) -> None:
    pupil.upn = normalise_upn(pupil.upn)
    holder = None
    if pupil.upn and not upn_problem(pupil.upn):
        holder = (
            Pupil.objects.filter(school_id=pupil.school_id, upn=pupil.upn)
            .exclude(pk=pupil.pk)
            .first()
        )
    errors = pupil_problems(pupil, today=today, upn_holder=holder)
    if errors:
        raise ValidationError(errors)


def pupil_problems(pupil: Pupil, *, today: dt.date, upn_holder: Pupil | None) -> dict[str, str]:
    """What is wrong with ``pupil`` (unsaved changes included), without a query: the caller
    passes the other pupil of the school holding its UPN, if any. The import's preview runs
    this over a whole file against rows it loaded at once."""
    errors: dict[str, str] = {}
    if pupil.upn:
        if problem := upn_problem(pupil.upn):
            errors["upn"] = problem
        elif upn_holder is not None:
            errors["upn"] = f"{upn_holder.display_name} already has this UPN at this school"
    if pupil.date_of_birth and pupil.date_of_birth > today:
        errors["date_of_birth"] = "The date of birth must be in the past"
    if pupil.admission_date and pupil.date_of_birth and pupil.admission_date <= pupil.date_of_birth:
        errors["admission_date"] = "The admission date must be after the date of birth"
    if pupil.ehc_plan_review_date and pupil.sen_status != SenStatus.EHC_PLAN:
        errors["ehc_plan_review_date"] = (
            "An annual review date applies only to a child with an EHC plan: "
            "choose EHC plan or leave the date empty"
        )
    return errors


@transaction.atomic
def pupil_create(
    *,
    school,
    by,
    today: dt.date,
    legal_forename: str,
    legal_surname: str,
    date_of_birth: dt.date,
    middle_names: str = "",
    preferred_forename: str = "",
    preferred_surname: str = "",
    sex: str = "U",
    upn: str = "",
    nc_year: int | None = None,
    admission_date: dt.date | None = None,
    sen_status: str = SenStatus.NONE,
    ehc_plan_review_date: dt.date | None = None,
    free_school_meals: bool = False,
    request: HttpRequest | None = None,
) -> Pupil:
    """Add a child to the school's register. ``nc_year`` is the year they are taught in this
    academic year when it is not their age group's (None: their age group)."""
    pupil = Pupil(
        school=school,
        legal_forename=legal_forename.strip(),
        middle_names=middle_names.strip(),
        legal_surname=legal_surname.strip(),
        preferred_forename=preferred_forename.strip(),
        preferred_surname=preferred_surname.strip(),
        date_of_birth=date_of_birth,
        sex=sex,
        upn=upn,
        nc_year_offset=_nc_year_offset(date_of_birth, nc_year, today),
        admission_date=admission_date,
        sen_status=sen_status,
        ehc_plan_review_date=ehc_plan_review_date,
        free_school_meals=free_school_meals,
    )
    _check_pupil(pupil, today=today)
    pupil.save()
    audit_record(
        action=PupilAction.CREATED,
        actor=by,
        school=school,
        obj=pupil,
        pupil_id=pupil.pk,
        **audit_diff(_created(pupil, PUPIL_FIELDS), pupil),
        request=request,
    )
    return pupil


@transaction.atomic
def pupil_update(
    *,
    pupil: Pupil,
    by,
    today: dt.date,
    request: HttpRequest | None = None,
    **changes: Any,
) -> Pupil:
    """Change a pupil's details. ``changes`` are fields of ``PUPIL_FIELDS``; ``nc_year`` (the
    year they are taught in this academic year, None for their age group) sets the offset."""
    pupil = _lock(pupil)
    nc_year_given = "nc_year" in changes
    nc_year = changes.pop("nc_year", None)
    before = _apply(pupil, PUPIL_FIELDS, changes, service="pupil_update")
    if nc_year_given:
        pupil.nc_year_offset = _nc_year_offset(pupil.date_of_birth, nc_year, today)
    _check_pupil(pupil, today=today)
    _save_if_changed(pupil, pupil, PUPIL_FIELDS, before, PupilAction.UPDATED, by, request)
    return pupil


# --- Care and social-care episodes --------------------------------------------------------------


def _check_episode(episode: CareEpisode, pupil: Pupil) -> None:
    others = CareEpisode.objects.filter(pupil=pupil, kind=EpisodeKind.IN_CARE).exclude(
        pk=episode.pk
    )
    errors = episode_problems(episode, pupil, others=others)
    if errors:
        raise ValidationError(errors)


def episode_problems(episode: CareEpisode, pupil: Pupil, *, others) -> dict[str, str]:
    """Refuse an episode that cannot be true: an end on or before its start, a legal basis
    that does not fit its kind, a start before the child was born, or an in-care episode that
    overlaps another (a child is looked after by one authority at a time). ``others`` are the
    child's other episodes (any kind; only in care is compared), so the import's preview can
    pass episodes it loaded at once."""
    errors: dict[str, str] = {}
    if not periods.ends_after_start(episode.start_date, episode.end_date):
        errors["end_date"] = (
            f"The end date must be after the start date ({_day(episode.start_date)})"
        )
    if episode.start_date < pupil.date_of_birth:
        errors["start_date"] = (
            f"The start date must be on or after the child's date of birth "
            f"({_day(pupil.date_of_birth)})"
        )
    if episode.legal_basis:
        fitting = LEGAL_BASES_FOR_KIND.get(episode.kind, ())
        if episode.legal_basis not in fitting:
            kind = EpisodeKind(episode.kind).label.lower()
            basis = LegalBasis(episode.legal_basis).label
            if fitting:
                allowed = "; ".join(LegalBasis(b).label for b in fitting)
                errors["legal_basis"] = f"{basis} does not fit {kind}. Choose one of: {allowed}"
            else:
                errors["legal_basis"] = f"{basis} does not fit {kind}: leave the legal basis empty"
    if episode.kind == EpisodeKind.IN_CARE and "end_date" not in errors:
        for other in others:
            if other.kind != EpisodeKind.IN_CARE or (other.pk and other.pk == episode.pk):
                continue
            if _overlap(episode, other):
                to = f"to {_day(other.end_date)}" if other.end_date else "with no end date"
                errors["start_date"] = (
                    f"This overlaps the time in care from {_day(other.start_date)} {to}: a child "
                    "is in care only once at a time. Change the dates, or end the other "
                    "episode first"
                )
                break
    return errors


def _overlap(a: CareEpisode, b: CareEpisode) -> bool:
    """Some day is in both: then one of them is in force on the day the other starts."""
    return a.in_force_on(b.start_date) or b.in_force_on(a.start_date)


@transaction.atomic
def care_episode_add(
    *,
    pupil: Pupil,
    by,
    kind: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    legal_basis: str = "",
    responsible_authority=None,
    notes: str = "",
    start_date_confirmed: bool = True,
    request: HttpRequest | None = None,
) -> CareEpisode:
    pupil = _lock(pupil)
    episode = CareEpisode(
        pupil=pupil,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        legal_basis=legal_basis or "",
        responsible_authority=responsible_authority,
        notes=notes.strip(),
        start_date_confirmed=start_date_confirmed,
        created_by=by,
    )
    _check_episode(episode, pupil)
    episode.save()
    audit_record(
        action=PupilAction.CARE_EPISODE_ADDED,
        actor=by,
        school=pupil.school,
        obj=episode,
        pupil_id=pupil.pk,
        **audit_diff(_created(episode, EPISODE_FIELDS), episode),
        request=request,
    )
    return episode


@transaction.atomic
def care_episode_update(
    *,
    episode: CareEpisode,
    by,
    request: HttpRequest | None = None,
    **changes: Any,
) -> CareEpisode:
    """Correct an episode (its kind, dates, basis, authority or notes). A person who saves
    the start date has confirmed it, whether or not they changed it."""
    pupil = _lock(episode.pupil)
    episode = CareEpisode.objects.select_related("responsible_authority").get(pk=episode.pk)
    if "start_date" in changes:
        changes.setdefault("start_date_confirmed", True)
    before = _apply(episode, EPISODE_FIELDS, changes, service="care_episode_update")
    episode.legal_basis = episode.legal_basis or ""
    _check_episode(episode, pupil)
    _save_if_changed(
        episode, pupil, EPISODE_FIELDS, before, PupilAction.CARE_EPISODE_UPDATED, by, request
    )
    return episode


@transaction.atomic
def care_episode_end(
    *,
    episode: CareEpisode,
    by,
    end_date: dt.date,
    request: HttpRequest | None = None,
) -> CareEpisode:
    """Record the day an open episode ended."""
    pupil = _lock(episode.pupil)
    episode = CareEpisode.objects.get(pk=episode.pk)
    _end(
        episode,
        pupil,
        end_date,
        "episode",
        _check_episode,
        PupilAction.CARE_EPISODE_ENDED,
        by,
        request,
    )
    return episode


# --- Contacts -------------------------------------------------------------------------------


def _check_contact(contact: Contact, pupil: Pupil) -> None:
    errors: dict[str, str] = {}
    if not periods.ends_after_start(contact.start_date, contact.end_date):
        errors["end_date"] = (
            f"The end date must be after the start date ({_day(contact.start_date)})"
        )
    if contact.kind == ContactKind.KEY_ADULT:
        if contact.user is None:
            errors["user"] = "Choose the member of staff who is the child's key adult"
        elif not Membership.objects.filter(user=contact.user, school_id=pupil.school_id).exists():
            errors["user"] = "The key adult must be a member of this school's staff in Harbour"
    elif not contact.name:
        errors["name"] = "Enter the person's name"
    if contact.kind not in (ContactKind.CARER, ContactKind.PARENT):
        contact.relationship = ""
        contact.parental_responsibility = None
        contact.consents_to_virtual_school_advice = None
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contact_add(
    *,
    pupil: Pupil,
    by,
    kind: str,
    start_date: dt.date,
    request: HttpRequest | None = None,
    **details: Any,
) -> Contact:
    """Add a person around the child. ``details`` are fields of ``CONTACT_FIELDS``."""
    pupil = _lock(pupil)
    unknown = set(details) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"contact_add cannot set {', '.join(sorted(unknown))}")
    contact = Contact(pupil=pupil, kind=kind, start_date=start_date)
    for name, value in details.items():
        setattr(contact, name, value.strip() if isinstance(value, str) else value)
    _check_contact(contact, pupil)
    contact.save()
    audit_record(
        action=PupilAction.CONTACT_ADDED,
        actor=by,
        school=pupil.school,
        obj=contact,
        pupil_id=pupil.pk,
        **audit_diff({"kind": [None, kind]} | _created(contact, CONTACT_FIELDS), contact),
        request=request,
    )
    return contact


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    by,
    request: HttpRequest | None = None,
    **changes: Any,
) -> Contact:
    pupil = _lock(contact.pupil)
    contact = Contact.objects.select_related("user", "virtual_school").get(pk=contact.pk)
    before = _apply(contact, CONTACT_FIELDS, changes, service="contact_update")
    _check_contact(contact, pupil)
    _save_if_changed(
        contact, pupil, CONTACT_FIELDS, before, PupilAction.CONTACT_UPDATED, by, request
    )
    return contact


@transaction.atomic
def contact_end(
    *,
    contact: Contact,
    by,
    end_date: dt.date,
    request: HttpRequest | None = None,
) -> Contact:
    pupil = _lock(contact.pupil)
    contact = Contact.objects.select_related("user").get(pk=contact.pk)
    _end(
        contact, pupil, end_date, "contact", _check_contact, PupilAction.CONTACT_ENDED, by, request
    )
    return contact


# --- Leaving --------------------------------------------------------------------------------

_NEW_SETTING = (Destination.OTHER_SCHOOL, Destination.FURTHER_EDUCATION)


def _checklist_items(destination: str) -> list[str]:
    if destination in _NEW_SETTING:
        return [LeavingTask.Item.INFORMATION_SENT, LeavingTask.Item.CP_FILE_TRANSFERRED]
    return [LeavingTask.Item.LOCAL_AUTHORITY_TOLD]


def cp_file_due(school, leaving_date: dt.date) -> tuple[dt.date | None, str]:
    """When the DSL must have transferred the child protection file: the fifth school day after
    the last day on roll (KCSIE, DOMAIN.md 7.3). Returns ``(None, why)`` when the school's term
    dates do not cover it yet, so leaving can still be recorded."""
    from schools.schooldays import SchoolCalendar, TermDatesMissing

    try:
        due = SchoolCalendar.for_school(school).add_school_days(leaving_date, CP_FILE_SCHOOL_DAYS)
    except TermDatesMissing as missing:
        return None, missing.messages[0]
    return due, ""


@transaction.atomic
def pupil_leave(
    *,
    pupil: Pupil,
    by,
    leaving_date: dt.date,
    destination: str,
    destination_school_urn: str = "",
    destination_school_name: str = "",
    request: HttpRequest | None = None,
) -> list[LeavingTask]:
    """Record that a child leaves (``leaving_date`` is their last day on roll) and where they
    go. For a child in the cohort on that day, start the transition checklist; recording it
    again with other details moves the due dates and drops items that no longer apply."""
    pupil = _lock(pupil)
    errors: dict[str, str] = {}
    urn = destination_school_urn.strip()
    name = destination_school_name.strip()
    if destination not in Destination.values:
        errors["destination"] = "Choose where the child is going"
    if pupil.admission_date and leaving_date < pupil.admission_date:
        errors["leaving_date"] = (
            f"The leaving date must be on or after the admission date "
            f"({_day(pupil.admission_date)})"
        )
    if destination in _NEW_SETTING:
        if not name:
            errors["destination_school_name"] = "Enter the name of the new school or college"
        if urn and not (urn.isdigit() and len(urn) in (6, 7)):
            errors["destination_school_urn"] = "A URN is 6 or 7 digits, for example 110987"
    else:
        urn, name = "", ""
    if errors:
        raise ValidationError(errors)

    before = field_values(pupil, LEAVING_FIELDS)
    pupil.leaving_date = leaving_date
    pupil.destination = destination
    pupil.destination_school_urn = urn
    pupil.destination_school_name = name
    pupil.save(update_fields=[*LEAVING_FIELDS, "updated_at"])
    audit_record(
        action=PupilAction.LEFT,
        actor=by,
        school=pupil.school,
        obj=pupil,
        pupil_id=pupil.pk,
        **audit_diff(changed_fields(before, pupil, LEAVING_FIELDS), pupil),
        request=request,
    )

    if not cohort_status(pupil.care_episodes.all(), leaving_date).in_cohort:
        return []
    items = _checklist_items(destination)
    pupil.leaving_tasks.filter(completed_on__isnull=True).exclude(item__in=items).delete()
    tasks = []
    for item in items:
        due, note = (
            cp_file_due(pupil.school, leaving_date)
            if item == LeavingTask.Item.CP_FILE_TRANSFERRED
            else (None, "")
        )
        task, _ = LeavingTask.objects.get_or_create(pupil=pupil, item=item)
        if not task.is_done and (task.due_date, task.due_date_note) != (due, note):
            task.due_date, task.due_date_note = due, note
            task.save(update_fields=["due_date", "due_date_note"])
        tasks.append(task)
    audit_record(
        action=PupilAction.LEAVING_CHECKLIST_STARTED,
        actor=by,
        school=pupil.school,
        obj=pupil,
        pupil_id=pupil.pk,
        values={"checklist": {t.item: t.due_date for t in tasks}},
        request=request,
    )
    return tasks


@transaction.atomic
def leaving_task_complete(
    *,
    task: LeavingTask,
    by,
    completed_on: dt.date,
    today: dt.date,
    notes: str = "",
    request: HttpRequest | None = None,
) -> LeavingTask:
    """Tick off a checklist item, saying who did it and when."""
    _lock(task.pupil)
    task = LeavingTask.objects.select_related("pupil__school").get(pk=task.pk)
    if task.is_done:
        raise ValidationError(
            f"This was already done on {_day(task.completed_on)} by {task.completed_by}"  # type: ignore[arg-type]
        )
    if completed_on > today:
        raise ValidationError({"completed_on": "The date it was done cannot be in the future"})
    task.completed_on = completed_on
    task.completed_by = by
    task.notes = notes.strip()
    task.save(update_fields=["completed_on", "completed_by", "notes"])
    audit_record(
        action=PupilAction.LEAVING_TASK_COMPLETED,
        actor=by,
        school=task.pupil.school,
        obj=task,
        pupil_id=task.pupil_id,
        fields=["completed_on", "completed_by", *(["notes"] if task.notes else [])],
        values={"item": task.item, "completed_on": [None, completed_on]},
        request=request,
    )
    return task
