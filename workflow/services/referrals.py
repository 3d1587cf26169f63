"""Referral (doorverwijzing) to a partner for specialised ambulant or residential help:
what it shares rests on consent or on another basis with a reason, like the
information round; the partner accepts or declines with a reason in the portal, or
staff record the decision that came by phone, mail or in a meeting. A region that
wants acceptance before a case moves on gives the step the condition
'doorverwijzing_geaccepteerd'."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from configuratie.models import Participation, Partner
from workflow.models import Casus, Consent, InvolvedPerson, LegalBasis, PartnerResponse, Referral
from workflow.services import notifications
from workflow.services.consent import checked_sharing, share
from workflow.services.records import recorded, usable_partner


@transaction.atomic
def refer(
    casus: Casus,
    *,
    actor: User,
    partner: Partner,
    help: str,
    notes: str = "",
    persons: list[InvolvedPerson],
    shared_fields: list[str],
    legal_basis: str,
    legal_basis_text: str = "",
    answer_by: date | None = None,
) -> Referral:
    require(actor, Action.RECORD_REFERRAL, casus)
    usable_partner(partner, Participation.REFERRAL)
    problems = []
    if help not in Referral.Help.values:
        problems.append(_("Kies om welke hulp het gaat."))
    if not persons:
        problems.append(_("Kies wie u doorverwijst."))
    consents = checked_sharing(
        casus,
        problems,
        answer_by=answer_by,
        persons=persons,
        shared_fields=shared_fields,
        legal_basis=legal_basis,
        legal_basis_text=legal_basis_text,
        purpose=Consent.Purpose.REFERRAL,
    )
    referral = Referral.objects.create(
        casus=casus,
        recorded_by=actor,
        partner=partner,
        help=help,
        notes=notes.strip(),
        shared_fields=sorted(shared_fields),
        legal_basis=legal_basis,
        legal_basis_text="" if legal_basis == LegalBasis.CONSENT else legal_basis_text.strip(),
        answer_by=answer_by,
    )
    return share(referral, actor=actor, persons=persons, consents=consents)


@transaction.atomic
def record_decision(
    referral: Referral, *, actor: User, accepted: bool, reason: str = "", via: str
) -> Referral:
    """The partner's decision as it reached the meldpunt by phone, mail or in a meeting."""
    require(actor, Action.DECIDE_REFERRAL, referral.casus)
    if via not in PartnerResponse.values or via == PartnerResponse.PORTAL:
        raise ValidationError(_("Kies hoe het besluit van de partner binnenkwam."))
    return decided(referral, actor=actor, accepted=accepted, reason=reason, via=via)


@transaction.atomic
def decide_in_portal(
    referral: Referral, *, actor: User, accepted: bool, reason: str = ""
) -> Referral:
    """The partner's contact person accepts or declines in the portal; whoever
    referred hears of it."""
    require(actor, Action.DECIDE_REFERRAL_AS_PARTNER, referral)
    referral = decided(
        referral, actor=actor, accepted=accepted, reason=reason, via=PartnerResponse.PORTAL
    )
    notifications.partner_decided(referral)
    return referral


def decided(referral: Referral, *, actor: User, accepted: bool, reason: str, via: str) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not referral.is_open:
        raise ValidationError(_("Over deze doorverwijzing is al besloten."))
    if not accepted and not reason.strip():
        raise ValidationError(_("Geef de reden waarom de doorverwijzing niet wordt geaccepteerd."))
    referral.status = Referral.Status.ACCEPTED if accepted else Referral.Status.DECLINED
    referral.decline_reason = "" if accepted else reason.strip()
    referral.decided_at, referral.decided_by, referral.decided_via = timezone.now(), actor, via
    referral.save(
        update_fields=["status", "decline_reason", "decided_at", "decided_by", "decided_via"]
    )
    return recorded(referral, referral.casus, actor, AuditAction.CHANGE)
