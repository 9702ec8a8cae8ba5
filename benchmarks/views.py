"""The floor every page is measured against: signed in (``requires()``: a member of the school,
through every middleware Harbour has) and the base template rendered, nothing else. Reachable
only under benchmarks.settings, so no production URL shows anything new."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.access import requires


@requires()
def floor(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")
