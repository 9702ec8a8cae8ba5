import django_filters
from django import forms
from django.db.models import Q

from core.sensitivity import Detail, Sensitivity, visible_detail
from notifications.forms import OutboxFilterForm
from notifications.models import OutboxMessage


class OutboxFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Recipient or subject",
        method="filter_search",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    state = django_filters.ChoiceFilter(
        label="State", choices=OutboxMessage.State.choices, empty_label="Any state"
    )

    class Meta:
        model = OutboxMessage
        fields = ["q", "state"]
        form = OutboxFilterForm

    def __init__(self, *args, search_subjects: bool, capabilities=frozenset(), **kwargs):
        # Searching subjects for a name would tell a viewer who may not see children which
        # messages are about that child, so theirs searches recipients only.
        self.search_subjects = search_subjects
        # Nor may a search find a message by a subject the viewer may not read in full.
        self.hidden_subjects = [
            mark for mark in Sensitivity if visible_detail(mark, capabilities) is not Detail.FULL
        ]
        super().__init__(*args, **kwargs)
        if not search_subjects:
            self.filters["q"].label = "Recipient"
            self.form.fields["q"].label = "Recipient"

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        matches = Q(recipient__icontains=value)
        if self.search_subjects:
            matches |= Q(subject__icontains=value) & ~Q(sensitivity__in=self.hidden_subjects)
        return queryset.filter(matches)
