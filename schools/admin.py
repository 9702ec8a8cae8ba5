"""Django admin for support staff. Schools use the Term dates and Virtual Schools pages; the
admin is for repairs (a year entered with a term missing, a school's details) and for the
host's shared Virtual School directory, which only superusers change."""

from django.contrib import admin

from schools import services
from schools.models import AcademicYear, Closure, School, Term, VirtualSchool


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "dfe_number", "local_authority_name"]
    search_fields = ["name", "urn", "establishment_number"]


class TermInline(admin.TabularInline):
    model = Term
    extra = 0
    max_num = 3


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    list_display = ["__str__", "school"]
    list_filter = ["school"]
    list_select_related = ["school"]
    inlines = [TermInline]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["reason", "first_day", "last_day", "school"]
    list_filter = ["school"]
    list_select_related = ["school"]
    date_hierarchy = "first_day"


@admin.register(VirtualSchool)
class VirtualSchoolAdmin(admin.ModelAdmin):
    """The shared directory. Changes go through the same services as the host pages, so each
    school using a changed address must confirm it again and sees the change in its own audit
    log. Only superusers see or change it; nobody deletes an entry (children's care episodes
    and schools' contacts refer to it)."""

    list_display = ["local_authority_name", "la_code", "email", "phone", "contact_name"]
    search_fields = ["local_authority_name", "la_code"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in services.VIRTUAL_SCHOOL_FIELDS}
        if change:
            services.virtual_school_update(
                virtual_school=VirtualSchool.objects.get(pk=obj.pk), request=request, **fields
            )
        else:
            obj.pk = services.virtual_school_create(request=request, **fields).pk
