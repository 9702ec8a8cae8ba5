"""Forms for asking for views (the designated teacher) and giving them (the contributor)."""

from __future__ import annotations

from crispy_forms_gds.layout import HTML, Field, Size
from django import forms
from django.template.loader import render_to_string

from core.forms import form_helper
from peps.contributions.questions import QUESTIONS, Audience, questions_for


class RequestForm(forms.Form):
    """Whom to ask and which questions. ``people`` are (value, label, audience, name, email)
    tuples built by the view from the child's contacts and the adults in school."""

    person = forms.ChoiceField(label="Who are you asking?", widget=forms.RadioSelect)
    questions = forms.MultipleChoiceField(
        label="Which questions should they answer?",
        widget=forms.CheckboxSelectMultiple,
        choices=[(q.key, f"{q.audience.label}: {q.text}") for q in QUESTIONS],
        help_text="Only the questions for the person you ask are sent",
    )
    easy_read = forms.BooleanField(
        label="Easy-read questions with pictures (for the child)", required=False
    )

    def __init__(self, *args, people: list[tuple], **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {p[0]: p for p in people}
        self.fields["person"].choices = [(p[0], p[1]) for p in people]
        self.helper = form_helper(
            Field.radios("person", legend_size=Size.MEDIUM),
            Field.checkboxes("questions", legend_size=Size.MEDIUM),
            Field.checkbox("easy_read"),
        )

    def clean(self):
        data = super().clean()
        person = self.people.get(data.get("person"))
        if person is None:
            return data
        audience = person[2]
        allowed = {q.key for q in questions_for(audience)}
        chosen = data.get("questions") or []
        if chosen and not set(chosen) & allowed:
            self.add_error(
                "questions",
                f"Choose at least one question for the {Audience(audience).label.lower()}",
            )
        data["questions"] = [key for key in chosen if key in allowed]
        data["audience"], data["name"], data["email"], data["contact"] = person[2:6]
        return data


class SetAsideForm(forms.Form):
    reason = forms.CharField(
        label="Why are you setting this answer aside?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person's words are kept with your reason; they are not put in the PEP",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("reason")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Enter the six-digit code from the email",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("code", field_width=5))

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code.isascii() or not code.isdigit():
            raise forms.ValidationError("The code is six numbers, like 123456")
        return code


def easy_read_icon(question) -> str:
    return render_to_string(
        f"peps/contributions/icons/{question.icon}.svg",
        {"key": question.key, "alt": question.icon_alt},
    )


class AnswerForm(forms.Form):
    """One box per question asked; the child's version in easy-read wording when chosen."""

    def __init__(self, *args, link, **kwargs):
        super().__init__(*args, **kwargs)
        names = []
        for question in link.question_objects:
            label = question.easy_read if link.easy_read and question.easy_read else question.text
            self.fields[question.key] = forms.CharField(
                label=label,
                required=False,
                max_length=5000,
                help_text=question.hint,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            if link.easy_read and question.icon:
                # A picture beside each easy-read question, drawn in Harbour (no external
                # asset), with its words for a screen reader.
                names.append(HTML(easy_read_icon(question)))
            names.append(Field.textarea(question.key, label_size=Size.SMALL))
        if link.audience == Audience.CHILD:
            self.fields["with_adult_help"] = forms.BooleanField(
                label="An adult helped me answer", required=False
            )
            names.append(Field.checkbox("with_adult_help"))
        self.helper = form_helper(*names)

    def answers(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if k != "with_adult_help"}
