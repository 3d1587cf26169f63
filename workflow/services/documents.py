"""Documents on a case: attachments checked by their content (not by their name), named
by the product after their detected type, scanned by ClamAV (or kept in quarantine until
the scanner is back), limited in size, encrypted at rest in the region's schema, and only
read through the access check of `read_document`, which writes an audit line for every
download."""

import logging
import unicodedata

import filetype
from celery import current_app
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from meldpunt import virusscan
from workflow.models import CaseDocument, Casus
from workflow.services.records import recorded

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
# What the content must be, whatever the file is called.
ALLOWED_TYPES = {
    "application/pdf": _("PDF"),
    "image/png": _("PNG-afbeelding"),
    "image/jpeg": _("JPEG-afbeelding"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _("Word (docx)"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _("Excel (xlsx)"),
    "application/vnd.oasis.opendocument.text": _("OpenDocument-tekst (odt)"),
}


def allowed_types_text() -> str:
    return ", ".join(str(label) for label in ALLOWED_TYPES.values())


def add_document(casus: Casus, *, actor: User, title: str, upload: UploadedFile) -> CaseDocument:
    """Store an upload that is of an allowed type and that the scanner found clean; while
    the scanner is down, store it in quarantine (`Scan.PENDING`) for `scan_waiting`."""
    require(actor, Action.ADD_DOCUMENT, casus)
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("Het bestand is te groot: hoogstens %(mb)d MB.") % {"mb": MAX_BYTES // 2**20}
        )
    content = upload.read()
    # Scanned before its type is judged: an infected file is refused as infected, and
    # leaves an audit line, whatever it pretends to be.
    try:
        verdict = virusscan.scan(content)
    except virusscan.ScannerUnavailable:
        verdict = None
    if verdict is not None and verdict.infected:
        record_infection(actor, casus, verdict.signature)
        raise ValidationError(
            _(
                "Het bestand is geweigerd: de viruscontrole heeft er een virus in gevonden "
                "(%(signature)s). Het is niet opgeslagen."
            )
            % {"signature": verdict.signature}
        )
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("Dit soort bestand kan niet worden toegevoegd. Toegestaan: %(types)s.")
            % {"types": allowed_types_text()}
        )
    filename = f"{filename_stem(upload.name or '')}.{kind.extension}"
    scanned = verdict is not None
    with transaction.atomic():
        document = CaseDocument.objects.create(
            casus=casus,
            recorded_by=actor,
            title=title.strip() or filename,
            filename=filename,
            content_type=kind.mime,
            size=len(content),
            content=content,
            scan=CaseDocument.Scan.CLEAN if scanned else CaseDocument.Scan.PENDING,
            scanned_at=timezone.now() if scanned else None,
        )
        if not scanned:
            transaction.on_commit(request_scan)
        return recorded(document, casus, actor)


def filename_stem(name: str) -> str:
    """The uploader's name without its extension, and without any other dot that could
    pass for one ("brief.html.pdf"): no path, no control characters, at most 100 long."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    kept = "".join(
        "-" if c == "." else c
        for c in unicodedata.normalize("NFC", stem)
        if c.isprintable() and c not in '"<>:|?*'
    )
    return kept.strip(" -")[:100] or "document"


SCAN_TASK = "workflow.tasks.scan_quarantined_documents"


def request_scan() -> None:
    """Ask a worker to scan what waits; if the broker is down, the periodic run will.

    Named, not imported: the task module calls this one, not the reverse. The tenant-aware
    app puts the region's schema in the message headers."""
    try:
        current_app.send_task(SCAN_TASK, retry=False)
    except Exception:  # the broker being unreachable must never fail the upload
        logger.warning("Broker unreachable; the quarantine waits for the periodic scan")


SCAN_BATCH_SIZE = 20


def scan_waiting() -> int:
    """Scan the documents in quarantine: release the clean ones, refuse (erase) the
    infected ones. Stops at the first document the scanner cannot judge: it is down
    again and the next run goes on. Returns how many were judged; safe to run in parallel."""
    judged = 0
    waiting = CaseDocument.objects.filter(scan=CaseDocument.Scan.PENDING)
    for document_id in waiting.order_by("id").values_list("id", flat=True)[:SCAN_BATCH_SIZE]:
        with transaction.atomic():
            document = (
                waiting.select_for_update(skip_locked=True, of=("self",))
                .select_related("casus")
                .filter(pk=document_id)
                .first()
            )
            if document is None:  # another worker has it
                continue
            try:
                verdict = virusscan.scan(bytes(document.content))
            except virusscan.ScannerUnavailable:
                break
            document.scanned_at = timezone.now()
            if verdict.infected:
                document.scan, document.content = CaseDocument.Scan.REFUSED, b""
                record_infection(None, document.casus, verdict.signature, document)
            else:
                document.scan = CaseDocument.Scan.CLEAN
            document.save(update_fields=["scan", "content", "scanned_at"])
            judged += 1
    return judged


def record_infection(
    user: User | None, casus: Casus, signature: str, document: CaseDocument | None = None
) -> None:
    """The audit line of a refused upload: at the upload (the uploader's) or after the
    quarantine (the scanner's, without a user)."""
    record(
        AuditAction.REFUSED,
        user=user,
        target=document,
        case_id=casus.reference,
        grounds="viruscontrole",
        detail={"reden": "virus", "signatuur": signature[:200]},
    )


def read_document(user: User, casus: Casus, document_id: int) -> CaseDocument:
    """A document of `casus` to download: the policy decides, and the download is an audit line."""
    require(user, Action.VIEW_CASE, casus)
    # Only what the scanner found clean; in quarantine or refused it is not there to have.
    document = CaseDocument.objects.get(casus=casus, pk=document_id, scan=CaseDocument.Scan.CLEAN)
    record(
        AuditAction.EXPORT,
        user=user,
        target=document,
        case_id=casus.reference,
        grounds="casusbehandeling",
        detail={"download": True},
    )
    return document
