"""The cohort list's filters, search and sort, over ``pupils.selectors.pupils_for_cohort``.

Every filter works on a column the selector annotates in SQL, so filtering never loads rows
into Python.
"""

import datetime as dt

import django_filters
from crispy_forms_gds.layout import Field
from django import forms
from django.db.models import Q

from accounts.models import User
from core.forms import form_helper
from pupils import periods
from pupils.cohort import NC_YEAR_CHOICES, CohortGroup
from pupils.models import Destination, SenStatus
from pupils.upn import normalise_upn
from schools.models import VirtualSchool
from schools.schooldays import academic_year_label, academic_year_of

IN_COHORT = "in_cohort"
# The groups split the cohort: each child is in one (kinship care is a group of its own for a
# child in no other group; pupils.cohort).
GROUP_CHOICES = [
    (IN_COHORT, "Any group"),
    (CohortGroup.CIC.value, "Children in care (CiC)"),
    (CohortGroup.CPIC.value, "Children previously in care (CPiC)"),
    (CohortGroup.CWSW.value, "Children with a social worker (CWSW)"),
    (CohortGroup.KINSHIP.value, "Children in kinship care"),
    (CohortGroup.NONE.value, "Not in a group"),
]

# Each sort option: (value, label, order_by).
SORTS = [
    ("name", "Last name, A to Z", ("legal_surname", "legal_forename", "pk")),
    ("-name", "Last name, Z to A", ("-legal_surname", "-legal_forename", "-pk")),
    ("year", "Year group, youngest first", ("nc_year", "legal_surname", "legal_forename", "pk")),
    ("-year", "Year group, oldest first", ("-nc_year", "legal_surname", "legal_forename", "pk")),
    ("group", "Group", ("group_order", "legal_surname", "legal_forename", "pk")),
    ("authority", "Responsible authority", ("authority_name", "legal_surname", "pk")),
]

# The filters whose values the audit log may keep: every one is a choice from a list Harbour
# makes (and a staff member's or a Virtual School's number). The free-text search is not here.
AUDITED_FILTERS = (
    "group",
    "nc_year",
    "sen_status",
    "key_adult",
    "authority",
    "kinship",
    "destination",
    "left_in",
    "leavers",
    "on",
    "sort",
)


def as_of_day(value: str | None, today: dt.date) -> dt.date | None:
    """The ``on`` parameter as a day to work the cohort out on: a valid ISO date no later than
    today (a future day is not a list anyone has counted), else None (today)."""
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if day < today else None


class CohortFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("q"),
            Field.select("group"),
            Field.select("nc_year"),
            Field.select("sen_status"),
            Field.select("key_adult"),
            Field.select("authority"),
            Field.checkbox("kinship", small=True),
            Field.select("destination"),
            Field.select("left_in"),
            Field.checkbox("leavers", small=True),
            Field.text("on", field_width=10),
            Field.select("sort"),
        )


class CohortFilter(django_filters.FilterSet):
    """``request`` gives the school (for the key adults to choose from) and ``today``."""

    q = django_filters.CharFilter(label="Name or UPN", method="search")
    group = django_filters.ChoiceFilter(
        label="Group", choices=GROUP_CHOICES, method="filter_group", empty_label="All pupils"
    )
    nc_year = django_filters.ChoiceFilter(
        label="Year group",
        choices=[(str(n), label) for n, label in NC_YEAR_CHOICES],
        field_name="nc_year",
        empty_label="Any year",
    )
    sen_status = django_filters.ChoiceFilter(
        label="SEN", choices=SenStatus.choices, empty_label="Any"
    )
    key_adult = django_filters.ChoiceFilter(
        label="Key adult", field_name="key_adult_id", empty_label="Anyone"
    )
    authority = django_filters.ChoiceFilter(
        label="Responsible authority", field_name="authority_id", empty_label="Any"
    )
    # The dashboard's links: kinship care whatever the group, and the leavers of a school year
    # by destination (reports' destinations section).
    kinship = django_filters.BooleanFilter(
        label="In kinship care", method="filter_kinship", widget=forms.CheckboxInput
    )
    destination = django_filters.ChoiceFilter(
        label="Destination", choices=Destination.choices, empty_label="Any"
    )
    left_in = django_filters.ChoiceFilter(
        label="Left in the school year", method="filter_left_in", empty_label="Any"
    )
    leavers = django_filters.BooleanFilter(
        label="Include pupils who have left",
        method="include_leavers",
        widget=forms.CheckboxInput,
    )
    # Each child's group, and who was on roll, on a past day: the dashboard links here with its
    # period's last day, so the list behind a number is the children it counted (the view works
    # the cohort out on this day: ``as_of``).
    on = django_filters.DateFilter(
        label="Groups on this day",
        method="groups_on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for today.",
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(value, label) for value, label, _ in SORTS],
        method="sort_by",
        empty_label=None,
    )

    class Meta:
        form = CohortFilterForm
        fields: list[str] = []

    def __init__(self, data=None, *args, school, today, as_of=None, **kwargs):
        self.school = school
        self.today = today
        # The day the queryset's cohort was worked out on (``as_of_day``), when not today.
        self.as_of = as_of
        super().__init__(data, *args, **kwargs)
        staff = (
            User.objects.filter(memberships__school=school, is_active=True)
            .distinct()
            .order_by("full_name")
            .values_list("pk", "full_name")
        )
        self.filters["key_adult"].extra["choices"] = [(str(pk), name) for pk, name in staff]
        this_year = academic_year_of(today)
        self.filters["left_in"].extra["choices"] = [
            (str(year), academic_year_label(year)) for year in range(this_year, this_year - 7, -1)
        ]
        self.filters["authority"].extra["choices"] = [
            (str(vs.pk), vs.local_authority_name) for vs in VirtualSchool.objects.all()
        ]

    def audit_values(self) -> dict:
        """What the audit log keeps of this search: the filters that were applied, each value
        one of Harbour's own choices (a form rejects any other), and only whether a name or
        UPN was searched for, never the words typed: they may be about a child."""
        self.form.is_valid()  # cleaned_data holds only the fields that validated
        data = self.form.cleaned_data
        applied = {name: data[name] for name in AUDITED_FILTERS if data.get(name)}
        return {"filters": applied, "searched": bool((data.get("q") or "").strip())}

    def filter_queryset(self, queryset):
        # Leavers are out unless asked for, and the list is sorted by name unless asked
        # otherwise: both must apply when the filter's own field is empty too.
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if not (data.get("leavers") or data.get("left_in") or data.get("destination")):
            if self.as_of is not None:
                queryset = queryset.on_roll_on(self.as_of)
            else:
                queryset = queryset.not_left_by(self.today)
        if not self.form.cleaned_data.get("sort"):
            queryset = self.sort_by(queryset, "sort", "name")
        return queryset

    def search(self, queryset, name, value):
        words = value.split()
        if not words:
            return queryset
        upn = normalise_upn(value)
        by_name = Q()
        for word in words:
            by_name &= (
                Q(legal_forename__icontains=word)
                | Q(legal_surname__icontains=word)
                | Q(preferred_forename__icontains=word)
                | Q(preferred_surname__icontains=word)
            )
        return queryset.filter(by_name | Q(upn__icontains=upn))

    def filter_group(self, queryset, name, value):
        if value == IN_COHORT:
            return queryset.exclude(cohort_group=CohortGroup.NONE)
        return queryset.filter(cohort_group=value)

    def filter_kinship(self, queryset, name, value):
        return queryset.filter(kinship_care=True) if value else queryset

    def filter_left_in(self, queryset, name, value):
        year = int(value)  # one of the choices: the form has validated it
        return queryset.filter(periods.left_during_q(dt.date(year, 9, 1), dt.date(year + 1, 8, 31)))

    def groups_on(self, queryset, name, value):
        return queryset  # the view annotates the cohort on this day (as_of_day)

    def include_leavers(self, queryset, name, value):
        return queryset  # applied in filter_queryset

    def sort_by(self, queryset, name, value):
        order = next((o for v, _, o in SORTS if v == value), SORTS[0][2])
        return queryset.order_by(*order)
