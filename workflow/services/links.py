"""Cases that belong together (a victim's and a perpetrator's, or one network), linked
by someone who may work on both; each case stays under its own need-to-know."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, may, require
from audit.models import AuditAction
from audit.services import record
from workflow.models import CaseLink, Casus


def link_by_reference(casus: Casus, reference: str, *, actor: User, kind: str) -> CaseLink:
    """Link `casus` to the case with code `reference`; a case the actor may not link to
    is refused as one that does not exist, so that a code reveals nothing."""
    other = Casus.objects.filter(reference=reference.strip()).first()
    if other is None or not may(actor, Action.LINK_CASES, other):
        raise ValidationError(_("U kunt geen casus met die code koppelen."))
    return link_cases(casus, other, actor=actor, kind=kind)


@transaction.atomic
def link_cases(casus: Casus, other: Casus, *, actor: User, kind: str) -> CaseLink:
    require(actor, Action.LINK_CASES, casus)
    require(actor, Action.LINK_CASES, other)
    if casus.pk == other.pk:
        raise ValidationError(_("Een casus kan niet aan zichzelf worden gekoppeld."))
    if kind not in CaseLink.Kind.values:
        raise ValidationError(_("Kies de soort koppeling."))
    if CaseLink.objects.filter(casus__in=[casus, other], linked__in=[casus, other]).exists():
        raise ValidationError(_("Deze casussen zijn al gekoppeld."))
    link = CaseLink.objects.create(casus=casus, linked=other, kind=kind, created_by=actor)
    for side, counterpart in ((casus, other), (other, casus)):
        record(
            AuditAction.CHANGE,
            user=actor,
            target=side,
            case_id=side.reference,
            detail={"gekoppeld_aan": counterpart.reference, "soort": kind},
        )
    return link
