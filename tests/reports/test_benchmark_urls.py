"""The benchmark-only pages (benchmarks/urls.py: the floor and the governors' report context,
which builds a report's figures for any draft) exist only under benchmarks.settings: under
Harbour's own settings they are not routed, whoever asks."""

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from accounts.roles import Role
from benchmarks.urls import urlpatterns as bench_urlpatterns

pytestmark = pytest.mark.django_db

BENCH_PATHS = ["/__bench__/floor", "/__bench__/governors-report/1/2026-11-23"]


def test_harbour_s_settings_route_to_harbour_s_urls_only():
    assert settings.ROOT_URLCONF == "config.urls"
    # The benchmark's own URLconf does hold them, so the checks below test something.
    assert {getattr(p, "name", None) for p in bench_urlpatterns} >= {
        "bench_floor",
        "bench_governors_report_context",
    }


@pytest.mark.parametrize("url", BENCH_PATHS)
def test_a_benchmark_page_is_not_routed_outside_benchmark_settings(url, school, make_client):
    with pytest.raises(Resolver404):
        resolve(url)
    for name in ("bench_floor", "bench_governors_report_context"):
        with pytest.raises(NoReverseMatch):
            reverse(name)
    headteacher = make_client(school, Role.HEADTEACHER)
    assert headteacher.get(url).status_code == 404
