"""Every download is an attachment named as RFC 6266 says: a name outside ASCII is
given as `filename*=utf-8''…` (percent-encoded UTF-8), never as a MIME-encoded header
that browsers do not read as an attachment."""

from urllib.parse import unquote

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tenants.utils import tenant_context

from tests.factories import case_in_step
from tests.frontend.cases.test_casework import PDF
from workflow.models import CaseDocument

NAME = "verslag Zoë uit Súdwest-Fryslân \u2013 ’s-Hertogenbosch.pdf"  # noqa: RUF001


def test_a_document_with_a_name_outside_ascii_downloads_as_an_attachment_with_its_name(
    twente, logged_in, virus_scanner
):
    staff = logged_in(twente, "medewerker")
    casus = case_in_step(twente, "screening", staff.user)
    added = staff.post(
        reverse("cases:task", args=[casus.reference, "documenten"]),
        {"title": "Verslag", "upload": SimpleUploadedFile(NAME, PDF)},
    )
    assert added.status_code == 302
    with tenant_context(twente):
        document = CaseDocument.objects.get(casus=casus)

    download = staff.get(reverse("cases:document", args=[casus.reference, document.pk]))

    disposition = download["Content-Disposition"]
    kind, _, encoded = disposition.partition("; filename*=utf-8''")
    assert kind == "attachment" and disposition.isascii()
    assert unquote(encoded) == document.filename and not document.filename.isascii()
    assert download.content == PDF
