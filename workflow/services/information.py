"""The information round (informatieronde): questions to covenant partners, each with
exactly which persons and which of their details it shares and on what legal basis,
and an answer-by date. Staff record an answer that came by phone or mail, or close a
request with a reason; the condition holds when every request is answered or closed."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from configuratie.models import CovenantStatus, Participation, Partner
from workflow.models import Casus, InformationRequest, InvolvedPerson, LegalBasis
from workflow.services.records import recorded, usable_partner


def partners_for_information_round(on: date | None = None) -> QuerySet[Partner]:
    """Partners whose covenant is in force and who take part in the information round."""
    today = on or timezone.localdate()
    return Partner.objects.filter(
        Q(covenant_ends_on__isnull=True) | Q(covenant_ends_on__gte=today),
        covenant_status=CovenantStatus.SIGNED,
        covenant_signed_on__lte=today,
        participates_in__contains=[Participation.INFORMATION_ROUND],
    )


@transaction.atomic
def request_information(
    casus: Casus,
    *,
    actor: User,
    partner: Partner,
    question: str,
    persons: list[InvolvedPerson],
    shared_fields: list[str],
    legal_basis: str,
    legal_basis_text: str = "",
    answer_by: date | None = None,
) -> InformationRequest:
    require(actor, Action.REQUEST_INFORMATION, casus)
    usable_partner(partner, Participation.INFORMATION_ROUND)
    problems = []
    if not question.strip():
        problems.append(_("Schrijf de vraag aan de partner."))
    if any(person.casus_id != casus.pk for person in persons):
        problems.append(_("Deel alleen betrokkenen van deze casus."))
    if set(shared_fields) - set(InformationRequest.SharedField.values):
        problems.append(_("Kies alleen gegevens uit de lijst."))
    if shared_fields and not persons:
        problems.append(_("Kies van welke betrokkene(n) u gegevens deelt."))
    if legal_basis not in LegalBasis.values:
        problems.append(_("Kies de grondslag waarop u deelt."))
    if legal_basis == LegalBasis.OTHER and not legal_basis_text.strip():
        problems.append(_("Licht de andere grondslag toe."))
    if answer_by is not None and answer_by < timezone.localdate():
        problems.append(_("Kies een datum vanaf vandaag."))
    if problems:
        raise ValidationError(problems)
    request = InformationRequest.objects.create(
        casus=casus,
        recorded_by=actor,
        partner=partner,
        question=question.strip(),
        shared_fields=sorted(shared_fields),
        legal_basis=legal_basis,
        legal_basis_text=legal_basis_text.strip(),
        answer_by=answer_by,
    )
    request.persons.set(persons)
    record(
        AuditAction.CREATE,
        user=actor,
        target=request,
        case_id=casus.reference,
        grounds=legal_basis,
        detail={
            "partner": partner.pk,
            "gedeeld": sorted(shared_fields),
            "betrokkenen": sorted(person.pk for person in persons),
        },
    )
    return request


def open_request(request: InformationRequest) -> None:
    if not request.is_open:
        raise ValidationError(_("Dit verzoek is al beantwoord of gesloten."))


@transaction.atomic
def record_answer(
    request: InformationRequest, *, actor: User, answer: str, answered_via: str
) -> InformationRequest:
    """An answer the partner gave by phone, by mail or in a meeting, recorded by staff."""
    require(actor, Action.ANSWER_INFORMATION_REQUEST, request.casus)
    request = InformationRequest.objects.select_for_update().get(pk=request.pk)
    open_request(request)
    if not answer.strip():
        raise ValidationError(_("Schrijf het antwoord van de partner."))
    if answered_via not in InformationRequest.AnsweredVia.values:
        raise ValidationError(_("Kies hoe het antwoord binnenkwam."))
    now = timezone.now()
    request.answer, request.answered_via = answer.strip(), answered_via
    request.answered_at = request.closed_at = now
    request.save(update_fields=["answer", "answered_via", "answered_at", "closed_at"])
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


def shared_details(request: InformationRequest) -> list[dict[str, str]]:
    """What a request shares: per shared person, only the chosen fields."""
    values = {
        InformationRequest.SharedField.NAME: lambda p: p.name,
        InformationRequest.SharedField.BIRTH_YEAR: lambda p: p.birth_year or "",
        InformationRequest.SharedField.AGE: lambda p: p.age or "",
        InformationRequest.SharedField.MUNICIPALITY: lambda p: p.municipality,
        InformationRequest.SharedField.SCHOOL: lambda p: p.school,
    }
    labels = dict(InformationRequest.SharedField.choices)
    return [
        {"role": person.get_role_display()}
        | {str(labels[field]): str(values[field](person)) for field in request.shared_fields}
        for person in request.persons.all()
    ]
