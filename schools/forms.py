"""Forms for term dates and the Virtual School directory. They parse what was typed; the
rules (terms in order, inside their year) live in ``schools.services``."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from core.forms import form_helper
from schools.models import VirtualSchool
from schools.schooldays import TERM_NAMES, TermDates
from schools.services import TERM_FIELDS, VIRTUAL_SCHOOL_FIELDS

# Day month year first, as people in English schools write dates; ISO for pasted values.
DATE_INPUT_FORMATS = [
    "%d %m %Y",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y-%m-%d",
]
DATE_HINT = "For example, 3 9 2025"


def date_field(label: str, what: str, *, required: bool = True, hint: str = DATE_HINT):
    """A date typed into one text box. ``what`` names the date in error messages: "the first
    day of the autumn term"."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=hint,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            format="%-d %-m %Y", attrs={"class": "govuk-input govuk-input--width-10"}
        ),
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"Enter {what} as a date, for example 3 9 2025",
        },
    )


def _term_date_fields(form: forms.Form, prefix: str, term_label: str) -> None:
    """The four date fields of one term, named ``<prefix>first_day`` etc."""
    form.fields[f"{prefix}first_day"] = date_field(
        "First day of term", f"the first day of the {term_label}"
    )
    form.fields[f"{prefix}last_day"] = date_field(
        "Last day of term", f"the last day of the {term_label}"
    )
    form.fields[f"{prefix}half_term_first_day"] = date_field(
        "First weekday of the half-term break",
        f"the first day of the {term_label} half-term break",
        required=False,
    )
    form.fields[f"{prefix}half_term_last_day"] = date_field(
        "Last weekday of the half-term break",
        f"the last day of the {term_label} half-term break",
        required=False,
        hint="For example, 31 10 2025. Leave both half-term boxes blank if there is none",
    )


def _date_fields(prefix: str) -> list:
    return [Field.text(f"{prefix}{name}") for name in TERM_FIELDS]


class AcademicYearForm(forms.Form):
    """A school year and its three terms on one page: nothing is saved until all are right."""

    start_year = forms.IntegerField(
        label="Which school year are these dates for?",
        help_text="The year it starts in. For example, 2026 for the school year 2026 to 2027",
        min_value=2000,
        max_value=2099,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the year the school year starts in, for example 2026",
            "invalid": "Enter the year as four digits, for example 2026",
            "min_value": "Enter a year from 2000 onwards",
            "max_value": "Enter a year before 2100",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fieldsets = []
        for name in TERM_NAMES:
            _term_date_fields(self, f"{name}_", f"{name} term")
            fieldsets.append(
                Fieldset(
                    *_date_fields(f"{name}_"),
                    legend=f"{name.capitalize()} term",
                    legend_size=Size.MEDIUM,
                )
            )
        self.helper = form_helper(Field.text("start_year", field_width=4), *fieldsets)

    def terms(self) -> list[TermDates]:
        data = self.cleaned_data
        return [
            TermDates(
                academic_year=data["start_year"],
                name=name,
                **{field: data.get(f"{name}_{field}") for field in TERM_FIELDS},
            )
            for name in TERM_NAMES
        ]


class TermForm(forms.Form):
    def __init__(self, *args, term_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        _term_date_fields(self, "", term_label)
        self.helper = form_helper(*_date_fields(""))


class ClosureForm(forms.Form):
    first_day = date_field("First day the school is closed", "the first day the school is closed")
    last_day = date_field(
        "Last day the school is closed",
        "the last day the school is closed",
        required=False,
        hint="Leave blank if the school is closed for one day only",
    )
    reason = forms.CharField(
        label="Reason",
        help_text="For example, INSET day, May Day bank holiday, snow",
        max_length=100,
        error_messages={
            "required": "Enter the reason the school is closed",
            "max_length": "The reason must be 100 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("first_day"), Field.text("last_day"), Field.text("reason")
        )


class VirtualSchoolForm(forms.Form):
    local_authority_name = forms.CharField(
        label="Local authority",
        max_length=100,
        help_text="For example, Cambridgeshire",
        error_messages={"required": "Enter the name of the local authority"},
    )
    la_code = forms.RegexField(
        label="DfE local authority code",
        regex=r"^\d{3}$",
        help_text="Three digits. For example, 873 for Cambridgeshire",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the three-digit DfE local authority code",
            "invalid": "Enter the DfE local authority code as three digits, for example 873",
        },
    )
    email = forms.EmailField(
        label="Email address",
        help_text="Where PEPs and notices for this authority's children go",
        error_messages={
            "required": "Enter the Virtual School's email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        assume_scheme="https",
        widget=forms.TextInput(),
        error_messages={"invalid": "Enter a web address in the correct format, like https://..."},
    )
    contact_name = forms.CharField(
        label="Contact name (optional)",
        max_length=150,
        required=False,
        help_text="The Virtual School Head or the person the school deals with",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("local_authority_name"),
            Field.text("la_code", field_width=3),
            Field.text("email", spellcheck="false"),
            Field.text("phone", field_width=20),
            Field.text("website", spellcheck="false"),
            Field.text("contact_name"),
        )

    @staticmethod
    def initial_for(virtual_school: VirtualSchool) -> dict:
        return {name: getattr(virtual_school, name) for name in VIRTUAL_SCHOOL_FIELDS}


class VirtualSchoolContactForm(forms.Form):
    """A school's own contact at a Virtual School; it changes nothing for any other school."""

    name = forms.CharField(
        label="Name (optional)",
        max_length=150,
        required=False,
        help_text="The person your school deals with, for example the child's education adviser",
    )
    role = forms.CharField(
        label="Role (optional)",
        max_length=150,
        required=False,
        help_text="For example, Education adviser or Virtual School Head",
    )
    email = forms.EmailField(
        label="Email address for PEPs (optional)",
        required=False,
        help_text="Leave blank to use the address in Harbour's Virtual School directory",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("name"), Field.text("role"), Field.text("email", spellcheck="false")
        )
