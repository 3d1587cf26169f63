"""A staff member adds documents to a case: an infected file is refused with the reason;
while the virus scanner is down a file shows as 'wordt gecontroleerd' and cannot be
downloaded, and once the scanner is back a real Celery worker releases it."""

import secrets
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, assert_accessible, log_in
from tests.serving import EICAR, REPO, OwnClamd

TWENTE = "twente.localhost"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
CASE_IN_CARE_COORDINATION = """
from accounts.models import User
from configuratie.models import StepKind
from workflow.models import Casus
from workflow.intake import offered_forms
from workflow.services import reports
actor = User.objects.get(email="medewerker@twente.demo")
person = reports.PersonData(role="slachtoffer", name="Document {tag}")
data = reports.ReportData(form_code=offered_forms().first().code, channel="telefoon", reporter_type="ouder",
    concern="Zorgen.", persons=[person])
casus = reports.record_intake(data, actor=actor).report.casus
step = casus.definition.steps.filter(kind=StepKind.ZORGCOORDINATIE).first()
Casus.objects.filter(pk=casus.pk).update(current_step=step)
print(casus.reference)
"""
# What the tenant-aware beat does each minute, to a queue only this test's worker reads.
SCAN_AS_THE_BEAT_DOES = """
from workflow.tasks import scan_quarantined_documents
scan_quarantined_documents.apply_async(queue={queue!r})
print("sent")
"""


def add_document(page: Page, server: Server, reference: str, path: Path, title: str) -> None:
    page.goto(server.url(TWENTE, f"/casussen/{reference}/"))
    page.get_by_role("link", name="Document toevoegen").first.click()
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Bestand").set_input_files(str(path))
    page.get_by_role("button", name="Vastleggen").click()


def documents(page: Page):
    return page.locator("section", has=page.locator("#documenten"))


def test_an_infected_file_is_refused_and_one_added_while_the_scanner_is_down_waits(
    page: Page, server: Server, own_clamd: OwnClamd, tmp_path: Path
):
    reference = server.shell("twente", CASE_IN_CARE_COORDINATION.format(tag=secrets.token_hex(2)))
    log_in(page, server, TWENTE, "medewerker@twente.demo")
    infected = tmp_path / "verslag.pdf"
    infected.write_bytes(b"%PDF-1.4\n" + EICAR + b"\n%%EOF")
    add_document(page, server, reference, infected, "Verslag van school")
    expect(page.get_by_role("alert")).to_contain_text(
        "Het bestand is geweigerd: de viruscontrole heeft er een virus in gevonden"
    )
    expect(page.get_by_label("Titel")).to_have_value("Verslag van school")
    assert_accessible(page)

    clean = tmp_path / "gesprek.html"  # named as a web page, but a PDF: stored as .pdf
    clean.write_bytes(PDF)
    own_clamd.stop()
    try:
        add_document(page, server, reference, clean, "Gespreksverslag")
        expect(page.get_by_role("status").first).to_contain_text("Het document is toegevoegd.")
        waiting = documents(page).get_by_role("listitem").filter(has_text="Gespreksverslag")
        expect(waiting).to_contain_text("(wordt gecontroleerd)")
        expect(waiting.get_by_role("link")).to_have_count(0)
        assert_accessible(page)
    finally:
        own_clamd.start()

    queue = f"test-{secrets.token_hex(4)}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "meldpunt", "worker", "--pool", "solo",
         "-Q", queue, "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=REPO, env=server.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        server.shell("twente", SCAN_AS_THE_BEAT_DOES.format(queue=queue))
        link = documents(page).get_by_role("link", name="Gespreksverslag")
        deadline = time.monotonic() + 60
        while not link.count() and time.monotonic() < deadline:
            time.sleep(0.5)
            page.reload()
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename == "gesprek.pdf"
        assert Path(download.value.path()).read_bytes() == PDF
    finally:
        worker.terminate()
        worker.wait(timeout=30)
