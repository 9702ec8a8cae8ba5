from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

three_digits = RegexValidator(r"^\d{3}$", "Enter the three-digit DfE local authority code")
four_digits = RegexValidator(r"^\d{4}$", "Enter the four-digit DfE establishment number")
urn_digits = RegexValidator(r"^\d{6,7}$", "Enter the school's six- or seven-digit URN")


class School(models.Model):
    name = models.CharField(max_length=200)
    urn = models.CharField("URN", max_length=7, unique=True, validators=[urn_digits])
    la_code = models.CharField("DfE local authority code", max_length=3, validators=[three_digits])
    establishment_number = models.CharField(max_length=4, validators=[four_digits])
    local_authority_name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["la_code", "establishment_number"], name="one_school_per_dfe_number"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def dfe_number(self) -> str:
        """LAESTAB, as written on the CTF and in DfE returns: 873/4001."""
        return f"{self.la_code}/{self.establishment_number}"


class AcademicYear(models.Model):
    """A school year, September to August, named by the calendar year it starts in."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="academic_years")
    start_year = models.PositiveSmallIntegerField()

    # The audit log keeps each term's dates when a year is added (core.audit).
    audit_values = frozenset({"autumn", "spring", "summer"})

    class Meta:
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "start_year"], name="one_year_per_school")
        ]

    def __str__(self) -> str:
        return f"{self.start_year} to {self.start_year + 1}"


class Term(models.Model):
    class Name(models.TextChoices):
        AUTUMN = "autumn", "Autumn"
        SPRING = "spring", "Spring"
        SUMMER = "summer", "Summer"

    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(max_length=6, choices=Name.choices)
    first_day = models.DateField()
    last_day = models.DateField()
    half_term_first_day = models.DateField(
        null=True, blank=True, help_text="First weekday of the half-term holiday"
    )
    half_term_last_day = models.DateField(
        null=True, blank=True, help_text="Last weekday of the half-term holiday"
    )

    audit_values = frozenset({"first_day", "last_day", "half_term_first_day", "half_term_last_day"})

    class Meta:
        ordering = ["first_day"]
        constraints = [
            models.UniqueConstraint(fields=["academic_year", "name"], name="one_term_of_each_name"),
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_name_display()} term {self.academic_year}"


class Closure(models.Model):
    """Days inside a term when the school is closed to pupils: INSET, snow. England's bank
    holidays need no closure: the calendar leaves them out itself (schools.schooldays)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="closures")
    first_day = models.DateField()
    last_day = models.DateField()
    reason = models.CharField(max_length=100)

    # The reason is typed by staff: the audit log keeps its field name only (core.audit).
    audit_values = frozenset({"first_day", "last_day"})

    class Meta:
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="closure_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.first_day} to {self.last_day})"


class VirtualSchool(models.Model):
    """A local authority's Virtual School: where PEPs and notices for its children go."""

    local_authority_name = models.CharField(max_length=100)
    la_code = models.CharField(
        "DfE local authority code", max_length=3, unique=True, validators=[three_digits]
    )
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    contact_name = models.CharField(max_length=150, blank=True)

    # The directory's values the audit log keeps (core.audit); a person's name by field only.
    audit_values = frozenset({"local_authority_name", "la_code", "email", "phone", "website"})

    class Meta:
        ordering = ["local_authority_name"]

    def __str__(self) -> str:
        return f"{self.local_authority_name} Virtual School"


class VirtualSchoolContact(models.Model):
    """One school's own contact at a local authority's Virtual School, and the address the
    school has confirmed for children's PEPs.

    The directory (``VirtualSchool``) is shared by every school and only the host's superusers
    change it; this record affects one school only. ``email`` blank means "the directory's
    address". Harbour sends a child's record only to an address someone in the school
    confirmed: ``confirmed_email`` holds that address, so when the address changes (the school
    edits it, or the host changes the directory address the school uses) it no longer matches
    and has to be confirmed again.
    """

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="virtual_school_contacts"
    )
    virtual_school = models.ForeignKey(
        VirtualSchool, on_delete=models.PROTECT, related_name="school_contacts"
    )
    name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=150, blank=True)
    email = models.EmailField(
        blank=True, help_text="Blank: the address in the Virtual School directory"
    )
    confirmed_email = models.EmailField(blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    # What the audit log keeps (core.audit): where PEPs go and whether that was confirmed. The
    # person's name and role are typed by staff: kept by field name only.
    audit_values = frozenset({"email", "address", "confirmed", "source"})

    class Meta:
        ordering = ["virtual_school__local_authority_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "virtual_school"], name="one_contact_per_school_and_authority"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school}'s contact at {self.virtual_school}"

    @property
    def uses_directory_address(self) -> bool:
        return not self.email

    @property
    def address(self) -> str:
        """Where this school's PEPs for the authority's children go."""
        return self.email or self.virtual_school.email

    @property
    def is_confirmed(self) -> bool:
        return bool(self.confirmed_email) and same_address(self.confirmed_email, self.address)


def same_address(a: str, b: str) -> bool:
    return a.strip().lower() == b.strip().lower()
