"""The shared import pages, mounted at /imports/ by config/urls.py."""

from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("<int:pk>/", views.run_detail, name="run"),
    path("<int:pk>/confirm/", views.run_confirm, name="confirm"),
    path("<int:pk>/cancel/", views.run_cancel, name="cancel"),
]
