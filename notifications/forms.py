from crispy_forms_gds.layout import Field, Fluid
from django import forms

from core.forms import form_helper


class OutboxFilterForm(forms.Form):
    """Layout for the outbox's filters; ``OutboxFilter`` adds the fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("q", field_width=Fluid.ONE_HALF),
            Field.select("state"),
        )
