"""Forms parse what a teacher types into domain types (``Decimal`` pounds, dates); the rules
live in ``pupil_premium.services``."""

from crispy_forms_gds.layout import Field
from django import forms

from core.forms import form_helper
from pupil_premium.models import Category, FundingGroup
from pupils.forms import date_field


def money_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": f"Enter the {label[0].lower()}{label[1:]}",
            "invalid": "Enter an amount in pounds and pence, like 450 or 450.00",
            "max_decimal_places": "Enter the amount to the nearest penny",
            "min_value": "The amount cannot be negative",
        },
    )


def _reason(label: str, help_text: str = "", required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


OVERRIDE_HELP = (
    "Only if this goes over what is left of the child's PP+ for the year: say why. The reason "
    "is shown on the ledger."
)


class AllocationForm(forms.Form):
    amount = money_field("Amount (£)", required=False)
    received_on = date_field("Date received", required=False)
    notes = _reason("Notes", "For example, released per term on a completed PEP, or pooled")

    def __init__(self, *args, group: str, default: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if group == FundingGroup.CPIC:
            self.fields["amount"].help_text = (
                f"Leave empty for the year's rate{f' ({default})' if default else ''}: the "
                "school receives it through the census"
            )
        else:
            self.fields["amount"].help_text = "What the Virtual School released for this child"
        self.helper = form_helper(Field.text("amount", field_width=10), "received_on", "notes")


class ItemForm(forms.Form):
    date = date_field("Date")
    description = forms.CharField(label="What it pays for", max_length=300)
    category = forms.ChoiceField(
        label="Category",
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a category"},
    )
    amount = money_field("Amount (£)")
    supplier = forms.CharField(label="Supplier", required=False, max_length=200)
    target = forms.TypedChoiceField(
        label="PEP target it pays towards", required=False, coerce=int, empty_value=None
    )
    parents_involvement = _reason(
        "How the parents were involved",
        "For a child previously in care: optional, but parents ask how PP+ is spent",
    )

    def __init__(self, *args, targets=(), in_care: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {t.pk: t for t in targets}
        self.fields["target"].choices = [("", "Choose a target")] + [
            (t.pk, f"{t.pep.term}: {t}") for t in targets
        ]
        if in_care:
            self.fields[
                "target"
            ].help_text = (
                "For a child in care, PP+ is spent on the needs in the PEP: choose its target"
            )
            del self.fields["parents_involvement"]
        names = [
            "date",
            "description",
            "category",
            Field.text("amount", field_width=10),
            "supplier",
            "target",
        ]
        if not in_care:
            names.append("parents_involvement")
        self.helper = form_helper(*names)

    def clean_target(self):
        pk = self.cleaned_data.get("target")
        return self.targets.get(pk) if pk else None


class ItemEditForm(forms.Form):
    """A request put right before it is decided (the date, target and group stay as asked)."""

    description = forms.CharField(label="What it pays for", max_length=300)
    category = forms.ChoiceField(
        label="Category",
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a category"},
    )
    amount = money_field("Amount (£)")
    supplier = forms.CharField(label="Supplier", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            "description", "category", Field.text("amount", field_width=10), "supplier"
        )


class ApproveForm(forms.Form):
    virtual_school_approved_on = date_field("Date the Virtual School approved it", required=False)
    virtual_school_reference = forms.CharField(
        label="The Virtual School's reference", required=False, max_length=100
    )
    over_allocation_reason = _reason("Reason for going over the allocation", OVERRIDE_HELP)

    def __init__(self, *args, in_care: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not in_care:
            del self.fields["virtual_school_approved_on"]
            del self.fields["virtual_school_reference"]
        self.helper = form_helper(*self.fields)


class DeclineForm(forms.Form):
    reason = _reason("Why was it declined?", required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("reason")


class SpendForm(forms.Form):
    spent_on = date_field("Date paid")
    amount = money_field(
        "Actual cost (£)", required=False, help_text="Leave empty if it cost what was approved"
    )
    supplier = forms.CharField(label="Supplier", required=False, max_length=200)
    over_allocation_reason = _reason("Reason for going over the allocation", OVERRIDE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            "spent_on", Field.text("amount", field_width=10), "supplier", "over_allocation_reason"
        )


class ImpactForm(forms.Form):
    note = _reason("What did it achieve?", "What changed for the child, and how you know", True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("note")


class RateForm(forms.Form):
    financial_year = forms.TypedChoiceField(label="Financial year", coerce=int)
    group = forms.ChoiceField(label="Group", choices=FundingGroup.choices, widget=forms.RadioSelect)
    amount = money_field("Rate per child (£)")

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = [(y, f"April {y} to March {y + 1}") for y in years]
        self.helper = form_helper("financial_year", "group", Field.text("amount", field_width=10))
