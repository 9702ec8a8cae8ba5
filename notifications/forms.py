from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout
from django import forms


class OutboxFilterForm(forms.Form):
    """Layout for the outbox's filters; ``OutboxFilter`` adds the fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("q", field_width=Fluid.ONE_HALF),
            Field.select("state"),
        )
