from django.urls import path

from peps import views

app_name = "peps"

urlpatterns = [
    path("compliance/", views.compliance, name="compliance"),
    path("settings/", views.pep_settings, name="settings"),
    path("pupil/<int:pupil_id>/", views.pupil_peps, name="pupil_peps"),
    path("pupil/<int:pupil_id>/new/", views.pep_start, name="pep_start"),
    path("pupil/<int:pupil_id>/sdq/add/", views.sdq_add, name="sdq_add"),
    path("<int:pk>/", views.pep, name="pep"),
    path("<int:pk>/edit/", views.pep_edit, name="pep_edit"),
    path("<int:pk>/attendees/add/", views.attendee_add, name="attendee_add"),
    path(
        "<int:pk>/attendees/<int:attendee_id>/remove/",
        views.attendee_remove,
        name="attendee_remove",
    ),
    path("<int:pk>/attainment/add/", views.attainment_add, name="attainment_add"),
    path(
        "<int:pk>/attainment/<int:record_id>/remove/",
        views.attainment_remove,
        name="attainment_remove",
    ),
    path("<int:pk>/targets/add/", views.target_add, name="target_add"),
    path("<int:pk>/targets/<int:target_id>/edit/", views.target_edit, name="target_edit"),
    path("<int:pk>/targets/<int:target_id>/remove/", views.target_remove, name="target_remove"),
    path("<int:pk>/reviews/<int:target_id>/", views.target_review, name="target_review"),
    path("<int:pk>/complete/", views.pep_complete, name="pep_complete"),
    path("<int:pk>/send/", views.pep_send, name="pep_send"),
    path("<int:pk>/pdf/", views.pep_download, name="pep_pdf"),
    path("<int:pk>/correct/", views.pep_correct, name="pep_correct"),
    path("<int:pk>/discard/", views.pep_discard, name="pep_discard"),
]
