"""The audit log's filters."""

import django_filters
from crispy_forms_gds.layout import Field
from django import forms

from accounts.models import User
from core.forms import form_helper
from core.models import AuditEvent

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"]


def _school_members(request):
    if request is None:
        return User.objects.none()
    return User.objects.filter(memberships__school=request.school).distinct()


class AuditFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.select("user"),
            Field.text("pupil_id", field_width=10),
            Field.text("action", field_width=20),
            Field.text("date_from", field_width=10),
            Field.text("date_to", field_width=10),
        )


def _date_filter(label: str, lookup: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        field_name="created_at",
        lookup_expr=lookup,
        label=label,
        help_text="For example, 27/3/2026",
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"invalid": "Enter a real date, for example 27/3/2026"},
    )


class AuditEventFilter(django_filters.FilterSet):
    """Pass ``request=``: the people to choose from are the members of the current school."""

    user = django_filters.ModelChoiceFilter(
        field_name="actor",
        label="Who",
        queryset=_school_members,
        empty_label="Anyone",
    )
    pupil_id = django_filters.NumberFilter(
        label="Pupil ID",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"invalid": "Enter the pupil's ID as a number"},
    )
    action = django_filters.CharFilter(
        lookup_expr="icontains",
        label="Action contains",
        help_text="For example, pupil.viewed or staff",
    )
    # Dates in Harbour's time zone (Europe/London), so "today" means the school's day.
    date_from = _date_filter("From", "date__gte")
    date_to = _date_filter("To", "date__lte")

    class Meta:
        model = AuditEvent
        fields = ["user", "pupil_id", "action", "date_from", "date_to"]
        form = AuditFilterForm
