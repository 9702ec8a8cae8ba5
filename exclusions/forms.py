"""Forms of the pathway: they parse; the services hold the rules."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from core.forms import form_helper
from exclusions.models import AlternativeKind, Exclusion, Reason
from pupils.forms import date_field


def _text(label: str, *, required: bool = True, rows: int = 4, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
    )


def _layout(form: forms.Form):
    """Each field drawn the GOV.UK way for its widget."""
    fields = []
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect):
            fields.append(Field.radios(name, legend_size=Size.SMALL))
        elif isinstance(widget, forms.Textarea):
            fields.append(Field.textarea(name))
        elif isinstance(widget, forms.CheckboxInput):
            fields.append(Field.checkbox(name))
        elif isinstance(field, forms.DateField):
            fields.append(Field.text(name, field_width=10))
        elif isinstance(field, forms.IntegerField | forms.DecimalField):
            fields.append(Field.text(name, field_width=4))
        else:
            fields.append(Field.text(name))
    return form_helper(*fields)


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _layout(self)


class RiskForm(_Form):
    behaviour = _text("The behaviour")
    risk = _text("The risk", help_text="What might lead to a suspension, and what is in place")


class ConsultationForm(_Form):
    parents_consent_on = date_field(
        "Parents' consent to contact the Virtual School given on",
        required=False,
        help_text="For a child previously in care: the parents' consent comes first",
    )
    consulted_on = date_field("Virtual School consulted on", required=False)
    adviser = forms.CharField(label="Virtual School adviser", max_length=150, required=False)
    advice = _text("The Virtual School's advice", required=False)


class AlternativeForm(_Form):
    kind = forms.ChoiceField(
        label="What was tried",
        choices=AlternativeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what was tried"},
    )
    other = forms.CharField(label="If something else, what", max_length=200, required=False)
    started_on = date_field("Started on")
    ended_on = date_field("Ended on", required=False)
    outcome = _text("Outcome", required=False, rows=3)


class DecisionForm(_Form):
    kind = forms.ChoiceField(
        label="Decision",
        choices=Exclusion.Kind.choices,
        widget=forms.RadioSelect,
        initial=Exclusion.Kind.SUSPENSION,
        error_messages={"required": "Choose a suspension or a permanent exclusion"},
    )
    start_date = date_field("First day")
    unit = forms.ChoiceField(
        label="Length counted in",
        choices=Exclusion.Unit.choices,
        widget=forms.RadioSelect,
        initial=Exclusion.Unit.DAYS,
        required=False,
        help_text="A lunchtime counts as half a school day",
    )
    length = forms.IntegerField(
        label="Length (for a suspension)",
        min_value=1,
        max_value=90,
        required=False,
        error_messages={"invalid": "Enter the length as a whole number"},
    )
    reason = forms.ChoiceField(
        label="Reason",
        choices=[("", "Choose a reason"), *Reason.choices],
        error_messages={"required": "Choose the reason"},
    )
    account = _text("What happened", help_text="The head's account, as the notices will give it")
    public_exam_missed = forms.BooleanField(
        label="The child would miss a public exam or national curriculum test", required=False
    )
    no_consultation_reason = _text(
        "Why the Virtual School could not be consulted first",
        required=False,
        rows=3,
        help_text="Only for a child in care with no consultation recorded: an emergency. It is "
        "flagged on every report.",
    )

    def clean_unit(self):
        return self.cleaned_data.get("unit") or Exclusion.Unit.DAYS


class CancelForm(_Form):
    cancel_reason = _text("Why it is cancelled", rows=3)


class ProvisionForm(_Form):
    provision = _text("Education arranged", help_text="Where, by whom, and the hours")
    provision_from = date_field("From")


class ReintegrationForm(_Form):
    reintegration_on = date_field("Meeting held on")
    attendees = _text("Who attended", rows=2)
    plan = _text("The plan agreed")


class BoardForm(_Form):
    parents_asked_for_meeting = forms.BooleanField(
        label="The parents made representations", required=False
    )
    board_met_on = date_field("The board met on", required=False)
    board_decision = forms.ChoiceField(
        label="Decision",
        choices=[("", "Not yet"), *Exclusion.Outcome.choices],
        required=False,
    )
    independent_review_requested = forms.BooleanField(
        label="An independent review was requested", required=False
    )
    independent_review_outcome = _text("Independent review outcome", required=False, rows=2)


class ReducedTimetableForm(_Form):
    starts_on = date_field("Starts on")
    hours_per_week = forms.DecimalField(
        label="Hours a week in school", min_value=0, max_value=40, decimal_places=1
    )
    reason = _text("Why", help_text="Exceptional circumstances only, such as a medical return")
    parent_agreed_on = date_field("Agreed with the parent on", required=False)
    virtual_school_agreed_on = date_field(
        "Virtual School agreed on", required=False, help_text="For a child in care"
    )
    review_on = date_field("Review date", help_text="No more than six weeks after the start")
    ends_on = date_field("Ends on", required=False)


class TimetableReviewForm(_Form):
    next_review_on = date_field("Next review date", required=False)
    ends_on = date_field("Ends on", required=False)


class SettingsForm(_Form):
    local_authority_email = forms.EmailField(
        label="Local authority exclusions team email",
        required=False,
        help_text="Told of every suspension and permanent exclusion, whatever its length",
    )
    governing_board_email = forms.EmailField(
        label="Clerk to the governing board email",
        required=False,
        help_text="The governing board is told through its clerk",
    )
    in_care_provision_from_day_one = forms.BooleanField(
        label="Education arranged from the first day for a child in care (the law: the sixth)",
        required=False,
    )
    reduced_timetable_needs_virtual_school = forms.BooleanField(
        label="A reduced timetable for a child in care needs the Virtual School's agreement",
        required=False,
    )
    reduced_timetable_review_weeks = forms.IntegerField(
        label="Review a reduced timetable within this many weeks", min_value=1, max_value=12
    )


class WholeSchoolForm(_Form):
    pupils_on_roll = forms.IntegerField(label="Pupils on roll", min_value=1)
    suspensions = forms.IntegerField(label="Suspensions", min_value=0)
    pupils_suspended = forms.IntegerField(label="Pupils suspended at least once", min_value=0)
    suspension_days = forms.DecimalField(
        label="School days of suspension", min_value=0, decimal_places=1, max_digits=7
    )
    permanent_exclusions = forms.IntegerField(label="Permanent exclusions", min_value=0)
