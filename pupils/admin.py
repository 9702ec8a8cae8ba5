"""Read-only views for a superuser looking into a problem. Changes go through Harbour's own
pages so they are checked and audited (pupils.services)."""

from django.contrib import admin

from pupils.models import CareEpisode, Contact, LeavingTask, Pupil


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Pupil)
class PupilAdmin(ReadOnlyAdmin):
    list_display = ("legal_surname", "legal_forename", "upn", "date_of_birth", "school")
    list_filter = ("school",)
    search_fields = ("legal_surname", "legal_forename", "upn")


@admin.register(CareEpisode)
class CareEpisodeAdmin(ReadOnlyAdmin):
    list_display = ("pupil", "kind", "start_date", "end_date", "responsible_authority")
    list_filter = ("kind",)


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ("pupil", "kind", "name", "user", "start_date", "end_date")
    list_filter = ("kind",)


@admin.register(LeavingTask)
class LeavingTaskAdmin(ReadOnlyAdmin):
    list_display = ("pupil", "item", "due_date", "completed_on", "completed_by")
