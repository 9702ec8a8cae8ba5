"""The contributor's pages, outside login: the link's token is their only key."""

from django.urls import path

from peps.contributions import public_views

app_name = "contribute"

urlpatterns = [
    path("done/", public_views.done, name="done"),
    path("<str:token>/", public_views.start, name="start"),
    path("<str:token>/code/", public_views.code, name="code"),
    path("<str:token>/answer/", public_views.answer, name="answer"),
]
