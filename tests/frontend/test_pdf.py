"""PDFs are rendered from templates and fetch nothing from outside the platform."""

import io

import pytest
from django.template import engines
from pypdf import PdfReader
from weasyprint import HTML

from meldpunt.pdf import StaticFilesOnly, pdf_response, render_pdf


def test_a_template_becomes_a_pdf_with_its_text(tmp_path, settings):
    pdf = render_pdf("frontend/pdf/base.html", {"site_name": "Meldpunt Twente"})
    text = "".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "MeldpuntTwente" in text and "VERTROUWELIJK" in text and "Pagina1van1" in text
    response = pdf_response(pdf, "overzicht.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/tracker.png",
        "file:///etc/passwd",
        "http://pdf.invalid/static/../../etc/passwd",
        "http://pdf.invalid/media/upload.png",
    ],
)
def test_nothing_outside_the_static_files_is_fetched(url):
    with pytest.raises(ValueError, match="static files"):
        StaticFilesOnly().fetch(url)


def test_our_own_static_files_are_fetched():
    response = StaticFilesOnly().fetch("http://pdf.invalid/static/frontend/pdf.css")
    assert b"@page" in response.read()
    response.close()


def test_an_outside_image_in_a_template_does_not_stop_the_pdf():
    template = engines["django"].from_string('<img src="https://example.org/x.png"><p>Tekst</p>')
    pdf = HTML(string=template.render({}), url_fetcher=StaticFilesOnly()).write_pdf()
    assert pdf.startswith(b"%PDF")
