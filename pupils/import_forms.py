"""The upload form of the pupil import: it reads the file, so every reason a file cannot be
imported at all is shown on the form as an error."""

import datetime as dt

from crispy_forms_gds.layout import Field
from django import forms

from core.forms import form_helper
from pupils.imports import MAX_FILE_BYTES, ImportFile, ImportFileError, import_file_read


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text=(
            f"A CSV file made from Harbour's template, or a Common Transfer File (.xml). Up to "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB."
        ),
        error_messages={
            "required": "Choose a CSV file or a Common Transfer File to upload",
            "empty": "The file is empty. Choose the file again, or export it again.",
            "invalid": "Choose a CSV file or a Common Transfer File to upload",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xml,text/csv,text/xml"}),
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.upload: ImportFile | None = None
        self.content = b""
        self.helper = form_helper(Field("file"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        # Refuse an oversized upload before reading it into memory.
        if uploaded.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB. Split it into "
                "smaller files (for example one year group each) and import them one after "
                "another."
            )
        content = uploaded.read(MAX_FILE_BYTES + 1)
        try:
            self.upload = import_file_read(name=uploaded.name, data=content, today=self.today)
        except ImportFileError as error:
            raise forms.ValidationError(error.message) from error
        self.content = content
        return uploaded
