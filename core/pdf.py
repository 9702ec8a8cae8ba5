"""Harbour's one way to make a PDF: a Django template rendered to HTML, then WeasyPrint.

Every PDF (a PEP, a pupil summary, the governors' annual report) extends
``templates/reports/pdf_base.html``, which sets the A4 page, the running header (school name,
document title and the document's handling line) and the "Page X of Y" footer. Its context
needs ``school_name`` and ``document_title``; ``confidentiality`` is the handling line, by
default ``ABOUT_A_CHILD`` ("Confidential: contains information about a child"). A document
with no child's information in it says so instead (the governors' report: ``NO_CHILD_NAMED``)
rather than carry a warning that is not true. The child template fills the ``document`` block
(and may override ``title``, which feeds the heading and the header).

Adding a document: one small function (or class) per document that builds a plain dataclass
the tests can assert on without rendering, then renders it::

    @dataclass(frozen=True)
    class PepDocument:
        school_name: str
        document_title: str
        pupil_name: str
        targets: list[TargetRow]


    def pep_document(pep: PersonalEducationPlan) -> PepDocument:
        return PepDocument(
            school_name=pep.school.name,
            document_title=f"Personal Education Plan, {pep.term}",
            pupil_name=pep.pupil.full_name,
            targets=[TargetRow(...) for target in pep.targets.all()],
        )


    def pep_pdf(pep: PersonalEducationPlan) -> bytes:
        document = pep_document(pep)
        return render_pdf(
            "peps/pep_pdf.html",
            {
                "school_name": document.school_name,
                "document_title": document.document_title,
                "pep": document,
            },
        )

with ``templates/peps/pep_pdf.html``::

    {% extends "reports/pdf_base.html" %}
    {% block document %}<section>...{{ pep.pupil_name }}...</section>{% endblock %}

Every PDF is tagged PDF/UA-1 (``PDF_VARIANT``), with the document's title and language.

Rendering takes about half a second a page, so it never happens inside a request: a document
is a report run (``core.report_runs``), rendered by a Celery worker and downloaded from the
run's page, which writes the audit event (every read of a PDF is audited, DESIGN.md).

External fetching is off: these documents carry children's data and are rendered on the
server, so a stray ``<img src="http://...">`` or ``file:///...`` in a template or in
user-entered text must not make the server fetch anything. Only ``data:`` URLs load (inline
images, e.g. a chart); anything else is logged and skipped. There is no base URL, so relative
URLs resolve to nothing. Fonts are the system's (Liberation Sans / DejaVu Sans on Debian).
"""

import logging
import shutil
import subprocess
from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

logger = logging.getLogger(__name__)

REQUIRED_CONTEXT = ("school_name", "document_title")
# The handling line in every page's running header (not a legal protective marking: schools do
# not use them; it tells whoever holds the paper how to treat it).
ABOUT_A_CHILD = "Confidential: contains information about a child"
NO_CHILD_NAMED = "For the governing board: no child is named or can be identified"
# Schools are public bodies under the Public Sector Bodies (Websites and Mobile Applications)
# Accessibility Regulations 2018, so every document Harbour writes is tagged PDF/UA-1: a screen
# reader gets the headings, tables and reading order. The title and language come from
# ``reports/pdf_base.html`` (``<title>`` and ``<html lang="en-GB">``).
PDF_VARIANT = "pdf/ua-1"


class DataOnlyURLFetcher(URLFetcher):
    """Loads ``data:`` URLs and refuses everything else (http, https, file, ftp ...).

    WeasyPrint 70 catches the ``ValueError`` raised for a refused URL, logs it and skips the
    resource, so the document still renders without the image or stylesheet.
    """

    ALLOWED = frozenset({"data"})

    def __init__(self) -> None:
        super().__init__(allowed_protocols=self.ALLOWED, allow_redirects=False, timeout=5)

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme not in self.ALLOWED:
            logger.warning("PDF resource refused: %s: URLs are not fetched", scheme or "relative")
            raise ValueError(f"Harbour PDFs do not fetch {scheme or 'relative'} URLs")
        return super().fetch(url, headers)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render ``template_name`` (extending ``reports/pdf_base.html``) with ``context`` to PDF."""
    missing = [key for key in REQUIRED_CONTEXT if not context.get(key)]
    if missing:
        raise ValueError(
            f"render_pdf({template_name!r}) needs {', '.join(missing)} in its context: "
            "the page header shows them."
        )
    html = render_to_string(template_name, {"confidentiality": ABOUT_A_CHILD, **context})
    return HTML(string=html, base_url=None, url_fetcher=DataOnlyURLFetcher()).write_pdf(
        pdf_variant=PDF_VARIANT
    )


def pdf_text(pdf: bytes) -> str:
    """The text of ``pdf`` laid out as on the page (``pdftotext -layout``), for tests and checks."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        raise RuntimeError("pdftotext not found: install Debian's poppler-utils")
    result = subprocess.run(  # noqa: S603 - fixed argv, the PDF goes in on stdin
        [pdftotext, "-layout", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode("utf-8")
