"""The project's URLs with the pupils app mounted, for as long as config/urls.py does not
mount it yet (see conftest.py)."""

from django.urls import include, path

from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project

urlpatterns = [*project, path("pupils/", include("pupils.urls"))]
