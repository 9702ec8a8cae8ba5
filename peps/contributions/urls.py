from django.urls import path

from peps.contributions import views

app_name = "contributions"

urlpatterns = [
    path("<int:pk>/contributions/", views.contributions, name="list"),
    path("<int:pk>/contributions/ask/", views.contribution_ask, name="ask"),
    path(
        "<int:pk>/contributions/<int:link_id>/revoke/",
        views.contribution_revoke,
        name="revoke",
    ),
    path(
        "<int:pk>/contributions/answers/<int:answer_id>/accept/",
        views.answer_accept,
        name="accept",
    ),
    path(
        "<int:pk>/contributions/answers/<int:answer_id>/set-aside/",
        views.answer_set_aside,
        name="set_aside",
    ),
]
