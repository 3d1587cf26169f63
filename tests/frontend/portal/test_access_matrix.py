"""Who reaches which case and partner-portal page: every role, on a case (or request,
or referral) they are linked to and one they are not, in both demo regions; and every
Twente account against Limburg's pages. The expected answer of each cell is written
out below, not derived from the policy it checks."""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django_tenants.utils import tenant_context

from tests.conftest import host_of
from tests.factories import meeting_with
from tests.frontend.portal.world import PortalWorld, partner_world
from workflow.models import Casus

OK, FORBIDDEN, NOT_FOUND = 200, 403, 404


@dataclass(frozen=True)
class Page:
    name: str
    url: object  # (world) -> str

    def of(self, world: PortalWorld) -> str:
        return self.url(world)


CASE_PAGES = [
    Page("case", lambda w: reverse("cases:detail", args=[w.casus.reference])),
    Page(
        "request_task",
        lambda w: reverse("cases:task", args=[w.casus.reference, "informatieverzoek"]),
    ),
    Page(
        "answer",
        lambda w: reverse(
            "cases:information_request", args=[w.casus.reference, w.request.pk, "antwoord"]
        ),
    ),
    Page(
        "decision",
        lambda w: reverse("cases:referral_decision", args=[w.casus.reference, w.referral.pk]),
    ),
    Page("consent", lambda w: reverse("cases:task", args=[w.casus.reference, "toestemming"])),
    Page(
        "referral_task", lambda w: reverse("cases:task", args=[w.casus.reference, "doorverwijzing"])
    ),
    Page("comensha", lambda w: reverse("cases:comensha", args=[w.casus.reference])),
]
PORTAL_PAGES = [
    Page("inbox", lambda w: reverse("portal:inbox")),
    Page("portal_request", lambda w: reverse("portal:request", args=[w.request.pk])),
    Page("portal_referral", lambda w: reverse("portal:referral", args=[w.referral.pk])),
]
STAFF = {"case": OK, "request_task": OK, "answer": OK, "decision": OK, "consent": OK}
STAFF |= {"referral_task": OK, "comensha": OK}
NO_CASES = dict.fromkeys(STAFF, NOT_FOUND)
NO_PORTAL = {"inbox": FORBIDDEN, "portal_request": FORBIDDEN, "portal_referral": FORBIDDEN}
# (who, linked to the object?) -> page -> status
EXPECTED = {
    ("medewerker", True): STAFF | NO_PORTAL,
    ("medewerker", False): STAFF | NO_PORTAL,
    ("procesregisseur", True): STAFF | NO_PORTAL,
    ("procesregisseur", False): STAFF | NO_PORTAL,
    ("casuscoordinator", True): {
        "case": OK,
        "request_task": FORBIDDEN,
        "answer": FORBIDDEN,
        "decision": FORBIDDEN,
        "consent": OK,
        "referral_task": OK,
        "comensha": OK,
    }
    | NO_PORTAL,
    ("casuscoordinator", False): NO_CASES | NO_PORTAL,
    ("screeningsteamlid", True): {
        "case": OK,
        "request_task": FORBIDDEN,
        "answer": FORBIDDEN,
        "decision": FORBIDDEN,
        "consent": FORBIDDEN,
        "referral_task": OK,
        "comensha": FORBIDDEN,
    }
    | NO_PORTAL,
    ("screeningsteamlid", False): NO_CASES | NO_PORTAL,
    ("partnercontact", True): NO_CASES | {"inbox": OK, "portal_request": OK, "portal_referral": OK},
    ("partnercontact", False): NO_CASES
    | {"inbox": OK, "portal_request": NOT_FOUND, "portal_referral": NOT_FOUND},
    ("partnercontact zonder partner", True): NO_CASES | NO_PORTAL,
    ("partnercontact zonder partner", False): NO_CASES | NO_PORTAL,
    ("regiobeheerder", True): NO_CASES | NO_PORTAL,
    ("regiobeheerder", False): NO_CASES | NO_PORTAL,
    ("analist", True): NO_CASES | NO_PORTAL,
    ("analist", False): NO_CASES | NO_PORTAL,
    ("privacyofficer", True): NO_CASES | NO_PORTAL,
    ("privacyofficer", False): NO_CASES | NO_PORTAL,
}
WHO = sorted({who for who, _linked in EXPECTED})


def not_linked(world: PortalWorld) -> PortalWorld:
    """The same case seen from the contact of the other partner: their items are not theirs."""
    return PortalWorld(
        **vars(world) | {"request": world.other_request, "referral": world.other_referral}
    )


def clients(region, world: PortalWorld, client_for, make_user) -> dict:
    """A signed-in client per subject; the coordinator and screener are linked to
    `world.casus` and to no other case."""
    made = {}
    for who in WHO:
        user = world.contact if who == "partnercontact" else make_user(region, who.split()[0])
        client = client_for(region)
        with tenant_context(region):
            client.force_login(user)
            if who == "casuscoordinator":
                Casus.objects.filter(pk=world.casus.pk).update(coordinator=user)
        if who == "screeningsteamlid":
            meeting_with(region, world.casus, [user], "screeningsteam")
        made[who] = client
    return made


def observed(client: Client, page: Page, world: PortalWorld) -> int:
    return client.get(page.of(world)).status_code


@pytest.mark.parametrize("region_name", ["twente", "limburg"])
def test_every_role_on_a_linked_and_an_unlinked_case_or_item(
    region_name, twente, limburg, client_for, make_user
):
    region = {"twente": twente, "limburg": limburg}[region_name]
    linked = partner_world(region, make_user, name="Roos Linked")
    other = partner_world(region, make_user, name="Roos Other")
    subjects = clients(region, linked, client_for, make_user)
    wrong = []
    for who in WHO:
        for is_linked in (True, False):
            if is_linked:
                world = linked
            else:  # another organisation's items; for everyone else, another case
                world = not_linked(linked) if who == "partnercontact" else other
            for page in CASE_PAGES + PORTAL_PAGES:
                expected = EXPECTED[(who, is_linked)][page.name]
                got = observed(subjects[who], page, world)
                if got != expected:
                    wrong.append((who, is_linked, page.name, expected, got))
    assert wrong == []


def test_a_twente_account_reaches_nothing_of_limburg(twente, limburg, client_for, make_user):
    """A Twente session is no session in Limburg: every page asks to sign in there,
    whatever the role, and Limburg's objects stay unknown."""
    limburg_world = partner_world(limburg, make_user, name="Roos Limburg")
    twente_world = partner_world(twente, make_user, name="Roos Twente")
    subjects = clients(twente, twente_world, client_for, make_user)
    wrong = []
    for who, client in subjects.items():
        for page in CASE_PAGES + PORTAL_PAGES:
            response = client.get(page.of(limburg_world), HTTP_HOST=host_of(limburg))
            if response.status_code != 302 or "/accounts/login/" not in response["Location"]:
                wrong.append((who, page.name, response.status_code))
    assert wrong == []
