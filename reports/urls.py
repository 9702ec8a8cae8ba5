from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path(
        "dashboard/<slug:table>.<str:file_format>",
        views.dashboard_export,
        name="dashboard_export",
    ),
    path("", views.reports, name="reports"),
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/narrative/<slug:section>/", views.narrative_edit, name="narrative"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("governors/", views.governors, name="governors"),
    path("governors/<int:pk>/download/", views.governors_download, name="governors_download"),
    path("training/", views.training, name="training"),
    path("training/add/", views.training_add, name="training_add"),
    path("attainment/", views.peer_attainment, name="peer_attainment"),
    path("attainment/upload/", views.peer_attainment_upload, name="peer_attainment_upload"),
    path("attainment/termly/", views.termly_attainment, name="termly_attainment"),
    path(
        "attainment/termly/<int:pk>/",
        views.termly_attainment_pupil,
        name="termly_attainment_pupil",
    ),
    path("settings/", views.report_settings, name="settings"),
]
