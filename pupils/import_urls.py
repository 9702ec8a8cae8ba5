"""The pupil import's upload page, mounted at /pupils/import/ by config/urls.py; the check,
confirm and cancel are the shared pages of ``imports.urls``."""

from django.urls import path

from pupils import import_views

app_name = "pupil_imports"

urlpatterns = [
    path("", import_views.upload, name="upload"),
    path("template.csv", import_views.template_download, name="template"),
]
