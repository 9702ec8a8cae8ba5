"""Forms parse what a teacher types; the rules (what completing a PEP needs, what a locked PEP
refuses) live in ``peps.services``. Every field of the meeting form is optional: a draft may
be saved at any point."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from core.forms import form_helper
from peps.models import (
    SCALE_VALUES,
    AttainmentScale,
    PepAttendee,
    PepSettings,
    TargetArea,
    TargetReview,
)
from peps.sdq import Informant, impact_max
from pupils.forms import date_field
from pupils.models import SenStatus


def _show_dates_as_typed(form, *names) -> None:
    """Show a saved date as a teacher types one (27/03/2026), not as ISO 2026-03-27. (A
    DateInput would, but crispy-forms-gds renders it unstyled, as it does a NumberInput.)"""
    for name in names:
        value = form.initial.get(name)
        if hasattr(value, "strftime"):
            form.initial[name] = value.strftime("%d/%m/%Y")


def _text(label: str, *, required: bool = False, rows: int = 4, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _whole_number(label: str, *, required: bool = True, help_text: str = "", top: int = 10):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=top,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": f"Enter the {label[0].lower()}{label[1:]} score",
            "invalid": f"Enter the {label[0].lower()}{label[1:]} score as a whole number",
            "min_value": f"The {label[0].lower()}{label[1:]} score must be 0 or more",
            "max_value": f"The {label[0].lower()}{label[1:]} score must be {top} or less",
        },
    )


class StartForm(forms.Form):
    term = forms.TypedChoiceField(
        label="Which term is this PEP for?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the term this PEP is for"},
    )

    def __init__(self, *args, terms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = [(t.pk, str(t)) for t in terms]
        if len(terms) == 1:
            self.fields["term"].initial = terms[0].pk
        self.helper = form_helper(Field.radios("term", legend_size=Size.MEDIUM))


class MeetingForm(forms.Form):
    """The PEP meeting record, every part optional in a draft."""

    meeting_date = date_field("Date of the meeting", required=False)
    meeting_place = forms.CharField(
        label="Where the meeting was held", required=False, max_length=200
    )

    voice_going_well = _text("What is going well?", help_text="In the child's own words")
    voice_hard = _text("What is hard?", help_text="In the child's own words")
    voice_would_like = _text("What would they like?", help_text="In the child's own words")
    voice_how_helped = _text("How do they like to be helped?", help_text="In the child's own words")
    voice_how_gathered = _text(
        "How were the child's views gathered?",
        rows=2,
        help_text="For example, at the meeting, with their key adult beforehand, in writing",
    )

    carer_views = _text("Carer's views")
    social_worker_views = _text("Social worker's views")
    virtual_school_views = _text("Virtual School adviser's views")

    sen_status = forms.ChoiceField(
        label="SEN status",
        required=False,
        choices=SenStatus.choices,
        widget=forms.RadioSelect,
        help_text="As at the meeting. Taken from the child's record when the PEP was started",
    )
    sen_notes = _text("Needs and provision", rows=3)

    attendance_percent = forms.DecimalField(
        label="Attendance this school year (%)",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="For example, 94.5",
        error_messages={
            "invalid": "Enter attendance as a percentage, for example 94.5",
            # Django fills in its parameters with %, so a literal percent sign is doubled.
            "max_value": "Attendance cannot be more than 100%%",
            "min_value": "Attendance cannot be less than 0%%",
            "max_decimal_places": "Enter attendance to one decimal place, for example 94.5",
        },
    )
    suspensions = forms.IntegerField(
        label="Suspensions this school year",
        required=False,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Enter the number of suspensions as a whole number"},
    )
    suspension_days = forms.DecimalField(
        label="School days suspended this school year",
        required=False,
        min_value=0,
        max_digits=4,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="Half days as .5",
        error_messages={"invalid": "Enter the number of school days, for example 1.5"},
    )
    attendance_notes = _text("Notes on attendance and exclusions", rows=3)

    attainment_scale = forms.ChoiceField(
        label="Attainment scale",
        choices=AttainmentScale.choices,
        widget=forms.RadioSelect,
        help_text="The subjects are added on the PEP page, on this scale",
    )
    transition_plans = _text(
        "Transition plans",
        rows=3,
        help_text="Moves of class, key stage, school or placement, and how they will be managed",
    )
    next_meeting_date = date_field("Date of the next PEP meeting", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _show_dates_as_typed(self, "meeting_date", "next_meeting_date")
        # In the order of the PEP page and the PDF.
        self.helper = form_helper(
            Fieldset(
                Field.text("meeting_date", field_width=10),
                Field.text("meeting_place", field_width=30),
                legend="The meeting",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("voice_going_well", rows=3),
                Field.textarea("voice_hard", rows=3),
                Field.textarea("voice_would_like", rows=3),
                Field.textarea("voice_how_helped", rows=3),
                Field.textarea("voice_how_gathered", rows=2),
                legend="The child's voice",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("carer_views", rows=3),
                Field.textarea("social_worker_views", rows=3),
                Field.textarea("virtual_school_views", rows=3),
                legend="Views of the carer, social worker and Virtual School",
                legend_size=Size.MEDIUM,
            ),
            Field.radios("attainment_scale", legend_size=Size.MEDIUM),
            Fieldset(
                Field.text("attendance_percent", field_width=5),
                Field.text("suspensions", field_width=3),
                Field.text("suspension_days", field_width=4),
                Field.textarea("attendance_notes", rows=3),
                legend="Attendance and exclusions this school year",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("sen_status", legend_size=Size.SMALL),
                Field.textarea("sen_notes", rows=3),
                legend="Special educational needs",
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("transition_plans", rows=3, label_size=Size.MEDIUM),
            Field.text("next_meeting_date", field_width=10, label_size=Size.MEDIUM),
        )


class AttendeeForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=150, error_messages={"required": "Enter the person's name"}
    )
    role = forms.ChoiceField(
        label="Role",
        choices=PepAttendee.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the person's role"},
    )
    attendance = forms.ChoiceField(
        label="Attendance",
        choices=PepAttendee.Attendance.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether they were present, sent apologies or contributed in writing"
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("name", field_width=20),
            Field.radios("role", legend_size=Size.SMALL),
            Field.radios("attendance", legend_size=Size.SMALL),
        )


class AttainmentForm(forms.Form):
    subject = forms.CharField(
        label="Subject", max_length=100, error_messages={"required": "Enter the subject"}
    )
    current = forms.ChoiceField(
        label="Current attainment", error_messages={"required": "Choose the current attainment"}
    )
    expected = forms.ChoiceField(
        label="Expected by the end of the year",
        error_messages={"required": "Choose the expected attainment"},
    )
    notes = forms.CharField(label="Notes", required=False, max_length=300)

    def __init__(self, *args, scale: str, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Choose")] + [(v, v) for v in SCALE_VALUES[scale]]
        self.fields["current"].choices = choices
        self.fields["expected"].choices = choices
        self.helper = form_helper(
            Field.text("subject", field_width=20),
            Field.select("current"),
            Field.select("expected"),
            Field.text("notes"),
        )


class TargetForm(forms.Form):
    """A SMART target. In a draft any part may wait; completing the PEP needs them all."""

    area = forms.ChoiceField(
        label="Area",
        choices=TargetArea.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the area of the target"},
    )
    action = _text(
        "What will be done?",
        rows=3,
        help_text="Specific: for example, 20 minutes of one-to-one reading with Mr Hale on "
        "Tuesdays and Thursdays",
    )
    success_measure = _text(
        "How will success be measured?",
        rows=2,
        help_text="For example, reading age up from 8 years 2 months to 9 years",
    )
    responsible = forms.CharField(label="Who will do it?", required=False, max_length=200)
    due_by = date_field("By when?", required=False)
    pp_plus_amount = forms.DecimalField(
        label="PP+ requested (£)",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="Leave empty if this target needs no PP+",
        error_messages={
            "invalid": "Enter the PP+ amount in pounds, for example 450 or 450.00",
            "min_value": "The PP+ amount cannot be negative",
        },
    )
    pp_plus_purpose = forms.CharField(
        label="What will the PP+ pay for?",
        required=False,
        max_length=300,
        help_text="For example, a term of weekly tutoring",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _show_dates_as_typed(self, "due_by")
        self.helper = form_helper(
            Field.radios("area", legend_size=Size.SMALL),
            Field.textarea("action", rows=3),
            Field.textarea("success_measure", rows=2),
            Field.text("responsible", field_width=20),
            Field.text("due_by", field_width=10),
            Field.text("pp_plus_amount", field_width=5),
            Field.text("pp_plus_purpose"),
        )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Was the target achieved?",
        choices=TargetReview.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose achieved, partly achieved or not achieved"},
    )
    evidence = _text(
        "Evidence",
        required=True,
        rows=3,
        help_text="What shows it was, or was not, achieved",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].error_messages["required"] = (
            "Say what shows the target was or was not achieved"
        )
        self.helper = form_helper(
            Field.radios("outcome", legend_size=Size.SMALL), Field.textarea("evidence", rows=3)
        )


class CorrectionForm(forms.Form):
    reason = _text(
        "What is wrong in the completed PEP?",
        required=True,
        rows=3,
        help_text="This is kept with the new version and shown on the PDF",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = (
            "Say what is wrong in the completed PEP and why it is being corrected"
        )
        self.helper = form_helper(Field.textarea("reason", rows=3))


class SdqForm(forms.Form):
    """The six scores a paper SDQ produces: never the questions (DOMAIN.md 5.4)."""

    taken_on = date_field("Date the SDQ was completed")
    informant = forms.ChoiceField(
        label="Who completed it?",
        choices=Informant.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who completed the SDQ"},
    )
    emotional = _whole_number("Emotional symptoms", help_text="0 to 10")
    conduct = _whole_number("Conduct problems", help_text="0 to 10")
    hyperactivity = _whole_number("Hyperactivity and inattention", help_text="0 to 10")
    peer = _whole_number("Peer relationship problems", help_text="0 to 10")
    prosocial = _whole_number("Prosocial behaviour", help_text="0 to 10")
    impact = _whole_number(
        "Impact",
        required=False,
        help_text="0 to 10 (teacher: 0 to 6). Leave empty if the impact questions were not "
        "answered",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("taken_on", field_width=10),
            Field.radios("informant", legend_size=Size.SMALL),
            Fieldset(
                Field.text("emotional", field_width=2),
                Field.text("conduct", field_width=2),
                Field.text("hyperactivity", field_width=2),
                Field.text("peer", field_width=2),
                Field.text("prosocial", field_width=2),
                Field.text("impact", field_width=2),
                legend="Scores from the scoring sheet",
                legend_size=Size.SMALL,
            ),
        )

    def clean(self):
        cleaned = super().clean()
        informant, impact = cleaned.get("informant"), cleaned.get("impact")
        if informant and impact is not None and impact > impact_max(Informant(informant)):
            self.add_error(
                "impact",
                f"The impact score on the {Informant(informant).label.lower()} SDQ is 0 to "
                f"{impact_max(Informant(informant))}",
            )
        return cleaned


class PepSettingsForm(forms.ModelForm):
    class Meta:
        model = PepSettings
        fields = [
            "first_pep_school_days",
            "due_window_school_days",
            "termly_deadline_school_days_before_end",
            "attainment_scale",
        ]
        widgets = {
            "first_pep_school_days": forms.TextInput(attrs={"inputmode": "numeric"}),
            "due_window_school_days": forms.TextInput(attrs={"inputmode": "numeric"}),
            "termly_deadline_school_days_before_end": forms.TextInput(
                attrs={"inputmode": "numeric"}
            ),
            "attainment_scale": forms.RadioSelect,
        }
        help_texts = {
            "first_pep_school_days": "Harbour's rule is 20; your school may set fewer",
            "due_window_school_days": "At least 15",
            "termly_deadline_school_days_before_end": "0 means by the last school day of term",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("first_pep_school_days", field_width=3),
            Field.text("due_window_school_days", field_width=3),
            Field.text("termly_deadline_school_days_before_end", field_width=3),
            Field.radios("attainment_scale", legend_size=Size.SMALL),
        )
