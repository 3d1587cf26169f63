"""Documents on a case: attachments checked by their content (not by their name),
limited in size, encrypted at rest in the region's schema, and only read through the
access check of `read_document`, which writes an audit line for every download."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from workflow.models import CaseDocument, Casus
from workflow.services.records import recorded

MAX_BYTES = settings.DOCUMENT_MAX_BYTES
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


@transaction.atomic
def add_document(casus: Casus, *, actor: User, title: str, upload: UploadedFile) -> CaseDocument:
    require(actor, Action.ADD_DOCUMENT, casus)
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("Het bestand is te groot: hoogstens %(mb)d MB.") % {"mb": MAX_BYTES // 2**20}
        )
    content = upload.read()
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("Dit soort bestand kan niet worden toegevoegd. Toegestaan: %(types)s.")
            % {"types": allowed_types_text()}
        )
    document = CaseDocument.objects.create(
        casus=casus,
        recorded_by=actor,
        title=title.strip() or upload.name,
        filename=upload.name,
        content_type=kind.mime,
        size=len(content),
        content=content,
    )
    return recorded(document, casus, actor)


def read_document(user: User, casus: Casus, document_id: int) -> CaseDocument:
    """A document of `casus` to download: the policy decides, and the download is an audit line."""
    require(user, Action.VIEW_CASE, casus)
    document = CaseDocument.objects.get(casus=casus, pk=document_id)
    record(
        AuditAction.EXPORT,
        user=user,
        target=document,
        case_id=casus.reference,
        grounds="casusbehandeling",
        detail={"download": True},
    )
    return document
