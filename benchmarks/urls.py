"""Harbour's URLs plus the floor (benchmarks.views.floor), only under benchmarks.settings."""

from django.urls import path

from benchmarks.views import floor
from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as harbour_urlpatterns

urlpatterns = [path("__bench__/floor", floor, name="bench_floor"), *harbour_urlpatterns]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
