from django.contrib import admin

from notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: the outbox is a record of what Harbour sent. Messages without a school
    (password resets) are seen only here. Retrying is done from the outbox page, where it is
    audited."""

    list_display = ["created_at", "recipient", "subject", "school", "state", "attempts", "sent_at"]
    list_filter = ["state", "created_at"]
    list_select_related = ["school"]
    search_fields = ["recipient", "subject", "dedupe_key"]
    date_hierarchy = "created_at"
    # The attachment's bytes are not worth showing; its name and type are.
    exclude = ["attachment"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("attachment")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
