"""Consent per person and purpose, checked against the region's age rules, and the
basis of everything shared with a partner: consent of every shared person, or a legal
basis with the reason for sharing without it."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import tenant_context

from configuratie.models import Partner, RegionSettings
from tests.factories import case_in_step, sign_covenants
from workflow.models import Consent
from workflow.services import consent, information, referrals


@pytest.fixture
def staff(twente, make_user):
    sign_covenants(twente)
    return make_user(twente, "medewerker")


def person_born(twente, staff, birth_year: int | None):
    casus = case_in_step(twente, "melding", staff)
    with tenant_context(twente):
        person = casus.persons.get()
        person.birth_year = birth_year
        person.save()
        return person


def give(person, staff, given_by: str, *, purpose: str = "informatie_delen", on=None):
    return consent.record_consent(
        person,
        actor=staff,
        purpose=purpose,
        given_by=given_by,
        given_on=on or timezone.localdate(),
        scope="Delen met de jeugdhulp.",
    )


@pytest.mark.parametrize(
    ("years_since_birth", "allowed", "refused"),
    [
        # Born in the year given: a birth year leaves a year's doubt, and the rules take
        # the younger reading (16 years after the birth year may still be 15).
        (17, {"betrokkene", "samen"}, {"ouder_voogd"}),
        (16, {"samen"}, {"betrokkene", "ouder_voogd"}),
        (13, {"samen"}, {"betrokkene", "ouder_voogd"}),
        (12, {"ouder_voogd", "samen"}, {"betrokkene"}),
        (9, {"ouder_voogd", "samen"}, {"betrokkene"}),
    ],
)
def test_who_may_consent_follows_the_regions_age_rules(
    twente, staff, years_since_birth, allowed, refused
):
    person = person_born(twente, staff, timezone.localdate().year - years_since_birth)
    with tenant_context(twente):
        for given_by in allowed:
            assert give(person, staff, given_by).given_by == given_by
        for given_by in refused:
            with pytest.raises(ValidationError, match="vanaf 16 beslist iemand zelf"):
                give(person, staff, given_by)


def test_the_region_sets_its_own_ages(twente, staff):
    person = person_born(twente, staff, timezone.localdate().year - 17)  # 16 or 17
    with tenant_context(twente):
        assert give(person, staff, "betrokkene")
        RegionSettings.objects.update(consent_alone_from_age=18)
        try:
            with pytest.raises(ValidationError, match="vanaf 18 beslist iemand zelf"):
                give(person, staff, "betrokkene")
        finally:
            RegionSettings.objects.update(consent_alone_from_age=16)


def test_consent_needs_an_age_a_past_date_and_a_scope(twente, staff):
    person = person_born(twente, staff, None)
    with tenant_context(twente):
        with pytest.raises(ValidationError, match="leeftijd of het geboortejaar"):
            give(person, staff, "samen")
        person.birth_year = 2000
        person.save()
        with pytest.raises(ValidationError, match="toekomst"):
            give(person, staff, "betrokkene", on=date(2999, 1, 1))


def share_with(person, staff, basis: str, reason: str = "", *, refer: bool = False):
    partner = Partner.objects.filter(participates_in__contains=["doorverwijzing"]).first()
    shared = {
        "persons": [person],
        "shared_fields": ["naam"],
        "legal_basis": basis,
        "legal_basis_text": reason,
    }
    if refer:
        return referrals.refer(
            person.casus, actor=staff, partner=partner, help="ambulant", **shared
        )
    return information.request_information(
        person.casus, actor=staff, partner=partner, question="Bekend?", **shared
    )


def test_sharing_without_consent_needs_a_basis_and_a_reason(twente, staff):
    person = person_born(twente, staff, 2000)
    with tenant_context(twente):
        with pytest.raises(ValidationError, match="geen toestemming vastgelegd"):
            share_with(person, staff, "toestemming")
        with pytest.raises(ValidationError, match="schrijf de reden"):
            share_with(person, staff, "convenant")
        with pytest.raises(ValidationError, match="schrijf de reden"):
            share_with(person, staff, "wettelijke_taak", "   ")
        shared = share_with(person, staff, "convenant", "Nodig voor de risicotaxatie.")
        assert list(shared.consents.all()) == []
        assert shared.legal_basis_text == "Nodig voor de risicotaxatie."


def test_sharing_on_consent_rests_on_the_consent_for_that_purpose(twente, staff):
    person = person_born(twente, staff, 2000)
    with tenant_context(twente):
        given = give(person, staff, "betrokkene", purpose="informatie_delen")
        asked = share_with(person, staff, "toestemming")
        assert list(asked.consents.all()) == [given]
        with pytest.raises(ValidationError, match="geen toestemming vastgelegd"):
            share_with(person, staff, "toestemming", refer=True)  # sharing is not referral
        for_referral = give(person, staff, "betrokkene", purpose="doorverwijzing")
        referral = share_with(person, staff, "toestemming", refer=True)
        assert list(referral.consents.all()) == [for_referral]
        consent.withdraw_consent(given, actor=staff, on=timezone.localdate())
        assert not Consent.objects.get(pk=given.pk).in_force
        with pytest.raises(ValidationError, match="geen toestemming vastgelegd"):
            share_with(person, staff, "toestemming")
