from django.urls import path

from schools import views

app_name = "schools"

urlpatterns = [
    path("terms/", views.terms, name="terms"),
    path("terms/add-year/", views.academic_year_add, name="academic_year_add"),
    path("terms/<int:pk>/change/", views.term_edit, name="term_edit"),
    path("terms/closures/add/", views.closure_add, name="closure_add"),
    path("terms/closures/<int:pk>/remove/", views.closure_delete, name="closure_delete"),
    path("virtual-schools/", views.virtual_schools, name="virtual_schools"),
    path("virtual-schools/add/", views.virtual_school_add, name="virtual_school_add"),
    path("virtual-schools/<int:pk>/change/", views.virtual_school_edit, name="virtual_school_edit"),
    path(
        "virtual-schools/<str:la_code>/contact/",
        views.virtual_school_contact_edit,
        name="virtual_school_contact_edit",
    ),
    path(
        "virtual-schools/<str:la_code>/confirm/",
        views.virtual_school_address_confirm,
        name="virtual_school_address_confirm",
    ),
]
