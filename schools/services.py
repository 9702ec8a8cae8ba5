"""Writes for term dates, the Virtual School directory and each school's Virtual School
contacts.

Term dates decide every school-day deadline in Harbour (``schools.schooldays``), so the rules
here refuse dates that would make those deadlines wrong: terms out of order or overlapping,
a term outside its school year, a half-term break outside its term. Errors are keyed by the
form field they belong to, so the page shows each one next to its field.
"""

import copy
import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from core.audit import audit_diff, audit_record, changed_fields
from schools.audit import SchoolAction
from schools.models import (
    AcademicYear,
    Closure,
    School,
    Term,
    VirtualSchool,
    VirtualSchoolContact,
    same_address,
)
from schools.schooldays import (
    TERM_NAMES,
    SchoolCalendar,
    TermDates,
    academic_year_label,
    academic_year_of,
)

TERM_FIELDS = ["first_day", "last_day", "half_term_first_day", "half_term_last_day"]
VIRTUAL_SCHOOL_FIELDS = [
    "local_authority_name",
    "la_code",
    "email",
    "phone",
    "website",
    "contact_name",
]


def long_date(day: dt.date) -> str:
    """``3 September 2025``: how GOV.UK writes a date."""
    return f"{day.day} {day:%B %Y}"


# --- Term dates ------------------------------------------------------------------------------
@transaction.atomic
def academic_year_create(
    *,
    school: School,
    start_year: int,
    terms: Sequence[TermDates],
    request: HttpRequest | None = None,
) -> AcademicYear:
    """Add a school year with its three terms, all or nothing.

    ``terms`` holds one ``TermDates`` per term name. Errors are keyed ``start_year`` or
    ``<term>_<field>`` (``spring_first_day``), the field names of ``AcademicYearForm``.
    """
    by_name = {term.name: term for term in terms}
    if sorted(by_name) != sorted(TERM_NAMES) or len(terms) != len(TERM_NAMES):
        raise ValueError("academic_year_create needs exactly one autumn, spring and summer term")

    errors: dict[str, list[str]] = {}
    if AcademicYear.objects.filter(school=school, start_year=start_year).exists():
        errors["start_year"] = [
            f"The term dates for {academic_year_label(start_year)} have already been entered. "
            "Change them from the Term dates page."
        ]
    previous: TermDates | None = None
    for name in TERM_NAMES:
        term = by_name[name]
        for field, messages in _term_errors(start_year, term, previous, None).items():
            errors[f"{name}_{field}"] = messages
        previous = term
    if errors:
        raise ValidationError(errors)

    year = AcademicYear.objects.create(school=school, start_year=start_year)
    for name in TERM_NAMES:
        term = by_name[name]
        Term.objects.create(
            academic_year=year,
            name=name,
            first_day=term.first_day,
            last_day=term.last_day,
            half_term_first_day=term.half_term_first_day,
            half_term_last_day=term.half_term_last_day,
        )
    audit_record(
        action=SchoolAction.YEAR_ADDED,
        request=request,
        school=school,
        obj=year,
        values={name: _describe(by_name[name]) for name in TERM_NAMES},
    )
    return year


@transaction.atomic
def term_update(
    *,
    term: Term,
    first_day: dt.date,
    last_day: dt.date,
    half_term_first_day: dt.date | None,
    half_term_last_day: dt.date | None,
    request: HttpRequest | None = None,
) -> Term:
    """Change one term's dates. It must stay inside its school year and in order with the
    year's other terms. Errors are keyed by the ``Term`` field names."""
    year = term.academic_year
    proposed = TermDates(
        academic_year=year.start_year,
        name=term.name,
        first_day=first_day,
        last_day=last_day,
        half_term_first_day=half_term_first_day,
        half_term_last_day=half_term_last_day,
    )
    siblings = {t.name: t for t in year.terms.exclude(pk=term.pk)}
    position = TERM_NAMES.index(term.name)
    before = siblings.get(TERM_NAMES[position - 1]) if position > 0 else None
    after = siblings.get(TERM_NAMES[position + 1]) if position + 1 < len(TERM_NAMES) else None
    errors = _term_errors(year.start_year, proposed, before, after)
    if errors:
        raise ValidationError(errors)

    original = copy.copy(term)
    for field in TERM_FIELDS:
        setattr(term, field, getattr(proposed, field))
    changes = changed_fields(original, term, TERM_FIELDS)
    if changes:
        term.save(update_fields=TERM_FIELDS)
        audit_record(
            action=SchoolAction.TERM_CHANGED,
            request=request,
            school=year.school,
            obj=term,
            **audit_diff(changes, term),
        )
    return term


def _term_errors(start_year: int, term, before, after) -> dict[str, list[str]]:
    """What is wrong with one term's dates, keyed by field. ``before`` and ``after`` are the
    neighbouring terms of the same year (``TermDates`` or ``Term``), when known."""
    errors: dict[str, list[str]] = {}
    what = f"the {term.name} term"
    year_start = dt.date(start_year, 9, 1)
    year_end = dt.date(start_year + 1, 8, 31)
    outside_year = (
        f"must be in the {academic_year_label(start_year)} school year "
        f"({long_date(year_start)} to {long_date(year_end)})"
    )

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field, label in (("first_day", "first day"), ("last_day", "last day")):
        day = getattr(term, field)
        if not year_start <= day <= year_end:
            add(field, f"The {label} of {what} {outside_year}")
    if term.last_day < term.first_day:
        add("last_day", f"The last day of {what} must be on or after its first day")
    if before is not None and term.first_day <= before.last_day:
        add(
            "first_day",
            f"{what.capitalize()} must start after the {before.name} term ends "
            f"({long_date(before.last_day)})",
        )
    if after is not None and term.last_day >= after.first_day:
        add(
            "last_day",
            f"{what.capitalize()} must end before the {after.name} term starts "
            f"({long_date(after.first_day)})",
        )

    ht_first, ht_last = term.half_term_first_day, term.half_term_last_day
    if (ht_first is None) != (ht_last is None):
        missing = "half_term_last_day" if ht_last is None else "half_term_first_day"
        add(
            missing,
            f"Enter both the first and last day of the half-term break in {what}, "
            "or leave both blank",
        )
    elif ht_first is not None and ht_last is not None:
        if ht_last < ht_first:
            add(
                "half_term_last_day",
                "The last day of the half-term break must be on or after its first day",
            )
        elif not term.first_day < ht_first or not ht_last < term.last_day:
            add(
                "half_term_first_day",
                f"The half-term break must fall between the first and last day of {what} "
                f"({long_date(term.first_day)} to {long_date(term.last_day)})",
            )
    return errors


def _describe(term: TermDates) -> str:
    text = f"{term.first_day.isoformat()} to {term.last_day.isoformat()}"
    if term.half_term_first_day and term.half_term_last_day:
        text += (
            f", half-term {term.half_term_first_day.isoformat()} to "
            f"{term.half_term_last_day.isoformat()}"
        )
    return text


@transaction.atomic
def closure_add(
    *,
    school: School,
    first_day: dt.date,
    last_day: dt.date | None,
    reason: str,
    request: HttpRequest | None = None,
) -> Closure:
    """Close the school to pupils for one day or a run of days (an INSET day, a snow day).
    Those days stop being school days. England's bank holidays never are, without a closure.

    Refused when the dates are not in a school year whose terms are entered, overlap a
    closure already recorded, or hold no school day to close (a typo in the year, usually).
    Errors are keyed ``first_day``, ``last_day`` and ``reason``.
    """
    last_day = last_day or first_day
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason the school is closed"})
    if last_day < first_day:
        raise ValidationError({"last_day": "The last day must be on or after the first day"})
    calendar = SchoolCalendar.for_school(school)
    for field, day in (("first_day", first_day), ("last_day", last_day)):
        if not calendar.covers(day):
            label = academic_year_label(academic_year_of(day))
            raise ValidationError(
                {field: f"Enter the term dates for {label} before adding a closure in it"}
            )
    overlapping = Closure.objects.filter(
        school=school, first_day__lte=last_day, last_day__gte=first_day
    ).first()
    if overlapping is not None:
        raise ValidationError(
            {
                "first_day": (
                    f"These dates overlap a closure already recorded: {overlapping.reason}, "
                    f"{_span(overlapping.first_day, overlapping.last_day)}"
                )
            }
        )
    if calendar.school_days_in(first_day, last_day) == 0:
        raise ValidationError(
            {
                "first_day": (
                    f"{_span(first_day, last_day).capitalize()} is not a school day already "
                    "(a weekend, a bank holiday, a half-term or a holiday), so there is nothing "
                    "to close"
                )
            }
        )

    closure = Closure.objects.create(
        school=school, first_day=first_day, last_day=last_day, reason=reason
    )
    audit_record(
        action=SchoolAction.CLOSURE_ADDED,
        request=request,
        school=school,
        obj=closure,
        fields=["first_day", "last_day", "reason"],
        values={"first_day": first_day, "last_day": last_day},
    )
    return closure


@transaction.atomic
def closure_remove(*, closure: Closure, request: HttpRequest | None = None) -> None:
    """Remove a closure: its days become school days again."""
    audit_record(
        action=SchoolAction.CLOSURE_REMOVED,
        request=request,
        school=closure.school,
        obj=closure,
        fields=["first_day", "last_day", "reason"],
        values={"first_day": closure.first_day, "last_day": closure.last_day},
    )
    closure.delete()


def _span(first: dt.date, last: dt.date) -> str:
    return long_date(first) if first == last else f"{long_date(first)} to {long_date(last)}"


# --- The Virtual School directory ------------------------------------------------------------
@transaction.atomic
def virtual_school_create(
    *,
    local_authority_name: str,
    la_code: str,
    email: str,
    phone: str = "",
    website: str = "",
    contact_name: str = "",
    request: HttpRequest | None = None,
) -> VirtualSchool:
    """Add a local authority's Virtual School. The directory is shared by every school in
    Harbour, one entry per DfE local authority code: only the host's superusers call this
    (the host pages and Django admin)."""
    _refuse_taken_la_code(la_code)
    virtual_school = VirtualSchool(
        local_authority_name=local_authority_name,
        la_code=la_code,
        email=email,
        phone=phone,
        website=website,
        contact_name=contact_name,
    )
    virtual_school.full_clean()
    virtual_school.save()
    audit_record(
        action=SchoolAction.VIRTUAL_SCHOOL_ADDED,
        actor=_actor(request),
        obj=virtual_school,
        **audit_diff(
            {field: getattr(virtual_school, field) for field in VIRTUAL_SCHOOL_FIELDS},
            virtual_school,
        ),
    )
    return virtual_school


@transaction.atomic
def virtual_school_update(
    *,
    virtual_school: VirtualSchool,
    local_authority_name: str,
    la_code: str,
    email: str,
    phone: str = "",
    website: str = "",
    contact_name: str = "",
    request: HttpRequest | None = None,
) -> VirtualSchool:
    """Change a Virtual School's details; every school that uses it sees the change. Only the
    host's superusers call this (the host pages and Django admin).

    A new email address is not trusted by any school until that school confirms it: each
    school whose contact uses the directory's address loses its confirmation, and the change
    is written to that school's audit log."""
    if la_code != virtual_school.la_code:
        _refuse_taken_la_code(la_code)
    original = copy.copy(virtual_school)
    virtual_school.local_authority_name = local_authority_name
    virtual_school.la_code = la_code
    virtual_school.email = email
    virtual_school.phone = phone
    virtual_school.website = website
    virtual_school.contact_name = contact_name
    changes = changed_fields(original, virtual_school, VIRTUAL_SCHOOL_FIELDS)
    if changes:
        virtual_school.full_clean()
        virtual_school.save()
        # Host data: recorded under no school (not the host's own current school), and told
        # to each school that uses the address below.
        audit_record(
            action=SchoolAction.VIRTUAL_SCHOOL_CHANGED,
            actor=_actor(request),
            obj=virtual_school,
            **audit_diff(changes, virtual_school),
        )
        if "email" in changes:
            _directory_address_changed(virtual_school, changes["email"], request=request)
    return virtual_school


def _directory_address_changed(
    virtual_school: VirtualSchool, change: list[str], *, request: HttpRequest | None
) -> None:
    """Tell each school that sends to the directory's address, in its own audit log, and
    withdraw its confirmation: the school confirmed the old address, not this one."""
    contacts = VirtualSchoolContact.objects.select_for_update().filter(
        virtual_school=virtual_school, email=""
    )
    for contact in contacts.select_related("school"):
        was_confirmed = bool(contact.confirmed_email)
        contact.confirmed_email = ""
        contact.confirmed_by = None
        contact.confirmed_at = None
        contact.save(update_fields=["confirmed_email", "confirmed_by", "confirmed_at"])
        audit_record(
            action=SchoolAction.DIRECTORY_ADDRESS_CHANGED,
            actor=_actor(request),
            school=contact.school,
            obj=contact,
            fields=["address", "confirmed"],
            values={"address": change, "confirmed": [was_confirmed, False]},
        )


def _actor(request: HttpRequest | None):
    if request is not None and request.user.is_authenticated:
        return request.user
    return None


def _refuse_taken_la_code(la_code: str) -> None:
    existing = VirtualSchool.objects.filter(la_code=la_code).first()
    if existing is not None:
        raise ValidationError(
            {"la_code": f"{existing} already has the local authority code {la_code}"}
        )


# --- A school's own Virtual School contacts --------------------------------------------------
CONTACT_FIELDS = ["name", "role", "email"]


@transaction.atomic
def virtual_school_contact_save(
    *,
    school: School,
    virtual_school: VirtualSchool,
    name: str,
    role: str,
    email: str,
    by,
    request: HttpRequest | None = None,
) -> VirtualSchoolContact:
    """Add or change ``school``'s own contact at ``virtual_school``: a named person and,
    optionally, an address of the school's own instead of the directory's. It changes where
    this school's PEPs go and nobody else's. A new address has to be confirmed before a
    child's PEP is sent to it."""
    contact, created = VirtualSchoolContact.objects.select_for_update().get_or_create(
        school=school, virtual_school=virtual_school
    )
    original = copy.copy(contact)
    old_address = contact.address
    contact.name = name.strip()
    contact.role = role.strip()
    contact.email = email.strip()
    contact.full_clean(exclude=["school", "virtual_school", "confirmed_by"])
    changes = changed_fields(original, contact, CONTACT_FIELDS)
    if not same_address(old_address, contact.address):
        changes["address"] = [old_address, contact.address]
        if contact.confirmed_email:
            changes["confirmed"] = [original.is_confirmed, False]
            contact.confirmed_email = ""
            contact.confirmed_by = None
            contact.confirmed_at = None
    if changes or created:
        contact.save()
        audit_record(
            action=SchoolAction.VIRTUAL_SCHOOL_CONTACT_ADDED
            if created
            else SchoolAction.VIRTUAL_SCHOOL_CONTACT_CHANGED,
            actor=by,
            request=request,
            school=school,
            obj=contact,
            **audit_diff(
                changes if not created else {**changes, "address": contact.address}, contact
            ),
        )
    return contact


@transaction.atomic
def virtual_school_address_confirm(
    *,
    school: School,
    virtual_school: VirtualSchool,
    email: str,
    by,
    request: HttpRequest | None = None,
) -> VirtualSchoolContact:
    """Record that someone in ``school`` (a designated teacher or the head) has checked that
    ``email`` is the right address for ``virtual_school``'s children's PEPs. ``email`` is the
    address the person was shown: if it has changed since, nothing is confirmed."""
    # Lock the directory entry, so the host cannot change the address between the check and
    # the confirmation.
    virtual_school = VirtualSchool.objects.select_for_update().get(pk=virtual_school.pk)
    contact, created = VirtualSchoolContact.objects.select_for_update().get_or_create(
        school=school, virtual_school=virtual_school
    )
    contact.virtual_school = virtual_school
    if not same_address(contact.address, email):
        raise ValidationError(
            f"The address for {virtual_school} is now {contact.address}, not {email}. "
            "Check the new address before confirming it.",
            code="address_changed",
        )
    if contact.is_confirmed:
        return contact
    contact.confirmed_email = contact.address
    contact.confirmed_by = by
    contact.confirmed_at = timezone.now()
    contact.save()
    audit_record(
        action=SchoolAction.VIRTUAL_SCHOOL_CONTACT_CONFIRMED,
        actor=by,
        request=request,
        school=school,
        obj=contact,
        values={
            "address": contact.address,
            "source": "directory" if contact.uses_directory_address else "school",
        },
    )
    return contact
