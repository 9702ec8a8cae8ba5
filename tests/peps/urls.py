"""The project's URLs with the pupils and PEP apps mounted, for as long as config/urls.py does
not mount them yet (see conftest.py)."""

from django.urls import include, path

from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project

_mounted = {getattr(p, "namespace", None) for p in project}

urlpatterns = [
    *project,
    *([] if "pupils" in _mounted else [path("pupils/", include("pupils.urls"))]),
    *([] if "peps" in _mounted else [path("peps/", include("peps.urls"))]),
]
