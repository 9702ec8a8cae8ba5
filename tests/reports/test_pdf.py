"""core.pdf: Harbour's PDFs render from templates and never fetch anything from outside."""

import base64
import copy
import io
import logging
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image
from weasyprint import HTML

from core.pdf import pdf_text, render_pdf

TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _test_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEST_TEMPLATES]
    settings.TEMPLATES = templates


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (29, 112, 184)).save(buffer, format="PNG")
    return buffer.getvalue()


def images_in(pdf, tmp_path):
    """How many images the PDF embeds (poppler's ``pdfimages -list``)."""
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, check=True, text=True, timeout=30
    ).stdout
    return len(listing.splitlines()) - 2  # two header lines


@pytest.fixture
def image_server():
    """A local HTTP server that serves a PNG for any path and records every request."""
    requests = []
    body = png_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def context(**extra):
    return {"school_name": "Fenbridge Academy", "document_title": "Test document", **extra}


def test_two_page_document_shows_its_text_header_and_page_x_of_y():
    pdf = render_pdf("pdf_tests/two_pages.html", context(voice="I like art & football."))

    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    first, second = text.split("\f")[:2]
    assert "Fenbridge Academy" in first
    assert "Test document" in first
    assert "I like art & football." in first
    assert "Page 1 of 2" in first
    assert "Reads a chapter book each week" in second
    assert "Page 2 of 2" in second
    # The running header carries the school, the title and the handling line on every page.
    for page in (first, second):
        assert "Confidential: contains information about a child" in page
    assert "Fenbridge Academy" in second
    assert "Test document" in second


def test_template_text_is_escaped_not_interpreted():
    pdf = render_pdf("pdf_tests/two_pages.html", context(voice="<b>bold</b> & <i>x</i>"))

    assert "<b>bold</b> & <i>x</i>" in pdf_text(pdf)


@pytest.mark.parametrize("missing", ["school_name", "document_title"])
def test_refuses_a_context_without_school_name_or_title(missing):
    with pytest.raises(ValueError, match=missing):
        render_pdf("pdf_tests/two_pages.html", {**context(voice="x"), missing: ""})


def test_default_weasyprint_would_fetch_from_the_test_server(image_server, tmp_path):
    # Control for the next test: the server and the image work when fetching is allowed, so
    # "no request" there means Harbour refused, not that the test could not have seen one.
    base, requests = image_server

    HTML(string=f'<img src="{base}/control.png">').write_pdf()

    assert requests == ["/control.png"]


def test_http_and_file_urls_are_not_fetched(image_server, tmp_path, caplog):
    base, requests = image_server
    local_image = tmp_path / "local.png"
    local_image.write_bytes(png_bytes())

    with caplog.at_level(logging.WARNING):
        pdf = render_pdf(
            "pdf_tests/images.html",
            context(
                sources=[f"{base}/x.png", local_image.as_uri(), "file:///etc/passwd"],
                background=f"{base}/background.png",
                stylesheet=f"{base}/style.css",
            ),
        )

    assert "Rendered with 3 image references." in pdf_text(pdf)
    assert requests == []
    assert images_in(pdf, tmp_path) == 0
    refused = [r.getMessage() for r in caplog.records if r.name == "core.pdf"]
    assert any("http" in message for message in refused)
    assert any("file" in message for message in refused)


def test_data_url_image_renders(tmp_path):
    data_url = "data:image/png;base64," + base64.b64encode(png_bytes()).decode("ascii")

    pdf = render_pdf("pdf_tests/images.html", context(sources=[data_url]))

    assert images_in(pdf, tmp_path) == 1


def test_relative_urls_resolve_to_nothing(image_server, tmp_path):
    _, requests = image_server

    pdf = render_pdf("pdf_tests/images.html", context(sources=["x.png", "/static/x.png"]))

    assert images_in(pdf, tmp_path) == 0
    assert requests == []


def pdf_info(pdf: bytes, tmp_path) -> dict[str, str]:
    """poppler's ``pdfinfo``, as a dict of its "Name: value" lines."""
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, check=True, text=True, timeout=30
    ).stdout
    return {
        name.strip(): value.strip()
        for name, _, value in (line.partition(":") for line in output.splitlines())
    }


def test_every_pdf_is_tagged_for_screen_readers_with_its_title(tmp_path):
    # Public Sector Bodies Accessibility Regulations 2018: a school's documents are tagged
    # (PDF/UA-1), so a screen reader gets headings, tables and the reading order.
    pdf = render_pdf("pdf_tests/two_pages.html", context(voice="I like art."))
    info = pdf_info(pdf, tmp_path)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "Test document"
    # The PDF/UA-1 identification in the XMP metadata.
    path = tmp_path / "info.pdf"
    meta = subprocess.run(
        ["pdfinfo", "-meta", str(path)], capture_output=True, check=True, text=True, timeout=30
    ).stdout
    assert 'pdfuaid:part="1"' in meta
