"""Who reaches which API endpoint: every endpoint and method, every role, on a case (or
request, or referral) they are linked to and one they are not, in both demo regions,
signed in with a personal API token and with a session alike; every Twente
account's token and session against Limburg's endpoints; and a national
administrator's token and session against the platform's endpoints and every
region's. The expected answer of each
cell is written out below, not derived from the policy it checks, and agrees with the
screens' matrix (tests/frontend/portal/test_access_matrix.py).

A write is sent with an empty body: 400 (the fields are missing) means the user got
past the policy to the validation; 403 and 404 mean they did not. Moving a case is a
400 for anyone who may see it, as on the case page: the engine refuses the move with
its reasons, whoever asks. The meetings are closed and the registration with CoMensha
is sent: a write on one (planning aside) is a 400 for whoever gets past the policy,
and no cell changes what the next one finds."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.services import create_api_token
from tests.conftest import host_of
from tests.factories import meeting_with
from tests.frontend.portal.world import PortalWorld, partner_world
from workflow.models import CaseDocument, Casus, Meeting
from workflow.services import comensha, consent, plans

OK, INVALID, NOT_SIGNED_IN, FORBIDDEN, NOT_FOUND = 200, 400, 401, 403, 404
SIGN_IN = ["token", "session"]


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    url: Callable[[PortalWorld], str]

    def call(self, client: Client, world: PortalWorld, **extra) -> int:
        url = self.url(world)
        if self.method == "GET":
            return client.get(url, **extra).status_code
        if self.method == "DELETE":
            return client.delete(url, **extra).status_code
        return client.post(url, {}, content_type="application/json", **extra).status_code


def case(path: str = "") -> Callable[[PortalWorld], str]:
    return lambda w: f"/api/v1/casussen/{w.casus.reference}/{path}"


def meeting(world: PortalWorld, path: str = "") -> str:
    return f"/api/v1/overleggen/{MEETINGS[world.casus.pk]}/{path}"


ENDPOINTS = [
    Endpoint("cases", "GET", lambda w: "/api/v1/casussen/"),
    Endpoint("match_signals", "GET", lambda w: "/api/v1/landelijke-signalen/"),
    Endpoint("case", "GET", case()),
    Endpoint("move", "POST", case("stap/")),
    Endpoint("screening", "POST", case("screening/")),
    Endpoint("request", "POST", case("informatieverzoeken/")),
    Endpoint("answer", "POST", lambda w: case(f"informatieverzoeken/{w.request.pk}/antwoord/")(w)),
    Endpoint("close", "POST", lambda w: case(f"informatieverzoeken/{w.request.pk}/sluiten/")(w)),
    Endpoint("referral", "POST", case("doorverwijzingen/")),
    Endpoint("decision", "POST", lambda w: case(f"doorverwijzingen/{w.referral.pk}/besluit/")(w)),
    Endpoint("persons", "GET", case("betrokkenen/")),
    Endpoint("risk", "POST", case("risicotaxaties/")),
    Endpoint("feedback", "POST", case("terugkoppeling/")),
    Endpoint("plan", "POST", case("plan/")),
    Endpoint("plan_action", "POST", lambda w: case(f"plan/acties/{PLAN_ACTIONS[w.casus.pk]}/")(w)),
    Endpoint("transfer", "POST", case("overdracht/")),
    Endpoint("transfers", "GET", lambda w: "/api/v1/overdrachten/"),
    # Sent with an empty body: a 400 before any proposal is looked up.
    Endpoint("transfer_decision", "POST", lambda w: "/api/v1/overdrachten/1/besluit/"),
    Endpoint("consent", "POST", case("toestemmingen/")),
    Endpoint(
        "withdraw", "POST", lambda w: case(f"toestemmingen/{CONSENTS[w.casus.pk]}/intrekken/")(w)
    ),
    Endpoint("evaluation", "POST", case("evaluatie/")),
    Endpoint("link", "POST", case("koppelingen/")),
    Endpoint("add_document", "POST", case("documenten/")),
    Endpoint("document", "GET", lambda w: case(f"documenten/{DOCUMENTS[w.casus.pk]}/")(w)),
    Endpoint("comensha", "POST", case("comensha/")),
    Endpoint("comensha_file", "GET", lambda w: case(f"comensha/{REGISTRATIONS[w.casus.pk]}/")(w)),
    Endpoint(
        "comensha_sent",
        "POST",
        lambda w: case(f"comensha/{REGISTRATIONS[w.casus.pk]}/verstuurd/")(w),
    ),
    Endpoint("meetings", "GET", lambda w: "/api/v1/overleggen/"),
    Endpoint("meeting", "GET", lambda w: meeting(w)),
    Endpoint("plan_meeting", "POST", lambda w: "/api/v1/overleggen/"),
    Endpoint("agenda", "POST", lambda w: meeting(w, "agenda/")),
    Endpoint("remove_item", "DELETE", lambda w: meeting(w, f"agenda/{ITEMS[w.casus.pk]}/")),
    Endpoint("record_item", "POST", lambda w: meeting(w, f"agenda/{ITEMS[w.casus.pk]}/verslag/")),
    Endpoint("close_meeting", "POST", lambda w: meeting(w, "vaststellen/")),
    Endpoint("prevention", "GET", lambda w: "/api/v1/preventie/"),
    Endpoint("record_prevention", "POST", lambda w: "/api/v1/preventie/"),
    Endpoint("advice", "GET", lambda w: "/api/v1/adviesvragen/"),
    Endpoint("record_advice", "POST", lambda w: "/api/v1/adviesvragen/"),
    Endpoint("inbox", "GET", lambda w: "/api/v1/partner/inbox/"),
    Endpoint(
        "portal_request", "GET", lambda w: f"/api/v1/partner/informatieverzoeken/{w.request.pk}/"
    ),
    Endpoint(
        "portal_answer",
        "POST",
        lambda w: f"/api/v1/partner/informatieverzoeken/{w.request.pk}/antwoord/",
    ),
    Endpoint(
        "portal_referral", "GET", lambda w: f"/api/v1/partner/doorverwijzingen/{w.referral.pk}/"
    ),
    Endpoint(
        "portal_decision",
        "POST",
        lambda w: f"/api/v1/partner/doorverwijzingen/{w.referral.pk}/besluit/",
    ),
    Endpoint("partner_report", "POST", lambda w: "/api/v1/meldingen/"),
    Endpoint("statistics", "GET", lambda w: "/api/v1/statistiek/"),
    Endpoint("steps", "GET", lambda w: "/api/v1/configuratie/stappen/"),
    Endpoint("partners", "GET", lambda w: "/api/v1/configuratie/partners/"),
    Endpoint("catalogues", "GET", lambda w: "/api/v1/configuratie/lijsten/"),
    Endpoint("form_token", "GET", lambda w: "/api/v1/openbaar/formuliertoken/"),
    Endpoint("public_report", "POST", lambda w: "/api/v1/openbaar/meldingen/"),
    Endpoint("schema", "GET", lambda w: "/api/v1/schema/"),
    Endpoint("docs", "GET", lambda w: "/api/v1/docs/"),
]
# The plan action, the (closed) meeting with the case on its agenda as which item, and
# the registration with CoMensha (sent already) and the consent it rests on, and a
# document (scanned clean), of each world's case.
PLAN_ACTIONS: dict[int, int] = {}
REGISTRATIONS: dict[int, int] = {}
CONSENTS: dict[int, int] = {}
DOCUMENTS: dict[int, int] = {}
MEETINGS: dict[int, int] = {}
ITEMS: dict[int, int] = {}
PUBLIC = {"form_token": OK, "public_report": INVALID, "schema": OK, "docs": OK}
CONFIGURATION = {"steps": OK, "partners": OK, "catalogues": OK}
NO_STATISTICS = {"statistics": FORBIDDEN}
NO_PORTAL = {
    "inbox": FORBIDDEN,
    "portal_request": FORBIDDEN,
    "portal_answer": FORBIDDEN,
    "portal_referral": FORBIDDEN,
    "portal_decision": FORBIDDEN,
    "partner_report": FORBIDDEN,
}
NO_PREVENTION = {"prevention": FORBIDDEN, "record_prevention": FORBIDDEN}
NO_PREVENTION |= {"advice": FORBIDDEN, "record_advice": FORBIDDEN}
CASE_ENDPOINTS = ["case", "persons", "move", "screening", "request", "answer", "close"]
CASE_ENDPOINTS += ["referral", "decision", "risk", "feedback", "plan", "plan_action", "transfer"]
CASE_ENDPOINTS += ["consent", "withdraw", "evaluation", "link", "add_document", "document"]
CASE_ENDPOINTS += ["comensha", "comensha_file", "comensha_sent"]
MEETING_WRITES = ["agenda", "remove_item", "record_item", "close_meeting"]
NO_MEETINGS = {"meetings": FORBIDDEN, "meeting": NOT_FOUND, "plan_meeting": FORBIDDEN}
NO_MEETINGS |= dict.fromkeys(MEETING_WRITES, NOT_FOUND)
NO_CASES = {"cases": FORBIDDEN} | dict.fromkeys(CASE_ENDPOINTS, NOT_FOUND) | NO_MEETINGS
UNLINKED_CASE_STAFF = {"cases": OK} | dict.fromkeys(CASE_ENDPOINTS, NOT_FOUND) | NO_MEETINGS
MELDPUNT_STAFF = (
    {"cases": OK, "case": OK, "persons": OK}
    | dict.fromkeys(CASE_ENDPOINTS[2:], INVALID)
    | {"comensha_file": OK, "document": OK}
    | {"meetings": OK, "meeting": OK, "prevention": OK, "record_prevention": INVALID}
    | {"advice": OK, "record_advice": INVALID}
    | dict.fromkeys(["plan_meeting", *MEETING_WRITES], INVALID)
)
# A warme overdracht is the procesregisseur's: proposing on a case, and deciding.
NO_TRANSFERS = {"transfers": FORBIDDEN, "transfer_decision": FORBIDDEN}
TRANSFERS = {"transfer": INVALID, "transfers": OK, "transfer_decision": INVALID}
# Signals of persons known to another meldpunt too: the procesregisseur's alone.
MATCH_SIGNALS = {"match_signals": OK}
EVERYONE = PUBLIC | CONFIGURATION | NO_TRANSFERS | {"match_signals": FORBIDDEN}
# (who, linked to the object?) -> endpoint -> status
EXPECTED = {
    ("medewerker", True): MELDPUNT_STAFF
    | {"transfer": FORBIDDEN}
    | NO_PORTAL
    | NO_STATISTICS
    | EVERYONE,
    ("medewerker", False): MELDPUNT_STAFF
    | {"transfer": FORBIDDEN}
    | NO_PORTAL
    | NO_STATISTICS
    | EVERYONE,
    ("procesregisseur", True): MELDPUNT_STAFF
    | NO_PORTAL
    | {"statistics": OK}
    | EVERYONE
    | TRANSFERS
    | MATCH_SIGNALS,
    ("procesregisseur", False): MELDPUNT_STAFF
    | NO_PORTAL
    | {"statistics": OK}
    | EVERYONE
    | TRANSFERS
    | MATCH_SIGNALS,
    ("casuscoordinator", True): {
        "cases": OK,
        "case": OK,
        "persons": OK,
        "move": INVALID,
        "screening": FORBIDDEN,
        "request": FORBIDDEN,
        "answer": FORBIDDEN,
        "close": FORBIDDEN,
        "referral": INVALID,
        "decision": FORBIDDEN,
        "risk": FORBIDDEN,
        "feedback": INVALID,
        "plan": INVALID,
        "plan_action": INVALID,
        "transfer": FORBIDDEN,
        "consent": INVALID,
        "withdraw": INVALID,
        "evaluation": FORBIDDEN,
        "link": FORBIDDEN,
        "add_document": INVALID,
        "document": OK,
        "comensha": INVALID,
        "comensha_file": OK,
        "comensha_sent": INVALID,
    }
    | NO_MEETINGS
    | NO_PORTAL
    | NO_STATISTICS
    | NO_PREVENTION
    | EVERYONE,
    ("casuscoordinator", False): UNLINKED_CASE_STAFF
    | NO_PORTAL
    | NO_STATISTICS
    | NO_PREVENTION
    | EVERYONE,
    ("screeningsteamlid", True): {
        "cases": OK,
        "case": OK,
        "persons": OK,
        "move": INVALID,
        "screening": INVALID,
        "request": FORBIDDEN,
        "answer": FORBIDDEN,
        "close": FORBIDDEN,
        "referral": INVALID,
        "decision": FORBIDDEN,
        "risk": INVALID,
        "feedback": INVALID,
        "plan": INVALID,
        "plan_action": FORBIDDEN,
        "transfer": FORBIDDEN,
        "consent": FORBIDDEN,
        "withdraw": FORBIDDEN,
        "evaluation": FORBIDDEN,
        "link": FORBIDDEN,
        "add_document": INVALID,
        "document": OK,
        "comensha": FORBIDDEN,
        "comensha_file": FORBIDDEN,
        "comensha_sent": FORBIDDEN,
        "meetings": OK,
        "meeting": OK,
        "plan_meeting": FORBIDDEN,
        "agenda": FORBIDDEN,
        "remove_item": FORBIDDEN,
        "record_item": INVALID,
        "close_meeting": FORBIDDEN,
    }
    | NO_PORTAL
    | NO_STATISTICS
    | NO_PREVENTION
    | EVERYONE,
    ("screeningsteamlid", False): UNLINKED_CASE_STAFF
    | {"meetings": OK}
    | NO_PORTAL
    | NO_STATISTICS
    | NO_PREVENTION
    | EVERYONE,
    ("partnercontact", True): NO_CASES
    | {
        "inbox": OK,
        "portal_request": OK,
        "portal_answer": INVALID,
        "portal_referral": OK,
        "portal_decision": INVALID,
        "partner_report": INVALID,
    }
    | NO_STATISTICS
    | NO_PREVENTION
    | EVERYONE,
    ("partnercontact", False): NO_CASES
    | {
        "inbox": OK,
        "portal_request": NOT_FOUND,
        "portal_answer": NOT_FOUND,
        "portal_referral": NOT_FOUND,
        "portal_decision": NOT_FOUND,
        "partner_report": INVALID,
    }
    | NO_STATISTICS
    | NO_PREVENTION
    | EVERYONE,
    ("partnercontact zonder partner", True): NO_CASES
    | NO_PORTAL
    | NO_STATISTICS
    | NO_PREVENTION
    | EVERYONE,
    ("partnercontact zonder partner", False): NO_CASES
    | NO_PORTAL
    | NO_STATISTICS
    | NO_PREVENTION
    | EVERYONE,
    ("regiobeheerder", True): NO_CASES | NO_PORTAL | {"statistics": OK} | NO_PREVENTION | EVERYONE,
    ("regiobeheerder", False): NO_CASES | NO_PORTAL | {"statistics": OK} | NO_PREVENTION | EVERYONE,
    ("analist", True): NO_CASES | NO_PORTAL | {"statistics": OK} | NO_PREVENTION | EVERYONE,
    ("analist", False): NO_CASES | NO_PORTAL | {"statistics": OK} | NO_PREVENTION | EVERYONE,
    ("privacyofficer", True): NO_CASES | NO_PORTAL | NO_STATISTICS | NO_PREVENTION | EVERYONE,
    ("privacyofficer", False): NO_CASES | NO_PORTAL | NO_STATISTICS | NO_PREVENTION | EVERYONE,
}
WHO = sorted({who for who, _linked in EXPECTED})


def not_linked(world: PortalWorld) -> PortalWorld:
    """The same case seen from the contact of the other partner: their items are not theirs."""
    return PortalWorld(
        **vars(world) | {"request": world.other_request, "referral": world.other_referral}
    )


def signed_in(region, user, how: str) -> Client:
    """A client of `region` that is `user`: with a personal API token of theirs in every
    request, or with a session."""
    with tenant_context(region):
        if how == "session":
            client = Client(HTTP_HOST=host_of(region))
            client.force_login(user)
            return client
        _token, key = create_api_token(
            user, name="Koppeling", expires_at=timezone.now() + timedelta(days=30)
        )
    return Client(HTTP_HOST=host_of(region), HTTP_AUTHORIZATION=f"Token {key}")


def subjects(region, world: PortalWorld, make_user, how: str) -> dict[str, Client]:
    """A signed-in client per subject; the coordinator and screener are linked to
    `world.casus` and to no other case."""
    made = {}
    for who in WHO:
        user = world.contact if who == "partnercontact" else make_user(region, who.split()[0])
        if who == "casuscoordinator":
            with tenant_context(region):
                Casus.objects.filter(pk=world.casus.pk).update(coordinator=user)
        if who == "screeningsteamlid":
            closed_meeting(region, world, [user], "screeningsteam")
        made[who] = signed_in(region, user, how)
    return made


def with_plan_and_meeting(region, world: PortalWorld) -> PortalWorld:
    """The world's case with a plan of one action, on the agenda of a meeting of staff."""
    with tenant_context(region):
        plan = plans.write_plan(
            world.casus,
            actor=world.staff,
            goals="Veiligheid thuis.",
            actions=[plans.ActionData(description="Gesprek", owner_name="Jeugdwerker")],
        )
        PLAN_ACTIONS[world.casus.pk] = plan.actions.get().pk
        registration = sent_registration(world)
        REGISTRATIONS[world.casus.pk] = registration.pk
        CONSENTS[world.casus.pk] = registration.consent_id
        DOCUMENTS[world.casus.pk] = CaseDocument.objects.create(
            casus=world.casus,
            recorded_by=world.staff,
            title="Verslag",
            filename="verslag.pdf",
            content_type="application/pdf",
            size=4,
            content=b"%PDF",
            scan=CaseDocument.Scan.CLEAN,
        ).pk
    closed_meeting(region, world, [world.staff], "casusoverleg")
    return world


def sent_registration(world: PortalWorld):
    """The victim's registration with CoMensha, sent: a write on it is a 400 for whoever
    gets past the policy (the victim is 15: consent given together with a parent)."""
    victim = world.casus.persons.get()
    consent.record_consent(
        victim,
        actor=world.staff,
        purpose="registratie_comensha",
        given_by="samen",
        given_on=timezone.localdate(),
        scope="Registratie bij CoMensha.",
    )
    registration = comensha.prepare_registration(
        victim,
        actor=world.staff,
        exploitation="seksueel",
        country_of_origin="Nederland",
        age=15,
        gender="v",
        identifying_organisation="Meldpunt",
        need="registratie",
    )
    return comensha.record_sent(registration, actor=world.staff)


def closed_meeting(region, world: PortalWorld, attendees: list, kind: str) -> None:
    """The meeting of the world's case: its agenda holds the case, its minutes are fixed."""
    item = meeting_with(region, world.casus, attendees, kind)
    with tenant_context(region):
        Meeting.objects.filter(pk=item.meeting_id).update(closed_at=timezone.now())
    MEETINGS[world.casus.pk], ITEMS[world.casus.pk] = item.meeting_id, item.pk


def mismatches(expected: dict, subjects: dict[str, Client], linked, other) -> list[tuple]:
    """Every cell whose answer differs from `expected`, as (who, linked, endpoint,
    expected, got)."""
    assert {name for cells in expected.values() for name in cells} == {e.name for e in ENDPOINTS}
    wrong = []
    for who in WHO:
        for is_linked in (True, False):
            if is_linked:
                world = linked
            else:  # another organisation's items; for everyone else, another case
                world = not_linked(linked) if who == "partnercontact" else other
            for endpoint in ENDPOINTS:
                want = expected[(who, is_linked)][endpoint.name]
                got = endpoint.call(subjects[who], world)
                if got != want:
                    wrong.append((who, is_linked, endpoint.name, want, got))
    return wrong


@pytest.mark.parametrize("how", SIGN_IN)
@pytest.mark.parametrize("region_name", ["twente", "limburg"])
def test_every_role_on_every_endpoint_of_a_linked_and_an_unlinked_case_or_item(
    region_name, how, twente, limburg, make_user
):
    region = {"twente": twente, "limburg": limburg}[region_name]
    linked = with_plan_and_meeting(region, partner_world(region, make_user, name="Roos Linked"))
    other = with_plan_and_meeting(region, partner_world(region, make_user, name="Roos Other"))
    clients = subjects(region, linked, make_user, how)
    assert mismatches(EXPECTED, clients, linked, other) == []


def test_the_matrix_reports_a_cell_that_answers_otherwise(twente, make_user):
    """The check can fail: one cell written wrongly (the analist reading a case) is
    found, and nothing else."""
    linked = with_plan_and_meeting(twente, partner_world(twente, make_user, name="Roos Linked"))
    other = with_plan_and_meeting(twente, partner_world(twente, make_user, name="Roos Other"))
    clients = subjects(twente, linked, make_user, "token")
    wrong = EXPECTED | {("analist", True): EXPECTED[("analist", True)] | {"case": OK}}
    assert mismatches(wrong, clients, linked, other) == [("analist", True, "case", OK, NOT_FOUND)]


@pytest.mark.parametrize("how", SIGN_IN)
def test_a_twente_account_reaches_nothing_of_limburg(twente, limburg, make_user, how):
    """A Twente token or session is none in Limburg: every endpoint that needs an
    account answers 'not signed in', whatever the role; the public ones stay public."""
    limburg_world = with_plan_and_meeting(
        limburg, partner_world(limburg, make_user, name="Roos Limburg")
    )
    twente_world = partner_world(twente, make_user, name="Roos Twente")
    clients = subjects(twente, twente_world, make_user, how)
    wrong = []
    for who, client in clients.items():
        for endpoint in ENDPOINTS:
            got = endpoint.call(client, limburg_world, HTTP_HOST=host_of(limburg))
            want = PUBLIC.get(endpoint.name, NOT_SIGNED_IN)
            if got != want:
                wrong.append((who, endpoint.name, want, got))
    assert wrong == []


PLATFORM_ENDPOINTS = [
    Endpoint("regions", "GET", lambda w: "/api/v1/regios/"),
    Endpoint("benchmark", "GET", lambda w: "/api/v1/benchmark/"),
]
# who -> platform endpoint -> status, on the platform's domain
PLATFORM_EXPECTED = {
    "landelijk beheerder": {"regions": OK, "benchmark": OK},
    "anoniem": {"regions": NOT_SIGNED_IN, "benchmark": NOT_SIGNED_IN},
    # A region's token or session is none on the platform.
    "regiobeheerder van twente": {"regions": NOT_SIGNED_IN, "benchmark": NOT_SIGNED_IN},
}
# A national administrator's token or session is none in a region: every endpoint that
# needs an account answers 'not signed in'; the public ones stay public.
NATIONAL_IN_A_REGION = dict.fromkeys([e.name for e in ENDPOINTS], NOT_SIGNED_IN) | PUBLIC


def national_signed_in(national_client: Client, how: str) -> Client:
    """The platform's client of a national administrator: with a personal API token of
    theirs in every request (made on the platform), or with the session."""
    if how == "session":
        return national_client
    connection.set_schema_to_public()
    _token, key = create_api_token(
        national_client.user, name="Koppeling", expires_at=timezone.now() + timedelta(days=30)
    )
    return Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {key}")


@pytest.mark.parametrize("how", SIGN_IN)
def test_the_platform_endpoints_are_for_national_administrators(
    national_client, twente, make_user, how
):
    clients = {
        "landelijk beheerder": national_signed_in(national_client, how),
        "anoniem": Client(HTTP_HOST="localhost"),
        "regiobeheerder van twente": signed_in(twente, make_user(twente, "regiobeheerder"), how),
    }
    got = {
        who: {e.name: e.call(client, None, HTTP_HOST="localhost") for e in PLATFORM_ENDPOINTS}
        for who, client in clients.items()
    }
    assert got == PLATFORM_EXPECTED
    # The region's own domain has no such endpoint.
    regional = clients["regiobeheerder van twente"]
    assert [e.call(regional, None) for e in PLATFORM_ENDPOINTS] == [NOT_FOUND, NOT_FOUND]


@pytest.mark.parametrize("how", SIGN_IN)
def test_a_national_administrator_reaches_nothing_of_a_region(
    national_client, twente, limburg, make_user, how
):
    client = national_signed_in(national_client, how)
    wrong = []
    for region in (twente, limburg):
        world = with_plan_and_meeting(region, partner_world(region, make_user, name="Roos"))
        for endpoint in ENDPOINTS:
            got = endpoint.call(client, world, HTTP_HOST=host_of(region))
            if got != NATIONAL_IN_A_REGION[endpoint.name]:
                wrong.append((region.slug, endpoint.name, NATIONAL_IN_A_REGION[endpoint.name], got))
    assert wrong == []
