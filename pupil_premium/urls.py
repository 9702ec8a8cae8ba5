from django.urls import path

from pupil_premium import views

app_name = "pupil_premium"

urlpatterns = [
    path("", views.summary, name="summary"),
    path("export/", views.export, name="export"),
    path("rates/", views.rates, name="rates"),
    path("pupil/<int:pupil_id>/", views.ledger, name="ledger"),
    path("pupil/<int:pupil_id>/allocation/", views.allocation, name="allocation"),
    path("pupil/<int:pupil_id>/items/add/", views.item_add, name="item_add"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/approve/", views.item_approve, name="item_approve"),
    path("items/<int:pk>/decline/", views.item_decline, name="item_decline"),
    path("items/<int:pk>/spent/", views.item_spend, name="item_spend"),
    path("items/<int:pk>/impact/", views.item_impact, name="item_impact"),
]
