"""Pages that exist only under benchmarks.settings, so no production URL shows anything new.

* The floor every page is measured against: signed in (``requires()``: a member of the school,
  through every middleware Harbour has) and the base template rendered, nothing else.
* The governors' report context: what the report run's worker builds before rendering the PDF
  (``reports.documents.report_document``, every registered section), measured as a page so it
  has a ratio to the floor; shown through the base template, as the floor is.
"""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.roles import Capability
from core.access import for_school, requires
from reports.documents import report_document
from reports.models import GovernorsReport


@requires()
def floor(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


@requires(Capability.VIEW_DASHBOARD)
def governors_report_context(request: HttpRequest, pk: int, today: str) -> HttpResponse:
    report = for_school(request, GovernorsReport.objects.select_related("school"), pk=pk)
    document = report_document(report, today=dt.date.fromisoformat(today))
    return render(request, "base.html", {"document": document})
