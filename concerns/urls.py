from django.urls import path

from concerns import views

app_name = "concerns"

urlpatterns = [
    path("", views.concern_list, name="list"),
    path("raise/", views.concern_raise, name="raise"),
    path("<int:pk>/", views.concern, name="concern"),
    path("<int:pk>/actions/add/", views.action_add, name="action_add"),
    path("<int:pk>/decisions/add/", views.decision_add, name="decision_add"),
    path("<int:pk>/addenda/add/", views.addendum_add, name="addendum_add"),
    path("<int:pk>/links/add/", views.link_add, name="link_add"),
    path("<int:pk>/child/", views.child_link, name="child_link"),
    path("settings/", views.concern_settings, name="settings"),
    path("retention/", views.retention, name="retention"),
    path("pupil/<int:pk>/chronology/", views.chronology, name="chronology"),
    path("pupil/<int:pk>/child-protection-file/", views.cp_file, name="cp_file"),
]
