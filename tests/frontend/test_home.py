"""The home page per role: each role's section with counts that link to their lists, a
user with several roles sees each section, the page costs the same queries whatever
the volume; the e-mail preference screen; the regiobeheerder's configuration health."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_tenants.utils import tenant_context

from accounts.models import Role
from configuratie.health import configuration_health, unmeetable_steps
from configuratie.models import CovenantStatus, Partner, PartnerContact, WorkflowDefinition
from tests.factories import intake_case, person
from tests.frontend.cases.test_screening_team import case_waiting_for_the_team, choose
from tests.workflow.test_oversight import cases_for_every_signal
from workflow.models import Casus, NotificationSetting

ROLE_SECTIONS = {
    "medewerker": ["te_screenen", "bericht_onbeantwoord", "mijn_termijnen"],
    "procesregisseur": ["termijn_verlopen", "stil", "bericht_onbeantwoord"],
    "screeningsteamlid": ["wacht_op_screeningsteam", "agenda"],
    "casuscoordinator": ["eigen_casussen", "acties_binnenkort"],
    "partnercontact": ["verzoeken_open", "doorverwijzingen_binnenkort"],
    "regiobeheerder": ["convenant_loopt_af", "stap_onhaalbaar", "zonder_tweestaps"],
}


@pytest.mark.parametrize("role", ROLE_SECTIONS)
def test_each_role_sees_its_own_work_in_a_constant_number_of_queries(twente, logged_in, role):
    client = logged_in(twente, role)
    if role == "partnercontact":
        with tenant_context(twente):
            PartnerContact.objects.create(
                partner=Partner.objects.first(), name="Contact", account=client.user
            )
    staff = logged_in(twente, "procesregisseur", "medewerker").user
    client.get(reverse("home:dashboard"))  # the first request caches the host's region
    cache.clear()  # the counts made, not the counts cached (each capture alike)
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("home:dashboard"))
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="voor-mij-{role}"' in body
    for kind in ROLE_SECTIONS[role]:
        assert f'data-kind="{kind}"' in body
    others = set(ROLE_SECTIONS) - {role}
    assert not any(f'id="voor-mij-{other}"' in body for other in others)
    cases_for_every_signal(twente, staff)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home:dashboard"))
    assert len(many.captured_queries) == len(few.captured_queries) < 40


def test_a_user_with_several_roles_sees_a_section_for_each(twente, logged_in):
    client = logged_in(twente, "medewerker", "procesregisseur", "casuscoordinator")
    body = client.get(reverse("home:dashboard")).content.decode()
    for role in ("medewerker", "procesregisseur", "casuscoordinator"):
        assert f'id="voor-mij-{role}"' in body


def test_the_procesregisseur_count_links_to_the_list_of_exactly_those_cases(twente, logged_in):
    client = logged_in(twente, "procesregisseur")
    made = cases_for_every_signal(twente, client.user)
    body = client.get(reverse("home:dashboard")).content.decode()
    link = f"{reverse('cases:list')}?signaal=termijn_verlopen"
    assert f'href="{link}"' in body
    listing = client.get(link).content.decode()
    assert made["termijn_verlopen"].reference in listing
    assert made["stil"].reference not in listing
    assert "Lopende casussen per stap" in body
    assert f"{reverse('cases:list')}?step=" in body


def test_the_analist_has_no_work_list_and_no_case_counts(twente, logged_in):
    body = logged_in(twente, "analist").get(reverse("home:dashboard")).content.decode()
    assert "voor-mij-" not in body
    assert "Uw rollen" in body


def test_a_partner_contact_not_yet_linked_has_no_work_list(twente, logged_in):
    body = logged_in(twente, "partnercontact").get(reverse("home:dashboard")).content.decode()
    assert "voor-mij-" not in body


def test_a_linked_partner_contact_sees_its_inbox_summary_with_links(twente, logged_in):
    client = logged_in(twente, "partnercontact")
    with tenant_context(twente):
        PartnerContact.objects.create(
            partner=Partner.objects.first(), name="Contact", account=client.user
        )
    body = client.get(reverse("home:dashboard")).content.decode()
    for kind in ("verzoeken_verlopen", "verzoeken_binnenkort", "doorverwijzingen_verlopen"):
        assert f'data-kind="{kind}"' in body
    assert f'href="{reverse("portal:inbox")}"' in body


def test_the_user_chooses_how_often_they_get_email(twente, logged_in):
    client = logged_in(twente, "medewerker")
    page = client.get(reverse("home:notifications"))
    assert page.status_code == 200
    assert 'value="dagelijks"' in page.content.decode()
    response = client.post(reverse("home:notifications"), {"frequency": "nooit"})
    assert response.status_code == 302
    with tenant_context(twente):
        assert NotificationSetting.objects.get(user=client.user).frequency == "nooit"
    wrong = client.post(reverse("home:notifications"), {"frequency": "elk uur"})
    assert wrong.status_code == 400
    assert "Selecteer een geldige keuze" in wrong.content.decode()


def test_configuration_health_finds_covenants_steps_and_accounts_without_mfa(twente, make_user):
    make_user(twente, "medewerker", mfa=False)
    with tenant_context(twente):
        today = timezone.localdate()
        ending, ended = Partner.objects.all()[:2]
        Partner.objects.filter(pk=ending.pk).update(
            covenant_status=CovenantStatus.SIGNED,
            covenant_signed_on=today - timedelta(days=300),
            covenant_ends_on=today + timedelta(days=10),
        )
        Partner.objects.filter(pk=ended.pk).update(
            covenant_status=CovenantStatus.SIGNED,
            covenant_signed_on=today - timedelta(days=300),
            covenant_ends_on=today - timedelta(days=1),
        )
        found = {item.kind: item for item in configuration_health()}
        assert found["convenant_loopt_af"].count == 1
        assert found["convenant_verlopen"].count == 1
        assert found["zonder_tweestaps"].count >= 1
        assert found["convenant_loopt_af"].url == reverse("beheer:register", args=["partners"])
        definition = WorkflowDefinition.objects.get(status="actief")
        # The region's only screening team member leaves: their steps cannot be done.
        team_steps = [s.name for s in definition.steps.filter(responsible_role="screeningsteamlid")]
        assert set(team_steps) <= set(unmeetable_steps(definition))
        step = definition.steps.first()
        step.guards = ["evaluatie_vastgelegd"]
        step.responsible_role = "analist"
        step.save()
        assert step.name in unmeetable_steps(definition)


def test_a_new_case_counts_for_the_medewerker(twente, logged_in):
    client = logged_in(twente, "medewerker")
    with tenant_context(twente):
        intake_case(client.user, person("Nieuw Geval"))
        assert Casus.objects.filter(completed_at__isnull=True).exists()
    body = client.get(reverse("home:dashboard")).content.decode()
    assert f"{reverse('cases:list')}?signaal=te_screenen" in body


@pytest.mark.parametrize(("access", "listed"), [("zonder_melder", True), ("alleen_agenda", False)])
def test_a_screening_team_member_finds_the_cases_waiting_for_the_team_from_home(
    twente, logged_in, make_user, access, listed
):
    choose(twente, access)
    casus = case_waiting_for_the_team(twente, make_user(twente, "medewerker"))
    member = logged_in(twente, "screeningsteamlid")
    body = member.get(reverse("home:dashboard")).content.decode()
    assert ('data-kind="wacht_op_screeningsteam"' in body) is listed
    if listed:
        tile = body.split('data-kind="wacht_op_screeningsteam"')[1].split("</li>")[0]
        assert '<span class="meldpunt-tile__count">1</span>' in tile
        assert "?signaal=wacht_op_screeningsteam" in tile
        listing = member.get(reverse("cases:list") + "?signaal=wacht_op_screeningsteam")
        assert casus.reference in listing.content.decode()


def test_each_role_is_described_in_the_language_of_the_page(twente, logged_in):
    client = logged_in(twente, "screeningsteamlid", "partnercontact")
    dutch = client.get(reverse("home:dashboard")).content.decode()
    assert "Screent de casussen die op het screeningsteam wachten" in dutch
    assert "besluit over doorverwijzingen naar die organisatie" in dutch
    client.cookies["django_language"] = "en"
    english = client.get(reverse("home:dashboard")).content.decode()
    assert "Screens the cases waiting for the screening team" in english
    assert "Screent de casussen" not in english


def test_every_role_has_a_dutch_and_an_english_description(twente):
    with tenant_context(twente):
        described = Role.objects.values_list("code", "description_nl", "description_en")
        assert len(described) == len(Role.objects.all()) == 8
        for code, dutch, english in described:
            assert dutch and english and dutch != english, code


def test_the_home_page_reads_no_roles_but_the_users_access_facts(twente, logged_in):
    client = logged_in(twente, "medewerker", "casuscoordinator")
    client.get(reverse("home:dashboard"))  # the region's roles are read once per process
    with CaptureQueriesContext(connection) as read:
        body = client.get(reverse("home:dashboard")).content.decode()
    assert not [query for query in read.captured_queries if "accounts_role" in query["sql"]
                and "accounts_user" not in query["sql"]]  # fmt: skip
    with tenant_context(twente):
        for role in Role.objects.filter(code__in=["medewerker", "casuscoordinator"]):
            assert f"<strong>{escape(role.name)}</strong>: {escape(role.description)}" in body
