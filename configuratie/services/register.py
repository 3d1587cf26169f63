"""Saving and removing the region's configuration records (partners, priorities, list
entries, risk instrument, settings) from the configuration screens, with an audit line."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.forms import BaseFormSet, ModelForm
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from configuratie.models import CatalogueEntry


@transaction.atomic
def save_record(form: ModelForm, *, actor, formset: BaseFormSet | None = None) -> models.Model:
    require(actor, Action.CONFIGURE_REGION)
    creating = form.instance.pk is None
    obj = form.save(commit=False)
    if isinstance(obj, CatalogueEntry) and not obj.code:
        obj.code = unique_code(obj)
    obj.save()
    form.save_m2m()
    if formset is not None:
        formset.instance = obj
        linking = [f for f in formset.forms if "account" in f.changed_data]
        formset.save()
        for contact_form in linking:
            link_partner_account(contact_form, actor=actor)
    record(AuditAction.CREATE if creating else AuditAction.CHANGE, user=actor, target=obj)
    return obj


def link_partner_account(contact_form: ModelForm, *, actor) -> None:
    """Linking an account to a partner's contact person opens the partner portal to it:
    an act of user management, never on one's own account, with its own audit line."""
    require(actor, Action.MANAGE_USERS)
    account = contact_form.cleaned_data.get("account")
    if account is not None and account.pk == actor.pk:
        raise ValidationError(_("U kunt uw eigen account niet aan een partner koppelen."))
    before = contact_form.initial.get("account")
    record(
        AuditAction.CHANGE,
        user=actor,
        target=contact_form.instance,
        changes={"account": (before, account.pk if account else None)},
    )


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
