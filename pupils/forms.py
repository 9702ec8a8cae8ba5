"""Forms parse and normalise what a teacher types; the rules live in ``pupils.services``."""

from crispy_forms_gds.layout import Field, Fieldset
from django import forms

from accounts.models import User
from core.forms import form_helper
from pupils.cohort import NC_YEAR_CHOICES
from pupils.models import (
    ContactKind,
    Destination,
    EpisodeKind,
    LeavingTask,
    LegalBasis,
    SenStatus,
    Sex,
)
from pupils.upn import normalise_upn
from schools.models import VirtualSchool

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%Y-%m-%d"]
DATE_HINT = "For example, 27/3/2026"


def date_field(label: str, *, required: bool = True, help_text: str = DATE_HINT):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": f"Enter the {label[0].lower()}{label[1:]}",
            "invalid": f"Enter the {label[0].lower()}{label[1:]} as day/month/year, "
            "for example 27/3/2026",
        },
    )


def _yes_no_unknown(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        required=False,
        choices=[("yes", "Yes"), ("no", "No"), ("", "Not known")],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        widget=forms.RadioSelect,
    )


def _initial_yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")  # type: ignore[arg-type]


class PupilForm(forms.Form):
    legal_forename = forms.CharField(label="Legal first name", max_length=100)
    middle_names = forms.CharField(label="Middle names", max_length=150, required=False)
    legal_surname = forms.CharField(label="Legal last name", max_length=100)
    preferred_forename = forms.CharField(
        label="Preferred first name",
        max_length=100,
        required=False,
        help_text="Leave empty if the child uses their legal first name",
    )
    preferred_surname = forms.CharField(label="Preferred last name", max_length=100, required=False)
    date_of_birth = date_field("Date of birth")
    sex = forms.ChoiceField(
        label="Sex", choices=Sex.choices, widget=forms.RadioSelect, help_text="As on the CTF"
    )
    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        required=False,
        max_length=20,
        help_text="13 characters, from your MIS. For example, B801200005001",
    )
    nc_year = forms.TypedChoiceField(
        label="Year group taught in",
        required=False,
        choices=[("", "Their age group")] + [(str(n), label) for n, label in NC_YEAR_CHOICES],
        coerce=int,
        empty_value=None,
        help_text="Change this only for a child taught outside their age group",
    )
    admission_date = date_field("Admission date", required=False)
    sen_status = forms.ChoiceField(
        label="Special educational needs", choices=SenStatus.choices, widget=forms.RadioSelect
    )
    ehc_plan_review_date = date_field(
        "EHC plan annual review date", required=False, help_text="Only for a child with an EHC plan"
    )
    free_school_meals = forms.BooleanField(label="Eligible for free school meals", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("legal_forename", field_width=20),
            Field.text("middle_names", field_width=20),
            Field.text("legal_surname", field_width=20),
            Field.text("preferred_forename", field_width=20),
            Field.text("preferred_surname", field_width=20),
            Field.text("date_of_birth", field_width=10),
            Field.radios("sex", inline=True),
            Field.text("upn", field_width=10, spellcheck="false"),
            Field.select("nc_year"),
            Field.text("admission_date", field_width=10),
            Field.radios("sen_status"),
            Field.text("ehc_plan_review_date", field_width=10),
            Field.checkbox("free_school_meals"),
        )

    def clean_upn(self) -> str:
        return normalise_upn(self.cleaned_data["upn"])

    @classmethod
    def initial_for(cls, pupil, nc_year: int) -> dict:
        initial = {name: getattr(pupil, name) for name in cls.base_fields if hasattr(pupil, name)}
        initial["nc_year"] = str(nc_year) if pupil.nc_year_offset else ""
        return initial


class CareEpisodeForm(forms.Form):
    kind = forms.ChoiceField(label="Status", choices=EpisodeKind.choices, widget=forms.RadioSelect)
    start_date = date_field("Start date")
    end_date = date_field(
        "End date",
        required=False,
        help_text="The day it ended. Leave empty if it has not ended. " + DATE_HINT,
    )
    legal_basis = forms.ChoiceField(
        label="Legal basis",
        required=False,
        choices=[("", "Not recorded or not applicable")] + list(LegalBasis.choices),
        help_text="In care: the section of the Children Act 1989. Previously in care: how the "
        "child left care. Leave empty for plans and kinship care",
    )
    responsible_authority = forms.ModelChoiceField(
        label="Responsible authority",
        required=False,
        queryset=VirtualSchool.objects.all(),
        empty_label="Not recorded",
        help_text="The local authority (Virtual School) responsible for the child",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_authority"].label_from_instance = lambda vs: (
            f"{vs.local_authority_name} ({vs.la_code})"
        )
        self.helper = form_helper(
            Field.radios("kind"),
            Field.text("start_date", field_width=10),
            Field.text("end_date", field_width=10),
            Field.select("legal_basis"),
            Field.select("responsible_authority"),
            Field.textarea("notes", rows=3),
        )


class EndDateForm(forms.Form):
    end_date = date_field("End date", help_text="The day it ended. " + DATE_HINT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("end_date", field_width=10))


class ContactForm(forms.Form):
    """One form for every kind of contact; ``kind`` decides which fields it has."""

    FIELDS_FOR_KIND = {
        ContactKind.SOCIAL_WORKER: ["name", "team", "email", "phone"],
        ContactKind.CARER: [
            "name",
            "relationship",
            "parental_responsibility",
            "consents_to_virtual_school_advice",
            "email",
            "phone",
        ],
        ContactKind.PARENT: [
            "name",
            "relationship",
            "parental_responsibility",
            "consents_to_virtual_school_advice",
            "email",
            "phone",
        ],
        ContactKind.VIRTUAL_SCHOOL_ADVISER: ["name", "virtual_school", "email", "phone"],
        ContactKind.KEY_ADULT: ["user"],
    }

    name = forms.CharField(label="Full name", max_length=150)
    user = forms.ModelChoiceField(
        label="Member of staff",
        queryset=User.objects.none(),
        empty_label="Choose a member of staff",
        help_text="The trusted adult the child can go to in school",
    )
    relationship = forms.CharField(
        label="Relationship to the child",
        max_length=100,
        required=False,
        help_text="For example, foster carer, adoptive parent, special guardian, mother",
    )
    parental_responsibility = _yes_no_unknown("Do they have parental responsibility?")
    consents_to_virtual_school_advice = _yes_no_unknown(
        "Do they consent to the school asking the Virtual School for advice about the child?",
        help_text="Ask this for a child previously in care",
    )
    team = forms.CharField(label="Team", max_length=150, required=False)
    virtual_school = forms.ModelChoiceField(
        label="Virtual School",
        required=False,
        queryset=VirtualSchool.objects.all(),
        empty_label="Not recorded",
    )
    email = forms.EmailField(label="Email address", max_length=254, required=False)
    phone = forms.CharField(label="Phone number", max_length=40, required=False)
    start_date = date_field("Start date", help_text="When they became involved. " + DATE_HINT)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kind: str, school, **kwargs):
        super().__init__(*args, **kwargs)
        keep = {*self.FIELDS_FOR_KIND[kind], "start_date", "notes"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "user" in self.fields:
            self.fields["user"].queryset = (
                User.objects.filter(memberships__school=school, is_active=True)
                .distinct()
                .order_by("full_name")
            )
        layout = []
        for name in self.fields:
            if name in ("parental_responsibility", "consents_to_virtual_school_advice"):
                layout.append(Field.radios(name, inline=True))
            elif name in ("user", "virtual_school"):
                layout.append(Field.select(name))
            elif name == "notes":
                layout.append(Field.textarea(name, rows=3))
            elif name == "start_date":
                layout.append(Field.text(name, field_width=10))
            else:
                layout.append(Field.text(name, field_width=20))
        self.helper = form_helper(*layout)


class LeavingForm(forms.Form):
    leaving_date = date_field("Last day on roll")
    destination = forms.ChoiceField(
        label="Where is the child going?", choices=Destination.choices, widget=forms.RadioSelect
    )
    destination_school_name = forms.CharField(
        label="Name of the new school or college", max_length=200, required=False
    )
    destination_school_urn = forms.CharField(
        label="URN of the new school (if known)",
        max_length=7,
        required=False,
        help_text="6 or 7 digits, from Get Information about Schools",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("leaving_date", field_width=10),
            Field.radios("destination"),
            Fieldset(
                Field.text("destination_school_name", field_width=30),
                Field.text("destination_school_urn", field_width=10),
                legend="If the child is going to another school or college",
                legend_size="s",
            ),
        )


class LeavingTaskForm(forms.Form):
    completed_on = date_field("Date it was done")
    notes = forms.CharField(
        label="Notes",
        required=False,
        help_text="For example, how it was sent and who confirmed receipt",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, task: LeavingTask, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("completed_on", field_width=10), Field.textarea("notes", rows=3)
        )
