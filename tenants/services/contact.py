"""A meldpunt's contact details on the platform: how another meldpunt reaches it when
they know the same person (docs/matching.md). The regiobeheerder changes them from the
region, the national administrator from the platform; both are written by the platform
in the public schema, since a region's database role only reads its Region row."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.models import User
from accounts.policy import Action, on_platform, require
from audit.models import AuditAction
from audit.services import record
from tenants.models import Region

FIELDS = ("contact_name", "contact_phone", "contact_email")


def set_contact_details(region: Region, *, actor: User, values: dict[str, str]) -> Region:
    """Store the meldpunt's team, telephone and e-mail address for other meldpunten."""
    require(actor, Action.MANAGE_REGIONS if on_platform() else Action.CONFIGURE_REGION)
    cleaned = {field: (values.get(field) or "").strip() for field in FIELDS}
    for field in FIELDS:
        limit = Region._meta.get_field(field).max_length
        if len(cleaned[field]) > limit:
            raise ValidationError(
                _("Gebruik hoogstens %(limit)s tekens.") % {"limit": limit}, code=field
            )
    if cleaned["contact_email"]:
        validate_email(cleaned["contact_email"])
    changed = {
        field: (getattr(region, field), value)
        for field, value in cleaned.items()
        if getattr(region, field) != value
    }
    if not changed:
        return region
    with transaction.atomic():
        with schema_context(get_public_schema_name()):
            Region.objects.filter(pk=region.pk).update(**cleaned)
        for field, value in cleaned.items():
            setattr(region, field, value)
        record(AuditAction.CHANGE, user=actor, target=region, changes=changed)
    return region
