"""Forms parse and normalise; the rules live in ``attendance.services``."""

from crispy_forms_gds.layout import Field
from django import forms

from attendance.models import AttendanceNotice
from core.forms import form_helper
from pupils.ctf import MAX_CTF_BYTES
from pupils.forms import date_field

MAX_FILE_BYTES = 50 * 1024 * 1024  # a school year for 2,000 children is about 20 MB


class _UploadForm(forms.Form):
    """One file, read into ``content`` once it is within ``max_bytes``."""

    max_bytes: int
    too_big: str

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.content = b""
        self.helper = form_helper(Field("file"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > self.max_bytes:
            raise forms.ValidationError(self.too_big)
        self.content = uploaded.read()
        return uploaded


class MarksUploadForm(_UploadForm):
    max_bytes = MAX_FILE_BYTES
    too_big = "The file is larger than 50 MB. Split it by term."
    file = forms.FileField(
        label="Upload a CSV file of session marks",
        help_text="Columns UPN, date, session (AM or PM), code. Up to 50 MB.",
        error_messages={
            "required": "Choose a CSV file to upload",
            "empty": "The file is empty. Export it again from your MIS.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class CtfUploadForm(_UploadForm):
    max_bytes = MAX_CTF_BYTES
    too_big = "The file is larger than 5 MB. Export fewer pupils at a time."
    file = forms.FileField(
        label="Upload a Common Transfer File (CTF)",
        help_text="The .xml file your MIS exports or received from another school. Up to 5 MB.",
        error_messages={
            "required": "Choose a CTF file to upload",
            "empty": "The file is empty. Export it again from your MIS.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,text/xml,application/xml"}),
    )


class PlacementMoveForm(forms.Form):
    first_day = date_field("First day of the move")
    last_day = date_field("Last day of the move")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("first_day", field_width=10), Field.text("last_day", field_width=10)
        )


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a whole number",
            "min_value": f"The {label.lower()} cannot be negative",
        },
    )


class PeerFiguresForm(forms.Form):
    possible_sessions = _count("Possible sessions")
    attended_sessions = _count("Sessions attended")
    persistently_absent = _count("Pupils persistently absent")
    on_roll = _count("Pupils on roll")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(*(Field.text(n, field_width=10) for n in self.fields))


class NotSentForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is this notice not sent?",
        choices=AttendanceNotice.NotSentReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the notice is not sent"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("reason"))


class AttendanceSettingsForm(forms.Form):
    threshold_percent = forms.DecimalField(
        label="Attendance threshold (%)",
        help_text=(
            "A concern opens when a child's attendance over the last four weeks or the term "
            "falls below this. 90% is the line below which a child is persistently absent."
        ),
        max_digits=4,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": "Enter the attendance threshold",
            "invalid": "Enter the threshold as a number, like 90 or 92.5",
            "max_digits": "Enter a percentage from 50 to 100",
            "max_decimal_places": "Enter the threshold to one decimal place at most",
        },
    )
    unexplained_sessions = forms.IntegerField(
        label="Consecutive unexplained sessions",
        help_text="A concern opens after this many sessions in a row coded N, O or U.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of sessions",
            "invalid": "Enter the number of sessions as a whole number",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("threshold_percent", field_width=5),
            Field.text("unexplained_sessions", field_width=5),
        )
