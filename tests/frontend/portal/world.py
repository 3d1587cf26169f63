"""A region with what the partner portal is about: a case whose victim goes to two
partners (one information request and one referral each), a contact person linked to
the first partner, and one not linked to any."""

from dataclasses import dataclass

from django_tenants.utils import tenant_context

from accounts.models import User
from configuratie.models import Partner, PartnerContact
from tests.factories import case_in_step, sign_covenants
from workflow.models import Casus, InformationRequest, Referral
from workflow.services import information, referrals

SHARED_SCHOOL = "Verborgen Lyceum"  # the school is never shared: it must not show


@dataclass
class PortalWorld:
    staff: User
    casus: Casus
    partner: Partner
    other_partner: Partner
    contact: User  # linked to `partner`
    request: InformationRequest
    other_request: InformationRequest
    referral: Referral
    other_referral: Referral


def partner_world(region, make_user, *, name: str = "Noor Bakker") -> PortalWorld:
    sign_covenants(region)
    staff = make_user(region, "medewerker")
    contact = make_user(region, "partnercontact")
    casus = case_in_step(region, "melding", staff, name=name)
    with tenant_context(region):
        victim = casus.persons.get()
        victim.school = SHARED_SCHOOL
        victim.save()
        both = Partner.objects.filter(
            participates_in__contains=["informatieronde", "doorverwijzing"]
        ).order_by("name")
        partner, other = both[0], both[1]
        PartnerContact.objects.create(partner=partner, name="Contact", account=contact)

        def share(to: Partner) -> dict:
            return {
                "partner": to,
                "persons": [victim],
                "shared_fields": ["naam", "geboortejaar"],
                "legal_basis": "convenant",
                "legal_basis_text": "Nodig om de veiligheid in te schatten.",
            }

        def ask(to: Partner) -> InformationRequest:
            return information.request_information(
                casus,
                actor=staff,
                subject=f"Bekendheid bij {to.name}",
                question="Is zij bij u bekend?",
                **share(to),
            )

        def refer(to: Partner) -> Referral:
            return referrals.refer(casus, actor=staff, help="ambulant", **share(to))

        return PortalWorld(
            staff=staff,
            casus=casus,
            partner=partner,
            other_partner=other,
            contact=contact,
            request=ask(partner),
            other_request=ask(other),
            referral=refer(partner),
            other_referral=refer(other),
        )
