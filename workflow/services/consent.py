"""Consent per person and purpose, checked against the region's age rules when it is
recorded, and the basis on which anything is shared with a partner: the consent of
every person shared, or another legal basis with the reason for sharing without it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from configuratie.models import RegionSettings
from workflow.models import (
    Casus,
    Consent,
    InvolvedPerson,
    LegalBasis,
    SharedField,
    SharedWithPartner,
)
from workflow.services.records import recorded


def youngest_age_on(person: InvolvedPerson, day: date) -> int | None:
    """The youngest the person can be on `day`: a birth year leaves a year's doubt, and
    the rules protect the younger reading (an age given in the report counts from then)."""
    if person.birth_year:
        return day.year - person.birth_year - 1
    if person.age is not None:
        return person.age + (day - timezone.localdate(person.report.submitted_at)).days // 366
    return None


def allowed_givers(age: int, region: RegionSettings) -> set[str]:
    if age >= region.consent_alone_from_age:
        return {Consent.GivenBy.PERSON, Consent.GivenBy.TOGETHER}
    if age >= region.consent_together_from_age:
        return {Consent.GivenBy.TOGETHER}
    return {Consent.GivenBy.GUARDIAN, Consent.GivenBy.TOGETHER}


@transaction.atomic
def record_consent(
    person: InvolvedPerson,
    *,
    actor: User,
    purpose: str,
    given_by: str,
    given_on: date,
    scope: str,
) -> Consent:
    require(actor, Action.RECORD_CONSENT, person.casus)
    if purpose not in Consent.Purpose.values:
        raise ValidationError(_("Kies waarvoor de toestemming is."))
    if given_by not in Consent.GivenBy.values:
        raise ValidationError(_("Kies wie de toestemming gaf."))
    if given_on > timezone.localdate():
        raise ValidationError(_("Toestemming kan niet in de toekomst zijn gegeven."))
    if not scope.strip():
        raise ValidationError(_("Beschrijf waarvoor precies toestemming is gegeven."))
    age = youngest_age_on(person, given_on)
    if age is None:
        raise ValidationError(
            _(
                "Leg eerst de leeftijd of het geboortejaar vast: daarvan hangt af wie toestemming geeft."
            )
        )
    region = RegionSettings.current()
    if given_by not in allowed_givers(age, region):
        raise ValidationError(
            _(
                "Bij %(age)d jaar geldt: vanaf %(alone)d beslist iemand zelf, vanaf %(together)d samen met een ouder of voogd, daaronder beslist een ouder of voogd."
            )
            % {
                "age": age,
                "alone": region.consent_alone_from_age,
                "together": region.consent_together_from_age,
            }
        )
    consent = Consent.objects.create(
        casus=person.casus,
        person=person,
        recorded_by=actor,
        purpose=purpose,
        given_by=given_by,
        given_on=given_on,
        scope=scope.strip(),
    )
    return recorded(consent, person.casus, actor)


@transaction.atomic
def withdraw_consent(consent: Consent, *, actor: User, on: date) -> Consent:
    require(actor, Action.RECORD_CONSENT, consent.casus)
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on"])
    return recorded(consent, consent.casus, actor)


def sharing_basis(
    casus: Casus,
    *,
    persons: list[InvolvedPerson],
    shared_fields: list[str],
    legal_basis: str,
    legal_basis_text: str,
    purpose: str,
) -> list[Consent]:
    """Check what is about to go to a partner, and return the consents it rests on
    (nothing when it rests on another legal basis). Refused, with every problem listed
    in Dutch, when a person is not of this case, a detail is unknown, details go without
    a person, or there is neither consent of every shared person nor a basis and a reason."""
    problems = []
    if any(person.casus_id != casus.pk for person in persons):
        problems.append(_("Deel alleen betrokkenen van deze casus."))
    if set(shared_fields) - set(SharedField.values):
        problems.append(_("Kies alleen gegevens uit de lijst."))
    if shared_fields and not persons:
        problems.append(_("Kies van welke betrokkene(n) u gegevens deelt."))
    consents = []
    if legal_basis not in LegalBasis.values:
        problems.append(_("Kies de grondslag waarop u deelt."))
    elif legal_basis != LegalBasis.CONSENT:
        if not legal_basis_text.strip():
            problems.append(
                _(
                    "Zonder toestemming delen kan alleen met een grondslag én de reden: schrijf de reden."
                )
            )
    else:
        for person in persons:
            given = [
                consent
                for consent in person.consents.all()
                if consent.purpose == purpose and consent.in_force
            ]
            if not given:
                problems.append(
                    _("Voor %(who)s is geen toestemming vastgelegd voor dit doel.")
                    % {"who": person_label(person)}
                )
            consents += given[-1:]
    if problems:
        raise ValidationError(problems)
    return consents


def checked_sharing(
    casus: Casus,
    problems: list[str],
    *,
    answer_by: date | None,
    purpose: str,
    **shared,
) -> list[Consent]:
    """`sharing_basis` with the answer-by date checked too, refusing with the caller's
    own `problems` and these at once, so the user sees every one of them together."""
    if answer_by is not None and answer_by < timezone.localdate():
        problems.append(_("Kies een datum vanaf vandaag."))
    try:
        consents = sharing_basis(casus, purpose=purpose, **shared)
    except ValidationError as refused:
        problems += refused.messages
    if problems:
        raise ValidationError(problems)
    return consents


def share(
    shared: SharedWithPartner,
    *,
    actor: User,
    persons: list[InvolvedPerson],
    consents: list[Consent],
) -> SharedWithPartner:
    """Attach the persons and consents to what was just made, with the audit line that
    says to whom, which details, of whom and on what basis."""
    shared.persons.set(persons)
    shared.consents.set(consents)
    record(
        AuditAction.CREATE,
        user=actor,
        target=shared,
        case_id=shared.casus.reference,
        grounds=shared.legal_basis,
        detail={
            "partner": shared.partner_id,
            "gedeeld": sorted(shared.shared_fields),
            "betrokkenen": sorted(person.pk for person in persons),
            "toestemmingen": sorted(consent.pk for consent in consents),
        },
    )
    return shared


def person_label(person: InvolvedPerson) -> str:
    """A person as staff see them in a sentence: the name, or the role when there is none."""
    return person.name or str(person.get_role_display())


def shared_details(shared: SharedWithPartner) -> list[dict[str, str]]:
    """What is shared: per shared person, the role and only the chosen details."""
    values = {
        SharedField.NAME: lambda p: p.name,
        SharedField.BIRTH_YEAR: lambda p: p.birth_year or "",
        SharedField.AGE: lambda p: p.age or "",
        SharedField.MUNICIPALITY: lambda p: p.get_municipality_display(),
        SharedField.SCHOOL: lambda p: p.school,
    }
    labels = dict(SharedField.choices)
    return [
        {str(_("rol")): str(person.get_role_display())}
        | {str(labels[field]): str(values[field](person)) for field in shared.shared_fields}
        for person in shared.persons.all()
    ]
