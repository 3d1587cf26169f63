"""Every upload is scanned by a real clamd (this run's own, with its own signatures):
an infected file is refused with a message and an audit line; while clamd is stopped an
upload waits in quarantine, encrypted and not downloadable, and once clamd is started
again the scan task releases a clean file and refuses an infected one. A file is stored
under a name the product chooses, with the extension of the type its content is."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django_tenants.utils import tenant_context

from audit.models import AuditAction, AuditEntry
from tests.factories import case_in_step
from tests.serving import EICAR
from workflow.models import CaseDocument
from workflow.services.documents import filename_stem, scan_waiting
from workflow.tasks import scan_quarantined_documents

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PDF_WITH_EICAR = b"%PDF-1.4\n" + EICAR + b"\n%%EOF"
# A PDF to a PDF reader and a web page to a browser that is told it is HTML.
POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.domain)</script></body></html>\n%%EOF"


@pytest.fixture
def staff(twente, logged_in):
    return logged_in(twente, "medewerker")


@pytest.fixture
def casus(twente, staff):
    return case_in_step(twente, "screening", staff.user)


def upload(staff, casus, name: str, content: bytes, title: str = ""):
    url = reverse("cases:task", args=[casus.reference, "documenten"])
    return staff.post(url, {"title": title, "upload": SimpleUploadedFile(name, content)})


def download(staff, casus, document: CaseDocument):
    return staff.get(reverse("cases:document", args=[casus.reference, document.pk]))


def documents_section(staff, casus) -> str:
    page = staff.get(reverse("cases:detail", args=[casus.reference])).content.decode()
    return page[page.index('id="documenten"') :].split("</section>")[0]


@pytest.mark.parametrize(
    ("name", "content"), [("eicar.com", EICAR), ("verslag.pdf", PDF_WITH_EICAR)]
)
def test_an_infected_upload_is_refused_by_clamd_with_a_message_and_an_audit_line(
    twente, staff, casus, virus_scanner, name, content
):
    refused = upload(staff, casus, name, content, title="Verslag school")
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Het bestand is geweigerd: de viruscontrole heeft er een virus in gevonden" in text
    assert "Eicar-Test-Signature" in text
    assert 'value="Verslag school"' in text  # what the user typed stays
    with tenant_context(twente):
        assert not CaseDocument.objects.filter(casus=casus).exists()
        line = AuditEntry.objects.get(action=AuditAction.REFUSED, case_id=casus.reference)
        assert line.user_id == staff.user.pk and line.grounds == "viruscontrole"
        assert line.detail["reden"] == "virus"
        assert line.detail["signatuur"].startswith("Eicar-Test-Signature")


def test_a_polyglot_named_html_is_stored_as_the_pdf_its_content_is(
    twente, staff, casus, virus_scanner
):
    assert upload(staff, casus, "aanval.html", POLYGLOT).status_code == 302
    with tenant_context(twente):
        document = CaseDocument.objects.get(casus=casus)
    assert (document.filename, document.title) == ("aanval.pdf", "aanval.pdf")
    assert document.content_type == "application/pdf"
    served = download(staff, casus, document)
    assert served["Content-Type"] == "application/pdf"
    assert "aanval.pdf" in served["Content-Disposition"]
    assert "html" not in served["Content-Disposition"]


@pytest.mark.parametrize(
    ("uploaded", "stored"),
    [
        ("verslag school.pdf", "verslag school"),
        ("brief.html.pdf", "brief-html"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\foto 12.03.2025.jpg", "foto 12-03-2025"),
        (".htaccess", "htaccess"),
        ("", "document"),
        ("\u202egpj.exe", "gpj"),
    ],
)
def test_the_stored_name_keeps_the_uploaders_stem_but_no_extension(uploaded, stored):
    assert filename_stem(uploaded) == stored


def test_while_clamd_is_stopped_uploads_wait_in_quarantine_until_the_task_scans_them(
    twente, staff, casus, virus_scanner
):
    virus_scanner.stop()
    assert upload(staff, casus, "verslag.pdf", PDF, title="Schoon verslag").status_code == 302
    assert (
        upload(staff, casus, "brief.pdf", PDF_WITH_EICAR, title="Besmette brief").status_code == 302
    )
    with tenant_context(twente):
        clean, infected = CaseDocument.objects.filter(casus=casus).order_by("id")
        assert {clean.scan, infected.scan} == {CaseDocument.Scan.PENDING}
        with connection.cursor() as cursor:
            cursor.execute("SELECT content FROM workflow_casedocument WHERE id = %s", [clean.pk])
            assert b"%PDF" not in bytes(cursor.fetchone()[0])  # quarantined, still encrypted
    assert download(staff, casus, clean).status_code == 404
    assert download(staff, casus, infected).status_code == 404
    section = documents_section(staff, casus)
    assert section.count("(wordt gecontroleerd)") == 2
    assert reverse("cases:document", args=[casus.reference, clean.pk]) not in section

    with tenant_context(twente):
        assert scan_waiting() == 0  # the scanner is still down: nothing is let through
        assert CaseDocument.objects.get(pk=clean.pk).scan == CaseDocument.Scan.PENDING

    virus_scanner.start()
    with tenant_context(twente):
        assert scan_quarantined_documents.apply().get() == 2
        clean.refresh_from_db()
        infected.refresh_from_db()
        assert (clean.scan, infected.scan) == (CaseDocument.Scan.CLEAN, CaseDocument.Scan.REFUSED)
        assert bytes(infected.content) == b""  # the virus is not kept
        line = AuditEntry.objects.get(action=AuditAction.REFUSED, object_id=str(infected.pk))
        assert line.user_id is None and line.case_id == casus.reference
        assert line.detail["signatuur"].startswith("Eicar-Test-Signature")
    assert download(staff, casus, clean).content == PDF
    assert download(staff, casus, infected).status_code == 404
    section = documents_section(staff, casus)
    assert reverse("cases:document", args=[casus.reference, clean.pk]) in section
    assert "Besmette brief <strong>(geweigerd: er zit een virus in)</strong>" in section


def test_the_readiness_probe_says_whether_the_scanner_answers_and_stays_ready_without_it(
    db, client, virus_scanner
):
    def ready() -> tuple[int, str]:
        response = client.get("/readyz", HTTP_HOST="10.0.0.1")
        return response.status_code, response.json()["virus_scanner"]

    assert ready() == (200, "ok")
    virus_scanner.stop()
    assert ready() == (200, "unavailable")
