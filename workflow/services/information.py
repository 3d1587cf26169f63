"""The information round (informatieronde): questions to covenant partners, each with
exactly which persons and which of their details it shares, resting on their consent or
on another legal basis with a reason, and an answer-by date. The partner answers in the
portal, or staff record an answer that came by phone or mail, or close a request with
a reason; the condition holds when every request is answered or closed."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from configuratie.models import Participation, Partner
from workflow.models import Casus, Consent, InformationRequest, InvolvedPerson, LegalBasis
from workflow.services import notifications
from workflow.services.consent import checked_sharing, share
from workflow.services.records import recorded, usable_partner

SUBJECT_LENGTH = 120


@transaction.atomic
def request_information(
    casus: Casus,
    *,
    actor: User,
    partner: Partner,
    question: str,
    subject: str = "",
    persons: list[InvolvedPerson],
    shared_fields: list[str],
    legal_basis: str,
    legal_basis_text: str = "",
    answer_by: date | None = None,
) -> InformationRequest:
    require(actor, Action.REQUEST_INFORMATION, casus)
    usable_partner(partner, Participation.INFORMATION_ROUND)
    problems = [_("Schrijf de vraag aan de partner.")] if not question.strip() else []
    if len(subject.strip()) > SUBJECT_LENGTH:
        problems.append(_("Het onderwerp is te lang (hoogstens 120 tekens)."))
    consents = checked_sharing(
        casus,
        problems,
        answer_by=answer_by,
        persons=persons,
        shared_fields=shared_fields,
        legal_basis=legal_basis,
        legal_basis_text=legal_basis_text,
        purpose=Consent.Purpose.SHARING,
    )
    request = InformationRequest.objects.create(
        casus=casus,
        recorded_by=actor,
        partner=partner,
        subject=subject.strip(),
        question=question.strip(),
        shared_fields=sorted(shared_fields),
        legal_basis=legal_basis,
        legal_basis_text="" if legal_basis == LegalBasis.CONSENT else legal_basis_text.strip(),
        answer_by=answer_by,
    )
    return share(request, actor=actor, persons=persons, consents=consents)


def open_request(request: InformationRequest) -> None:
    if not request.is_open:
        raise ValidationError(_("Dit verzoek is al beantwoord of gesloten."))


@transaction.atomic
def record_answer(
    request: InformationRequest, *, actor: User, answer: str, answered_via: str
) -> InformationRequest:
    """An answer the partner gave by phone, by mail or in a meeting, recorded by staff."""
    require(actor, Action.ANSWER_INFORMATION_REQUEST, request.casus)
    if answered_via not in InformationRequest.AnsweredVia.values or answered_via == (
        InformationRequest.AnsweredVia.PORTAL
    ):
        raise ValidationError(_("Kies hoe het antwoord binnenkwam."))
    return answered(request, actor=actor, answer=answer, answered_via=answered_via)


@transaction.atomic
def answer_in_portal(
    request: InformationRequest, *, actor: User, answer: str
) -> InformationRequest:
    """The partner's contact person answers in the portal: the case's condition then holds
    exactly as when staff record an answer, and whoever asked hears of it."""
    require(actor, Action.ANSWER_AS_PARTNER, request)
    request = answered(
        request, actor=actor, answer=answer, answered_via=InformationRequest.AnsweredVia.PORTAL
    )
    notifications.partner_decided(request)
    return request


def answered(
    request: InformationRequest, *, actor: User, answer: str, answered_via: str
) -> InformationRequest:
    request = InformationRequest.objects.select_for_update().get(pk=request.pk)
    open_request(request)
    if not answer.strip():
        raise ValidationError(_("Schrijf het antwoord van de partner."))
    now = timezone.now()
    request.answer, request.answered_via = answer.strip(), answered_via
    request.answered_at = request.closed_at = now
    request.answered_by = actor if answered_via == InformationRequest.AnsweredVia.PORTAL else None
    request.save(
        update_fields=["answer", "answered_via", "answered_at", "answered_by", "closed_at"]
    )
    return recorded(request, request.casus, actor, AuditAction.CHANGE)


@transaction.atomic
def close_request(request: InformationRequest, *, actor: User, reason: str) -> InformationRequest:
    """A request that will not be answered (no longer needed, the partner knows nothing)."""
    require(actor, Action.ANSWER_INFORMATION_REQUEST, request.casus)
    request = InformationRequest.objects.select_for_update().get(pk=request.pk)
    open_request(request)
    if not reason.strip():
        raise ValidationError(_("Geef de reden om het verzoek te sluiten."))
    request.close_reason, request.closed_at = reason.strip(), timezone.now()
    request.save(update_fields=["close_reason", "closed_at"])
    return recorded(request, request.casus, actor, AuditAction.CHANGE)
