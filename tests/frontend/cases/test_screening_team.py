"""The screening team's way to its cases: a member finds the open cases whose step names
the team (as the region chooses in its settings, by default without who reported), the
medewerker's case page says how the case reaches the team, and every step can be moved
on by the role its page names."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tenants.utils import tenant_context

from accounts.policy import Role
from configuratie.models import RegionSettings, WorkflowDefinition
from tests.factories import case_in_step, intake_case, meeting_with, person
from workflow.models import Casus

REPORTER = {
    "reporter_name": "Karin Melder",
    "reporter_phone": "0612345678",
    "reporter_email": "karin@example.test",
    "reporter_organisation": "Basisschool De Linde",
}


def case_waiting_for_the_team(region, staff) -> Casus:
    with tenant_context(region):
        casus = intake_case(staff, person("Sanne de Vries", birth_year=2010), **REPORTER)
        step = WorkflowDefinition.objects.get(status="actief").steps.get(code="screening")
        Casus.objects.filter(pk=casus.pk).update(current_step=step)
        casus.refresh_from_db()
        return casus


def choose(region, access: str) -> None:
    with tenant_context(region):
        RegionSettings.objects.update_or_create(pk=1, defaults={"screening_team_access": access})


@pytest.mark.parametrize("region_name", ["twente", "limburg"])
def test_a_screening_team_member_finds_a_case_in_screening_without_its_reporter(
    region_name, request, logged_in, make_user
):
    region = request.getfixturevalue(region_name)
    staff = make_user(region, "medewerker")
    casus = case_waiting_for_the_team(region, staff)
    past_the_team = case_in_step(region, "afsluiting", staff)
    member = logged_in(region, "screeningsteamlid")

    listing = member.get(reverse("cases:list")).content.decode()
    assert casus.reference in listing
    assert past_the_team.reference not in listing
    assert "U ziet de casussen die op het screeningsteam wachten" in listing

    page = member.get(reverse("cases:detail", args=[casus.reference])).content.decode()
    assert "Sanne de Vries" in page
    assert not [value for value in REPORTER.values() if value in page]
    assert "Naam en contactgegevens van de melder ziet u zodra" in page
    assert reverse("cases:move", args=[casus.reference]) in page

    meeting_with(region, casus, [member.user], "screeningsteam")
    page = member.get(reverse("cases:detail", args=[casus.reference])).content.decode()
    assert all(value in page for value in REPORTER.values())


def test_the_api_withholds_the_reporter_as_the_case_page_does(twente, logged_in, make_user):
    casus = case_waiting_for_the_team(twente, make_user(twente, "medewerker"))
    member = logged_in(twente, "screeningsteamlid")
    body = member.get(f"/api/v1/casussen/{casus.reference}/").json()
    assert body["reporter_withheld"] is True
    assert {body["reports"][0][field] for field in REPORTER} == {""}


def test_with_the_setting_off_a_member_sees_only_the_cases_on_an_attended_agenda(
    twente, logged_in, make_user
):
    choose(twente, "alleen_agenda")
    casus = case_waiting_for_the_team(twente, make_user(twente, "medewerker"))
    member = logged_in(twente, "screeningsteamlid")

    listing = member.get(reverse("cases:list")).content.decode()
    assert casus.reference not in listing
    assert "U ziet een casus zodra hij op de agenda staat" in listing
    assert member.get(reverse("cases:detail", args=[casus.reference])).status_code == 404

    meeting_with(twente, casus, [member.user], "screeningsteam")
    assert casus.reference in member.get(reverse("cases:list")).content.decode()
    page = member.get(reverse("cases:detail", args=[casus.reference])).content.decode()
    assert REPORTER["reporter_name"] in page


def test_with_the_whole_case_chosen_a_member_sees_the_reporter_before_a_meeting(
    twente, logged_in, make_user
):
    choose(twente, "volledig")
    casus = case_waiting_for_the_team(twente, make_user(twente, "medewerker"))
    member = logged_in(twente, "screeningsteamlid")
    page = member.get(reverse("cases:detail", args=[casus.reference])).content.decode()
    assert REPORTER["reporter_name"] in page


@pytest.mark.parametrize("access", ["zonder_melder", "alleen_agenda"])
def test_the_medewerker_is_told_to_put_the_case_on_an_agenda(twente, logged_in, access):
    choose(twente, access)
    staff = logged_in(twente, "medewerker")
    casus = case_waiting_for_the_team(twente, staff.user)
    page = staff.get(reverse("cases:detail", args=[casus.reference])).content.decode()
    assert "Deze casus wacht op het screeningsteam." in page
    assert reverse("cases:task", args=[casus.reference, "agenderen"]) in page
    assert reverse("meetings:list") in page


@pytest.mark.parametrize("region_name", ["twente", "limburg"])
def test_every_step_can_be_moved_on_by_the_role_its_page_names(
    region_name, request, logged_in, make_user
):
    region = request.getfixturevalue(region_name)
    staff = make_user(region, "medewerker")
    with tenant_context(region):
        steps = list(
            WorkflowDefinition.objects.get(status="actief").steps.values_list(
                "code", "responsible_role"
            )
        )
    for code, role in steps:
        actor = logged_in(region, role)
        casus = case_in_step(region, code, staff)
        if role == Role.CASUSCOORDINATOR:
            with tenant_context(region):
                Casus.objects.filter(pk=casus.pk).update(coordinator=actor.user)
        page = actor.get(reverse("cases:detail", args=[casus.reference]))
        assert page.status_code == 200, (code, role)
        assert "Uw rol zet deze casus niet verder" not in page.content.decode(), (code, role)


def test_the_regions_choice_is_read_once_per_configuration_version(twente, logged_in):
    """The case page weighs the region's choice without a statement of its own once it
    was read for the configuration's version; a saved change is seen on the next page."""
    choose(twente, "alleen_agenda")
    staff = logged_in(twente, "medewerker")
    casus = case_waiting_for_the_team(twente, staff.user)
    address = reverse("cases:detail", args=[casus.reference])
    staff.get(address)
    with CaptureQueriesContext(connection) as read:
        page = staff.get(address).content.decode()
    assert "pas als hij op de agenda staat" in page
    assert not [query for query in read.captured_queries if "regionsettings" in query["sql"]]

    choose(twente, "zonder_melder")
    assert "vinden hem in hun casuslijst" in staff.get(address).content.decode()
