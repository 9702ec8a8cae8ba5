"""Forms parse what a member of staff or the DSL types; the rules live in ``concerns.services``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from crispy_forms_gds.layout import Field
from django import forms
from django.utils import timezone

from concerns.models import (
    Action,
    BodyMark,
    BodyRegion,
    Category,
    Concern,
    ConcernSettings,
    CpFileTransfer,
    Decision,
)
from concerns.services import MarkInput
from core.forms import form_helper
from pupils.forms import date_field

# Rows of the body map's form: a mark each. Three covers what one person sees at once; more
# marks go in the account, or in a second concern linked to the first.
BODY_MAP_ROWS = 3

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


def _text(label: str, *, rows: int = 5, help_text: str = "", required: bool = True):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
    )


class PupilChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        born = f"born {obj.date_of_birth:%-d %B %Y}"
        return f"{obj.display_name} ({born})"


class CategoryChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class RaiseForm(forms.Form):
    """The concern as its raiser writes it. Who it is about: typed (``pupils=None``, for anyone
    who may not see the cohort: a list of Harbour's children is a list of the children in
    care), or chosen from ``pupils`` by someone who may (``VIEW_COHORT``), who can still type a
    name for a child not in the list."""

    pupil = PupilChoice(
        label="Which child is the concern about?",
        queryset=None,
        required=False,
        empty_label="Choose a child",
    )
    second_pupil = PupilChoice(
        label="Another child it is about (optional)",
        queryset=None,
        required=False,
        empty_label="No other child",
    )
    third_pupil = PupilChoice(
        label="A third child it is about (optional)",
        queryset=None,
        required=False,
        empty_label="No other child",
    )
    child_name = forms.CharField(
        label="The child's name",
        max_length=200,
        required=False,
        help_text="Their full name as you know it. If it is about more than one child, name "
        "each of them.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    child_class = forms.CharField(
        label="Their year group or class",
        max_length=100,
        required=False,
        help_text="For example, Year 5 or 5B",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    child_details = forms.CharField(
        label="Anything else that helps the DSL know who the child is (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, a brother or sister at the school, or the other children there",
    )
    seen_on = date_field("Date it was seen or heard")
    seen_time = forms.TimeField(
        label="Time it was seen or heard",
        input_formats=TIME_FORMATS,
        help_text="24-hour clock, for example 14:05",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the time it was seen or heard",
            "invalid": "Enter the time as hours and minutes, for example 14:05",
        },
    )
    location = forms.CharField(
        label="Where it was seen or heard",
        max_length=200,
        help_text="For example, the playground, Year 5 classroom, on a school trip",
        error_messages={"required": "Enter where it was seen or heard"},
    )
    categories = CategoryChoice(
        label="What kind of concern is it?",
        queryset=Category.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose every one that applies",
        error_messages={"required": "Choose at least one kind of concern"},
    )
    account = _text(
        "What you saw or heard, in your own words",
        rows=8,
        help_text="Facts, not opinions. Write down the child's own words exactly, and any "
        "questions you asked. Do not investigate or promise to keep a secret.",
    )
    immediate_risk = forms.TypedChoiceField(
        label="Is the child at immediate risk of harm?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        help_text="If yes, also find the DSL in person or call 999 now: do not wait for the email.",
        error_messages={"required": "Say whether the child is at immediate risk of harm"},
    )

    def __init__(self, *args, pupils=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.typed = pupils is None
        if self.typed:
            for name in ("pupil", "second_pupil", "third_pupil"):
                del self.fields[name]
            self.fields["child_name"].required = True
            self.fields["child_name"].error_messages["required"] = (
                "Enter the name of the child the concern is about"
            )
            who = [
                Field.text("child_name", field_width=20),
                Field.text("child_class", field_width=10),
                Field.textarea("child_details"),
            ]
        else:
            for name in ("pupil", "second_pupil", "third_pupil"):
                self.fields[name].queryset = pupils
            self.fields["child_name"].label = "If the child is not in the list, their name"
            who = [
                Field.select("pupil"),
                Field.select("second_pupil"),
                Field.select("third_pupil"),
                Field.text("child_name", field_width=20),
                Field.text("child_class", field_width=10),
                Field.textarea("child_details"),
            ]
        for n in range(1, BODY_MAP_ROWS + 1):
            self.fields[f"mark_{n}_side"] = forms.ChoiceField(
                label="Front or back",
                required=False,
                choices=[("", "Choose"), *BodyMark.Side.choices],
            )
            self.fields[f"mark_{n}_region"] = forms.ChoiceField(
                label="Where on the body",
                required=False,
                choices=[("", "Choose where"), *BodyRegion.choices],
            )
            self.fields[f"mark_{n}_description"] = forms.CharField(
                label="What you saw",
                required=False,
                max_length=300,
                help_text="Size, colour, shape, and what the child said about it",
            )
            # Filled in by static/concerns/body-map.js when the outline is clicked.
            self.fields[f"mark_{n}_x"] = forms.CharField(required=False, widget=forms.HiddenInput)
            self.fields[f"mark_{n}_y"] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.helper = form_helper(
            *who,
            Field.text("seen_on", field_width=10),
            Field.text("seen_time", field_width=5),
            Field.text("location", field_width=30),
            Field.checkboxes("categories", small=True),
            Field.textarea("account"),
            Field.radios("immediate_risk", inline=True),
        )

    def mark_rows(self) -> list[dict]:
        """The body map's rows of bound fields, for the template."""
        return [
            {
                "n": n,
                "side": self[f"mark_{n}_side"],
                "region": self[f"mark_{n}_region"],
                "description": self[f"mark_{n}_description"],
                "x": self[f"mark_{n}_x"],
                "y": self[f"mark_{n}_y"],
            }
            for n in range(1, BODY_MAP_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        marks = []
        for n in range(1, BODY_MAP_ROWS + 1):
            side = data.get(f"mark_{n}_side") or ""
            region = data.get(f"mark_{n}_region") or ""
            description = (data.get(f"mark_{n}_description") or "").strip()
            x, y = _percent(data.get(f"mark_{n}_x")), _percent(data.get(f"mark_{n}_y"))
            if not (side or region or description):
                continue
            if not side:
                self.add_error(f"mark_{n}_side", f"Mark {n}: choose the front or the back")
            if not region:
                self.add_error(f"mark_{n}_region", f"Mark {n}: choose where on the body")
            if not description:
                self.add_error(f"mark_{n}_description", f"Mark {n}: describe what you saw")
            if x is None or y is None:
                x = y = None
            marks.append(MarkInput(side, region, description, x, y))
        data["marks"] = marks
        if data.get("seen_on") and data.get("seen_time"):
            data["seen_at"] = timezone.make_aware(
                dt.datetime.combine(data["seen_on"], data["seen_time"])
            )
        chosen = [data.get(n) for n in ("pupil", "second_pupil", "third_pupil")]
        data["pupils"] = list(dict.fromkeys(p for p in chosen if p is not None))
        if not self.typed and not data["pupils"] and not (data.get("child_name") or "").strip():
            self.add_error("pupil", "Choose the child the concern is about, or enter their name")
        return data


def _percent(value) -> Decimal | None:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if Decimal(0) <= number <= Decimal(100) else None


class ChildLinkForm(forms.Form):
    """The DSL team links a concern to the child in Harbour it is about."""

    pupil = PupilChoice(
        label="The child in Harbour",
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the child the concern is about"},
    )
    reason = forms.CharField(
        label="How you know it is this child (optional)",
        max_length=300,
        required=False,
        help_text="For example, checked with the class teacher",
    )

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils
        self.helper = form_helper(Field.radios("pupil"), Field.text("reason", field_width=30))


class ConcernSettingsForm(forms.ModelForm):
    class Meta:
        model = ConcernSettings
        fields = ["no_action_flag_school_days", "raise_window_days", "receipt_chase_school_days"]
        widgets = {name: forms.TextInput(attrs={"inputmode": "numeric"}) for name in fields}
        help_texts = {
            "no_action_flag_school_days": "Harbour's rule is 3; from 1 to 20",
            "raise_window_days": "Harbour's rule is 120 (about a term); from 0 to 730",
            "receipt_chase_school_days": "After the file was sent; Harbour's rule is 10",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("no_action_flag_school_days", field_width=3),
            Field.text("raise_window_days", field_width=3),
            Field.text("receipt_chase_school_days", field_width=3),
        )


class ActionForm(forms.Form):
    kind = forms.ChoiceField(
        label="What was done",
        choices=Action.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what was done"},
    )
    taken_on = date_field("Date it was done")
    taken_by = forms.CharField(
        label="Who did it",
        max_length=200,
        help_text="Name and role, for example Tom Okafor (DSL)",
        error_messages={"required": "Enter who did it"},
    )
    details = _text("What was done and said")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("kind", small=True),
            Field.text("taken_on", field_width=10),
            Field.text("taken_by", field_width=30),
            Field.textarea("details"),
        )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you recording?",
        choices=Decision.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you are recording"},
    )
    decision = _text("The decision or the outcome", rows=4)
    reason = _text(
        "The reason for it", rows=4, help_text="KCSIE asks for the reasons for every decision"
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["kind"].choices = choices
        self.helper = form_helper(
            Field.radios("kind"), Field.textarea("decision"), Field.textarea("reason")
        )


class AddendumForm(forms.Form):
    text = _text(
        "Addendum",
        help_text="A correction or something learned later. The record it adds to stays as it "
        "was written; the addendum shows who added it and when.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("text"))


class LinkForm(forms.Form):
    reference = forms.CharField(
        label="Reference of the concern to link",
        max_length=10,
        help_text="For example, C00012",
        error_messages={"required": "Enter the reference of the concern to link"},
    )
    reason = forms.CharField(
        label="Why they are linked",
        max_length=300,
        error_messages={"required": "Enter why they are linked"},
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.helper = form_helper(
            Field.text("reference", field_width=10), Field.text("reason", field_width=30)
        )

    def clean_reference(self) -> Concern:
        value = self.cleaned_data["reference"].strip().upper().lstrip("C")
        concern = None
        if value.isdigit():
            concern = Concern.objects.filter(pk=int(value), school=self.school).first()
        if concern is None:
            raise forms.ValidationError("There is no concern with that reference at this school")
        return concern


class CpFileSentForm(forms.Form):
    recipient_school = forms.CharField(
        label="School the file was sent to",
        max_length=200,
        error_messages={"required": "Enter the school the file was sent to"},
    )
    sent_on = date_field("Date sent")
    how_sent = forms.ChoiceField(
        label="How it was sent",
        choices=CpFileTransfer.HowSent.choices,
        widget=forms.RadioSelect,
        help_text="Securely, and separately from the pupil file",
        error_messages={"required": "Choose how the file was sent"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("recipient_school", field_width=30),
            Field.text("sent_on", field_width=10),
            Field.radios("how_sent"),
        )


class CpFileReceiptForm(forms.Form):
    confirmed_on = date_field("Date the new school confirmed receipt")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("confirmed_on", field_width=10))


class ChronologyFilterForm(forms.Form):
    KINDS = [
        ("", "Everything"),
        ("concern", "Concerns, actions and decisions"),
        ("status", "Care and social-care status"),
        ("pep", "PEPs"),
        ("roll", "Joining and leaving"),
        ("contact", "Contacts"),
    ]
    kind = forms.ChoiceField(label="Show", choices=KINDS, required=False)
    since = date_field("From", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.select("kind"), Field.text("since", field_width=10))
