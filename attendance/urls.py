"""Attendance pages, mounted at /attendance/ by config/urls.py; the import's check, confirm and
cancel are the shared pages of ``imports.urls``."""

from django.urls import path

from attendance import views

app_name = "attendance"

urlpatterns = [
    path("", views.concerns, name="concerns"),
    path("import/", views.upload, name="upload"),
    path("import/ctf/", views.upload_ctf, name="upload_ctf"),
    path("pupils/<int:pk>/", views.pupil, name="pupil"),
    path(
        "pupils/<int:pk>/placement-moves/add/", views.placement_move_add, name="placement_move_add"
    ),
    path("concerns/<int:pk>/", views.concern, name="concern"),
    path("concerns/<int:pk>/notices/<int:notice_pk>/send/", views.notice_send, name="notice_send"),
    path(
        "concerns/<int:pk>/notices/<int:notice_pk>/not-sent/",
        views.notice_not_sent,
        name="notice_not_sent",
    ),
    path("thresholds/", views.thresholds, name="thresholds"),
    path("peers/", views.peers, name="peers"),
    path("peers/<int:term_pk>/", views.peers_edit, name="peers_edit"),
]
