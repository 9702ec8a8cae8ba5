"""Harbour's URLs plus the benchmark-only pages (benchmarks.views), only under
benchmarks.settings."""

from django.urls import path

from benchmarks.views import floor, governors_report_context
from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as harbour_urlpatterns

urlpatterns = [
    path("__bench__/floor", floor, name="bench_floor"),
    path(
        "__bench__/governors-report/<int:pk>/<str:today>",
        governors_report_context,
        name="bench_governors_report_context",
    ),
    *harbour_urlpatterns,
]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
