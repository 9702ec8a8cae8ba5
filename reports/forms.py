"""The reports app's forms: they parse; the services hold the rules."""

from crispy_forms_gds.layout import Field
from django import forms

from accounts.models import User
from core.forms import form_helper
from peps.models import SCALE_VALUES
from reports.models import GovernorsReport, ReportSettings, TrainingKind, TrainingRecord


class ReportRequestForm(forms.Form):
    period = forms.ChoiceField(label="Period")

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = choices
        self.helper = form_helper(Field.select("period"))


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label="What went well, and what next",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Governors read this. Do not name a child or write anything that identifies one.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("text"))


class PeerAttainmentForm(forms.Form):
    term = forms.ChoiceField(label="Term")
    subject = forms.CharField(max_length=100)
    point = forms.ChoiceField(label="At this point or above")
    percent = forms.DecimalField(
        label="Percentage of all pupils", min_value=0, max_value=100, decimal_places=1
    )

    def __init__(self, *args, terms, scale, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = [(str(t.pk), str(t)) for t in terms]
        self.fields["point"].choices = [(v, v) for v in SCALE_VALUES[scale]]
        self.helper = form_helper(
            Field.select("term"),
            Field.text("subject"),
            Field.select("point"),
            Field.text("percent", field_width=4),
        )


class PeerAttainmentUploadForm(forms.Form):
    term = forms.ChoiceField(label="Term")
    file = forms.FileField(
        label="CSV file",
        help_text="Columns subject, point and percent: one row for each subject and scale point. "
        "Every row is checked; if any is wrong, nothing is saved and each problem is listed.",
    )

    def __init__(self, *args, terms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = [(str(t.pk), str(t)) for t in terms]
        self.helper = form_helper(Field.select("term"), Field("file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 200_000:
            raise forms.ValidationError("The file is too large for a table of figures.")
        return upload


class TermlyAttainmentForm(forms.Form):
    subject = forms.CharField(max_length=100)
    current = forms.ChoiceField(label="Working at")

    def __init__(self, *args, scale, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["current"].choices = [(v, v) for v in SCALE_VALUES[scale]]
        self.helper = form_helper(Field.text("subject"), Field.select("current"))


class TrainingForm(forms.ModelForm):
    class Meta:
        model = TrainingRecord
        fields = ["course", "kind", "date", "hours", "provider", "attendees", "staff_attending"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "attendees": forms.CheckboxSelectMultiple,
        }
        labels = {"staff_attending": "How many staff attended (a whole-staff session)"}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = TrainingKind.choices
        self.fields["attendees"].queryset = (
            User.objects.filter(memberships__school=school, is_active=True)
            .distinct()
            .order_by("full_name")
        )
        self.fields["attendees"].label_from_instance = lambda u: u.full_name
        self.helper = form_helper(
            Field.text("course"),
            Field.select("kind"),
            Field.text("date", field_width=10),
            Field.text("hours", field_width=4),
            Field.text("provider"),
            Field.checkboxes("attendees", small=True),
            Field.text("staff_attending", field_width=4),
        )


class ReportSettingsForm(forms.ModelForm):
    class Meta:
        model = ReportSettings
        fields = ["small_group_threshold", "expected_training_days", "hours_per_training_day"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("small_group_threshold", field_width=4),
            Field.text("expected_training_days", field_width=4),
            Field.text("hours_per_training_day", field_width=4),
        )


REPORT_KINDS = GovernorsReport.Kind
