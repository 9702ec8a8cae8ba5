"""Only the categories are kept in the Django admin; concerns themselves never appear there (they
are read through Harbour's own audited pages, and never changed)."""

from django.contrib import admin

from concerns.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "position", "active"]
    list_editable = ["position", "active"]
