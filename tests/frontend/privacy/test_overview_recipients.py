"""A person's access overview names who received their data outside the meldpunt's
screens: the partner organisation, the account and the channel (the partner portal or
the API); the privacy officer finds the person by name, a search logged without it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.services import create_api_token
from audit.chain import verify_chain
from audit.models import AuditAction, AuditEntry
from meldpunt.encryption import blind_index
from privacy.selectors import PERSON_SEARCH, PERSONS_FOUND_AT_MOST
from tests.factories import reported_case
from tests.frontend.portal.world import partner_world
from tests.frontend.privacy.test_privacy_screens import reauthenticate

TWENTE = "Meldpunt Twente"


@pytest.fixture
def officer(twente, logged_in):
    client = logged_in(twente, "privacyofficer")
    reauthenticate(client)
    return client


@pytest.fixture
def world(twente, make_user):
    return partner_world(twente, make_user, name="Noor Ontvanger")


def victim_of(region, world):
    with tenant_context(region):
        return world.casus.persons.get()


def who_read(officer, person) -> list[str]:
    rows = officer.get(reverse("privacy:overview", args=[person.pk])).context["rows"]
    return [row.who for row in rows if row.action == AuditAction.VIEW]


def with_token(region, user) -> str:
    with tenant_context(region):
        _token, key = create_api_token(
            user, name="Koppeling", expires_at=timezone.now() + timedelta(days=30)
        )
    return f"Token {key}"


def test_a_read_in_the_partner_portal_names_the_organisation_the_account_and_the_channel(
    twente, client_for, world, officer
):
    contact = client_for(twente)
    with tenant_context(twente):
        contact.force_login(world.contact)
    assert contact.get(reverse("portal:request", args=[world.request.pk])).status_code == 200

    victim = victim_of(twente, world)
    assert who_read(officer, victim)[-1] == (
        f"een contactpersoon van {world.partner.name}, convenantpartner van {TWENTE}"
        f" (account {world.contact.email}), via het partnerportaal"
    )
    with tenant_context(twente):
        line = AuditEntry.objects.filter(user_id=world.contact.pk, person_id=str(victim.pk)).get()
        assert line.detail == {"kanaal": "partnerportaal", "partner": world.partner.pk}
        assert verify_chain().intact  # the channel is part of the hashed line


def test_a_read_through_the_api_with_a_token_says_via_de_api_and_names_the_account(
    twente, client_for, world, officer
):
    case_url = reverse("api-case", args=[world.casus.reference])
    staff_key = with_token(twente, world.staff)
    assert client_for(twente).get(case_url, HTTP_AUTHORIZATION=staff_key).status_code == 200
    request_url = reverse("api-partner-request", args=[world.request.pk])
    contact_key = with_token(twente, world.contact)
    assert client_for(twente).get(request_url, HTTP_AUTHORIZATION=contact_key).status_code == 200

    assert who_read(officer, victim_of(twente, world))[-2:] == [
        f"een medewerker meldpunt van {TWENTE} (account {world.staff.email}), via de API",
        f"een contactpersoon van {world.partner.name}, convenantpartner van {TWENTE}"
        f" (account {world.contact.email}), via de API",
    ]


def test_a_read_on_the_meldpunt_s_own_screens_names_the_role_only(
    twente, logged_in, world, officer
):
    staff = logged_in(twente, "medewerker")
    assert staff.get(reverse("cases:detail", args=[world.casus.reference])).status_code == 200
    assert (
        who_read(officer, victim_of(twente, world))[-1] == f"een medewerker meldpunt van {TWENTE}"
    )


def test_a_partner_s_line_from_before_the_channel_was_kept_names_the_linked_organisation(
    twente, world, officer
):
    victim = victim_of(twente, world)
    with tenant_context(twente):
        AuditEntry.objects.create(
            action=AuditAction.VIEW,
            user_id=world.contact.pk,
            user_email=world.contact.email,
            role="partnercontact",
            person_id=str(victim.pk),
            grounds="partnerportaal",
        )
    assert who_read(officer, victim)[-1] == (
        f"een contactpersoon van {world.partner.name}, convenantpartner van {TWENTE}"
        f" (account {world.contact.email})"
    )


def test_the_officer_finds_a_person_by_name_and_the_search_is_logged_without_the_name(
    twente, world, officer
):
    victim = victim_of(twente, world)
    url = reverse("privacy:overview_choose")
    response = officer.post(url, {"naam": "ontvanger", "geboortejaar": ""})
    assert response.status_code == 200
    assert [match.person.pk for match in response.context["found"]] == [victim.pk]
    assert not response.context["found"][0].full_name
    page = response.content.decode()
    assert reverse("privacy:overview", args=[victim.pk]) in page
    assert world.casus.reference in page and "Noor" not in page

    full = officer.post(url, {"naam": "NOOR  ontvanger"}).context["found"]
    assert [(match.person.pk, match.full_name) for match in full] == [(victim.pk, True)]
    assert (
        officer.post(url, {"naam": "Noor Ontvanger", "geboortejaar": "1990"}).context["found"] == []
    )

    with tenant_context(twente):
        searches = list(
            AuditEntry.objects.filter(user_id=officer.user.pk, action=AuditAction.SEARCH).order_by(
                "id"
            )
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT row_to_json(line)::text FROM audit_auditentry line WHERE id = ANY(%s)",
                [[line.pk for line in searches]],
            )
            stored = " ".join(row[0] for row in cursor.fetchall()).lower()
    assert [(line.person_id, line.grounds) for line in searches] == [
        (str(victim.pk), PERSON_SEARCH),
        (str(victim.pk), PERSON_SEARCH),
        ("", PERSON_SEARCH),
    ]
    assert searches[0].detail == {
        "zoekopdracht": "betrokkene op naam",
        "met_geboortejaar": False,
        "gevonden": 1,
    }
    for typed in ("noor", "ontvanger", blind_index("noor ontvanger"), blind_index("ontvanger")):
        assert typed not in stored

    rows = officer.get(reverse("privacy:overview", args=[victim.pk])).context["rows"]
    assert "om bij een verzoek om inzage de juiste persoon te vinden" in [
        row.grounds for row in rows if row.action == AuditAction.SEARCH
    ]


def test_a_name_search_asks_for_a_name_and_a_real_year(twente, officer):
    response = officer.post(
        reverse("privacy:overview_choose"), {"naam": "", "geboortejaar": "twintig"}
    )
    assert response.status_code == 400
    assert "Vul de naam van de betrokkene in." in response.content.decode()
    assert "Vul een jaar in, bijvoorbeeld 2011." in response.content.decode()


def test_the_name_search_needs_a_recent_second_factor(twente, logged_in):
    client = logged_in(twente, "privacyofficer")
    response = client.post(reverse("privacy:overview_choose"), {"naam": "Noor"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    with tenant_context(twente):
        assert not AuditEntry.objects.filter(user_id=client.user.pk, action=AuditAction.SEARCH)


def test_the_name_search_needs_the_same_queries_however_many_are_found_and_shows_at_most_50(
    twente, officer
):
    url = reverse("privacy:overview_choose")
    with tenant_context(twente):
        reported_case("Sem Veelvoud")
    with CaptureQueriesContext(connection) as one:
        assert len(officer.post(url, {"naam": "Veelvoud"}).context["found"]) == 1
    with tenant_context(twente):
        for _number in range(PERSONS_FOUND_AT_MOST):
            reported_case("Sem Veelvoud")
    with CaptureQueriesContext(connection) as many:
        response = officer.post(url, {"naam": "Veelvoud"})
    assert len(response.context["found"]) == PERSONS_FOUND_AT_MOST and response.context["more"]
    assert "Vul ook het geboortejaar in" in response.content.decode()
    assert len(many.captured_queries) == len(one.captured_queries)
