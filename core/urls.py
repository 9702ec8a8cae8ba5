from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("<int:pk>/", views.report_run, name="report_run"),
    path("<int:pk>/download/", views.report_run_download, name="report_run_download"),
]
