"""Reads for the term dates pages."""

from dataclasses import dataclass, field

from schools.models import (
    AcademicYear,
    Closure,
    School,
    Term,
    VirtualSchool,
    VirtualSchoolContact,
)
from schools.schooldays import (
    MINIMUM_SCHOOL_DAYS,
    TERM_NAMES,
    SchoolCalendar,
    academic_year_of,
    term_dates_of,
)


@dataclass
class TermSummary:
    term: Term
    school_days: int


@dataclass
class YearSummary:
    year: AcademicYear
    terms: list[TermSummary] = field(default_factory=list)
    closures: list[Closure] = field(default_factory=list)
    # England's bank holidays on weekdays in this year's terms, left out automatically.
    bank_holidays: list[tuple] = field(default_factory=list)

    @property
    def school_days(self) -> int:
        return sum(summary.school_days for summary in self.terms)

    @property
    def missing_terms(self) -> list[str]:
        present = {summary.term.name for summary in self.terms}
        return [name for name in TERM_NAMES if name not in present]

    @property
    def below_minimum(self) -> bool:
        return self.school_days < MINIMUM_SCHOOL_DAYS


@dataclass
class TermDatesOverview:
    years: list[YearSummary]
    # Closures in a school year with no term dates (possible only through Django admin).
    stray_closures: list[Closure]


def term_dates_overview(school: School) -> TermDatesOverview:
    """Every school year of ``school``, newest first, with its terms, closures and school-day
    counts. Three queries: years, terms, closures."""
    years = list(AcademicYear.objects.filter(school=school).order_by("-start_year"))
    by_id = {year.pk: YearSummary(year=year) for year in years}
    by_start = {summary.year.start_year: summary for summary in by_id.values()}
    terms = list(Term.objects.filter(academic_year__school=school).order_by("first_day"))
    for term in terms:
        term.academic_year = by_id[term.academic_year_id].year  # no query per term
    closures = list(Closure.objects.filter(school=school).order_by("first_day"))
    calendar = SchoolCalendar.from_models(terms, closures)

    for term in terms:
        days = calendar.school_days_in_term(term_dates_of(term))
        by_id[term.academic_year_id].terms.append(TermSummary(term=term, school_days=days))
    for year_summary in by_id.values():
        year_summary.bank_holidays = calendar.bank_holidays_in_term(year_summary.year.start_year)
    stray = []
    for closure in closures:
        summary = by_start.get(academic_year_of(closure.first_day))
        if summary is None:
            stray.append(closure)
        else:
            summary.closures.append(closure)
    return TermDatesOverview(years=[by_id[year.pk] for year in years], stray_closures=stray)


# --- Where a school's PEPs go ----------------------------------------------------------------
@dataclass(frozen=True)
class VirtualSchoolAddress:
    """Where ``school`` sends the records of children placed by ``virtual_school``, and
    whether someone in the school has confirmed that exact address."""

    virtual_school: VirtualSchool
    contact: VirtualSchoolContact | None
    email: str
    confirmed: bool

    @property
    def from_directory(self) -> bool:
        return self.contact is None or self.contact.uses_directory_address


def virtual_school_address(school: School, virtual_school: VirtualSchool) -> VirtualSchoolAddress:
    contact = (
        VirtualSchoolContact.objects.select_related("virtual_school", "confirmed_by")
        .filter(school=school, virtual_school=virtual_school)
        .first()
    )
    if contact is None:
        return VirtualSchoolAddress(virtual_school, None, virtual_school.email, confirmed=False)
    return VirtualSchoolAddress(
        virtual_school, contact, contact.address, confirmed=contact.is_confirmed
    )


@dataclass(frozen=True)
class DirectoryRow:
    virtual_school: VirtualSchool
    contact: VirtualSchoolContact | None

    @property
    def address(self) -> str:
        return self.contact.address if self.contact else self.virtual_school.email

    @property
    def confirmed(self) -> bool:
        return self.contact is not None and self.contact.is_confirmed


def virtual_school_directory(school: School) -> list[DirectoryRow]:
    """Every Virtual School in the directory with ``school``'s own contact there, if any.
    Two queries."""
    contacts = {
        c.virtual_school_id: c
        for c in VirtualSchoolContact.objects.filter(school=school).select_related(
            "virtual_school", "confirmed_by"
        )
    }
    return [
        DirectoryRow(vs, contacts.get(vs.pk))
        for vs in VirtualSchool.objects.order_by("local_authority_name")
    ]
