from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:pk>/", views.outbox_message, name="outbox_message"),
    path("<int:pk>/retry/", views.outbox_retry, name="outbox_retry"),
]
