"""The API's lists cost the same number of queries with few rows as with many."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from configuratie.models import CatalogueEntry, CatalogueKind, Partner, PartnerKind
from statistiek.services import save_activity
from tenants.models import Domain, Region
from tests.factories import case_in_step, meeting_with
from tests.frontend.portal.world import partner_world
from workflow.services import information


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def signed_in(region, user, client_for):
    client = client_for(region)
    with tenant_context(region):
        client.force_login(user)
    return client


def test_the_case_list_costs_the_same_with_more_cases(
    twente, client_for, make_user, django_assert_max_num_queries
):
    staff_user = make_user(twente, "medewerker")
    staff = signed_in(twente, staff_user, client_for)
    case_in_step(twente, "melding", staff_user)
    few = queries_of(staff, "/api/v1/casussen/")
    for step in ["melding", "screening", "informatieronde"] * 4:
        case_in_step(twente, step, staff_user)
    with django_assert_max_num_queries(few):
        rows = staff.get("/api/v1/casussen/").json()
    assert rows["aantal"] == 13


def test_the_partner_inbox_costs_the_same_with_more_requests(
    twente, client_for, make_user, django_assert_max_num_queries
):
    world = partner_world(twente, make_user)
    contact = signed_in(twente, world.contact, client_for)
    few = queries_of(contact, "/api/v1/partner/inbox/")
    with tenant_context(twente):
        victim = world.casus.persons.get()
        for number in range(6):
            information.request_information(
                world.casus,
                actor=world.staff,
                partner=world.partner,
                question=f"Vraag {number}",
                persons=[victim],
                shared_fields=["naam"],
                legal_basis="convenant",
                legal_basis_text="Nodig.",
            )
    with django_assert_max_num_queries(few):
        inbox = contact.get("/api/v1/partner/inbox/").json()
    assert len(inbox["open_requests"]) == 7


def test_the_configuration_lists_cost_the_same_with_more_rows(
    twente, client_for, make_user, django_assert_max_num_queries
):
    reader = signed_in(twente, make_user(twente, "analist"), client_for)
    urls = ["/api/v1/configuratie/partners/", "/api/v1/configuratie/lijsten/"]
    urls += ["/api/v1/configuratie/stappen/"]
    few = {url: queries_of(reader, url) for url in urls}
    with tenant_context(twente):
        for number in range(5):
            Partner.objects.create(name=f"Partner {number}", kind=PartnerKind.ZORG)
            CatalogueEntry.objects.create(
                catalogue=CatalogueKind.SIGNAL, code=f"signaal-{number}", name=f"Signaal {number}"
            )
    for url in urls:
        with django_assert_max_num_queries(few[url]):
            assert reader.get(url).status_code == 200


def test_the_region_list_costs_the_same_with_more_regions(
    national_client, django_assert_max_num_queries
):
    few = queries_of(national_client, "/api/v1/regios/")
    for number in range(5):
        # Rows only: listing them needs no schema.
        region = Region.objects.create(
            schema_name=f"lijst_{number}", slug=f"lijst-{number}", name=f"Lijst {number}"
        )
        Domain.objects.create(tenant=region, domain=f"lijst-{number}.localhost")
    with django_assert_max_num_queries(few):
        regions = national_client.get("/api/v1/regios/").json()
    assert {"twente", "limburg", "lijst-4"} <= {region["slug"] for region in regions["resultaten"]}
    assert all(region["domains"] for region in regions["resultaten"])


def test_the_meeting_and_prevention_lists_cost_the_same_with_more_rows(
    twente, client_for, make_user, django_assert_max_num_queries
):
    staff_user = make_user(twente, "medewerker")
    staff = signed_in(twente, staff_user, client_for)
    casus = case_in_step(twente, "screening", staff_user)
    meeting_with(twente, casus, [staff_user], "screeningsteam")
    activity = {
        "held_on": timezone.localdate(),
        "kind": "voorlichting",
        "target_groups": ["ouders"],
        "people_reached": 10,
    }
    with tenant_context(twente):
        save_activity(actor=staff_user, data=dict(activity))
    urls = ["/api/v1/overleggen/", "/api/v1/preventie/"]
    few = {url: queries_of(staff, url) for url in urls}
    for _ in range(5):
        meeting_with(twente, casus, [staff_user], "casusoverleg")
        with tenant_context(twente):
            save_activity(actor=staff_user, data=dict(activity))
    for url in urls:
        with django_assert_max_num_queries(few[url]):
            assert len(staff.get(url).json()["resultaten"]) == 6
