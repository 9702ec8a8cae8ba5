"""The pupil import, mounted at /pupils/import/ by config/urls.py."""

from django.urls import path

from pupils import import_views

app_name = "pupil_imports"

urlpatterns = [
    path("", import_views.upload, name="upload"),
    path("preview/", import_views.preview, name="preview"),
    path("confirm/", import_views.confirm, name="confirm"),
    path("cancel/", import_views.cancel, name="cancel"),
    path("template.csv", import_views.template_download, name="template"),
]
