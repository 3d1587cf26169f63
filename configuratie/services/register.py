"""Saving and removing the region's configuration records (partners, priorities, list
entries, risk instrument, settings) from the configuration screens, with an audit line."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from configuratie.models import CatalogueEntry, PartnerContact


@dataclass(frozen=True)
class ContactChange:
    """One of a partner's contact persons as the regiobeheerder left it."""

    contact_id: int | None  # None: a new contact person
    values: dict[str, Any] = field(default_factory=dict)  # name, function, email, phone, account
    delete: bool = False


def save_record(
    entry: models.Model,
    *,
    actor,
    values: dict[str, Any],
    contacts: Sequence[ContactChange] = (),
) -> models.Model:
    """Saves a configuration record (`entry`, unsaved when new) with `values` (its fields
    by name) and, for a partner, the changes to its contact persons. The policy first:
    configuring the region, and user management where a contact person's account in the
    partner portal changes; nothing is written when either is refused."""
    require(actor, Action.CONFIGURE_REGION)
    with transaction.atomic():
        stored = {
            contact.pk: contact
            for contact in PartnerContact.objects.select_for_update().filter(
                partner_id=entry.pk, pk__in=[change.contact_id for change in contacts]
            )
        }
        before = {
            change.contact_id: account_of(stored.get(change.contact_id)) for change in contacts
        }
        linking = [
            change
            for change in contacts
            if not change.delete and before[change.contact_id] != account_id(change)
        ]
        for change in linking:
            check_account_link(change.values.get("account"), actor=actor)
        creating = entry.pk is None
        for name, value in values.items():
            setattr(entry, name, value)
        if isinstance(entry, CatalogueEntry) and not entry.code:
            entry.code = unique_code(entry)
        entry.save()
        for change in contacts:
            contact = save_contact(entry, stored.get(change.contact_id), change)
            if change in linking:
                record(
                    AuditAction.CHANGE,
                    user=actor,
                    target=contact,
                    changes={"account": (before[change.contact_id], account_id(change))},
                )
        record(AuditAction.CREATE if creating else AuditAction.CHANGE, user=actor, target=entry)
    return entry


def account_of(contact: PartnerContact | None) -> int | None:
    return contact.account_id if contact else None


def account_id(change: ContactChange) -> int | None:
    account = change.values.get("account")
    return account.pk if account else None


def check_account_link(account, *, actor) -> None:
    """Linking an account to a partner's contact person opens the partner portal to it:
    an act of user management, never on one's own account."""
    require(actor, Action.MANAGE_USERS)
    if account is not None and account.pk == actor.pk:
        raise ValidationError(_("U kunt uw eigen account niet aan een partner koppelen."))


def save_contact(
    partner: models.Model, contact: PartnerContact | None, change: ContactChange
) -> PartnerContact | None:
    """The contact person as changed; None once deleted."""
    if change.delete:
        if contact is not None:
            contact.delete()
        return None
    contact = contact or PartnerContact(partner=partner)
    for name, value in change.values.items():
        setattr(contact, name, value)
    contact.save()
    return contact


@transaction.atomic
def delete_record(obj: models.Model, *, actor) -> None:
    require(actor, Action.CONFIGURE_REGION)
    try:
        with transaction.atomic():
            record(AuditAction.CHANGE, user=actor, target=obj, detail={"verwijderd": str(obj)})
            obj.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("'%(name)s' is in gebruik in casussen en kan niet worden verwijderd.") % {"name": obj}
        ) from error


def unique_code(entry: CatalogueEntry) -> str:
    base = slugify(entry.name)[:50] or "waarde"
    taken = set(
        CatalogueEntry.objects.filter(catalogue=entry.catalogue).values_list("code", flat=True)
    )
    code, number = base, 2
    while code in taken:
        code, number = f"{base}-{number}", number + 1
    return code
