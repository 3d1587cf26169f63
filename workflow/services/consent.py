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
from configuratie.models import RegionSettings
from workflow.models import Consent, InvolvedPerson, LegalBasis
from workflow.services.records import recorded


def youngest_age_on(person: InvolvedPerson, day: date) -> int | None:
    """The youngest the person can be on `day`: a birth year leaves a year's doubt, and
    the rules protect the younger reading (an age given in the report counts from then)."""
    if person.birth_year:
        return day.year - person.birth_year - 1
    if person.age is not None:
        return person.age + (day - person.report.submitted_at.date()).days // 366
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
    persons: list[InvolvedPerson],
    *,
    legal_basis: str,
    legal_basis_text: str,
    purpose: str,
) -> list[Consent]:
    """The consents a sharing rests on, or nothing when it rests on another basis; refused
    when neither holds. Problems are listed at once, in Dutch."""
    if legal_basis not in LegalBasis.values:
        raise ValidationError(_("Kies de grondslag waarop u deelt."))
    if legal_basis != LegalBasis.CONSENT:
        if not legal_basis_text.strip():
            raise ValidationError(
                _(
                    "Zonder toestemming delen kan alleen met een grondslag én de reden: schrijf de reden."
                )
            )
        return []
    consents, problems = [], []
    for person in persons:
        given = [
            consent
            for consent in person.consents.all()
            if consent.purpose == purpose and consent.in_force
        ]
        if not given:
            problems.append(
                _("Voor %(who)s is geen toestemming vastgelegd voor dit doel.")
                % {"who": person.get_role_display()}
            )
        consents += given[-1:]
    if problems:
        raise ValidationError(problems)
    return consents
