import django_filters
from django import forms
from django.db.models import Q

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

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(recipient__icontains=value) | Q(subject__icontains=value))
