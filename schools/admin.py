"""Django admin for support staff. Schools use the Term dates and Virtual Schools pages; the
admin is for repairs (a year entered with a term missing, a school's details)."""

from django.contrib import admin

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
    list_display = ["local_authority_name", "la_code", "email", "phone", "contact_name"]
    search_fields = ["local_authority_name", "la_code"]
