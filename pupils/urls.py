from django.urls import path

from pupils import views

app_name = "pupils"

urlpatterns = [
    path("", views.cohort, name="cohort"),
    path("cohort.csv", views.cohort_csv, name="cohort_csv"),
    path("cohort.xlsx", views.cohort_xlsx, name="cohort_xlsx"),
    path("add/", views.pupil_add, name="pupil_add"),
    path("<int:pk>/", views.pupil, name="pupil"),
    path("<int:pk>/edit/", views.pupil_edit, name="pupil_edit"),
    path("<int:pk>/leaving/", views.pupil_leave, name="pupil_leave"),
    path(
        "<int:pk>/leaving/<int:task_pk>/done/",
        views.leaving_task_complete,
        name="leaving_task_complete",
    ),
    path("<int:pk>/status/add/", views.episode_add, name="episode_add"),
    path("<int:pk>/status/<int:episode_pk>/edit/", views.episode_edit, name="episode_edit"),
    path("<int:pk>/status/<int:episode_pk>/end/", views.episode_end, name="episode_end"),
    path("<int:pk>/contacts/add/<slug:kind>/", views.contact_add, name="contact_add"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", views.contact_edit, name="contact_edit"),
    path("<int:pk>/contacts/<int:contact_pk>/end/", views.contact_end, name="contact_end"),
]
