"""Every refusal of the workflow engine, from every screen that asks it something, shows
its Dutch reason with a 400 and keeps what the person typed: moving a case on, finishing
it, reopening it, its track and priority, its coordinator, its closing reason, and a
move decided in a meeting. The refusal points are those of `workflow/engine.py`: the
role, a step that does not follow, a finished case, each condition of each step of both
presets, not yet the last step, already finished; and the services' ValidationErrors."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context

from configuratie.conditions import CONDITIONS
from configuratie.models import WorkflowDefinition
from tests.factories import case_in_step, meeting_with
from workflow.models import Casus

TYPED = "Besproken met de procesregisseur"


def shown(response) -> str:
    return html.unescape(response.content.decode())


def move(client, casus: Casus, to: str):
    return client.post(reverse("cases:move", args=[casus.reference]), {"to": to, "reason": TYPED})


def complete(client, casus: Casus):
    return client.post(reverse("cases:complete", args=[casus.reference]))


def task(client, casus: Casus, slug: str, data: dict):
    return client.post(reverse("cases:task", args=[casus.reference, slug]), data)


def finish(region, casus: Casus) -> None:
    with tenant_context(region):
        Casus.objects.filter(pk=casus.pk).update(
            completed_at=timezone.now(), closed_at=timezone.now()
        )


def steps_with_conditions(region) -> list[tuple[str, str | None, list[str]]]:
    """(step, the first step after it or None at the end, its conditions) of the region's
    active work process."""
    with tenant_context(region):
        definition = WorkflowDefinition.objects.get(status="actief")
        return [
            (step.code, next((n.code for n in step.next_steps.order_by("position")), None),
             step.guards)
            for step in definition.steps.order_by("position")
            if step.guards
        ]  # fmt: skip


@pytest.mark.parametrize("region_name", ["twente", "limburg"])
def test_each_condition_of_each_step_refuses_the_move_or_the_completion_with_its_reason(
    region_name, request, logged_in
):
    region = request.getfixturevalue(region_name)
    director = logged_in(region, "medewerker", "procesregisseur")
    steps = steps_with_conditions(region)
    assert steps and {c for _s, _n, codes in steps for c in codes} <= set(CONDITIONS)
    for step, following, conditions in steps:
        casus = case_in_step(region, step, director.user)
        refused = move(director, casus, following) if following else complete(director, casus)
        assert refused.status_code == 400, (step, refused.status_code)
        page = shown(refused)
        for code in conditions:
            assert str(CONDITIONS[code].missing) in page, (step, code)
        if following:
            assert f'value="{TYPED}"' in refused.content.decode(), step


def test_the_move_screen_says_who_may_move_which_step_follows_and_that_a_finished_case_waits(
    twente, logged_in
):
    staff = logged_in(twente, "medewerker")
    in_screening = case_in_step(twente, "screening", staff.user)
    by_role = move(staff, in_screening, "informatieronde")
    assert by_role.status_code == 400
    assert "kan de casus verder zetten vanuit stap 'Screening'" in shown(by_role)

    at_start = case_in_step(twente, "melding", staff.user)
    skipped = move(staff, at_start, "evaluatie")
    assert skipped.status_code == 400
    assert "Die stap volgt niet op 'Melding ontvangen' in versie 1 van het werkproces." in shown(
        skipped
    )

    finish(twente, at_start)
    finished = move(staff, at_start, "screening")
    assert finished.status_code == 400
    assert "De casus is afgerond; heropen hem eerst." in shown(finished)

    empty = client_post_without_step(staff, at_start)
    assert empty.status_code == 400
    assert "Kies de stap waar de casus heen gaat." in shown(empty)


def client_post_without_step(client, casus: Casus):
    return client.post(reverse("cases:move", args=[casus.reference]), {"reason": TYPED})


def test_finishing_says_why_not_yet_and_that_it_is_already_finished(twente, logged_in):
    staff = logged_in(twente, "medewerker", "procesregisseur")
    not_last = case_in_step(twente, "afsluiting", staff.user)
    early = complete(staff, not_last)
    assert early.status_code == 400
    assert "De casus is nog niet bij de laatste stap van het werkproces." in shown(early)

    at_end = case_in_step(twente, "evaluatie", staff.user)
    without_evaluation = complete(staff, at_end)
    assert without_evaluation.status_code == 400
    assert "Leg eerst de evaluatie vast." in shown(without_evaluation)

    finish(twente, at_end)
    again = complete(staff, at_end)
    assert again.status_code == 400 and "De casus is al afgerond." in shown(again)


@pytest.mark.parametrize(
    ("slug", "data", "reason"),
    [
        ("heropenen", {"reason": "Recidive"}, "Alleen een afgesloten of afgeronde casus"),
        ("heropenen", {"reason": "  "}, "Geef een reden."),
        ("gegevens", {"gegevens-case_type": "geen-spoor"}, "Selecteer een geldige keuze."),
        ("afsluitreden", {"code": "geen-reden"}, "Selecteer een geldige keuze."),
        ("casuscoordinator", {"who": "account", "coordinator": "999999"}, "geldige keuze"),
        (
            "casuscoordinator",
            {"who": "professional", "name": "Jamila Bakker", "organisation": "Jarabee"},
            "Vul een telefoonnummer of e-mailadres in om hem of haar te bereiken.",
        ),
    ],
)
def test_the_task_screens_show_the_engines_reason_and_keep_the_input(
    twente, logged_in, slug, data, reason
):
    staff = logged_in(twente, "medewerker", "procesregisseur")
    casus = case_in_step(twente, "plan_van_aanpak", staff.user)
    refused = task(staff, casus, slug, data)
    assert refused.status_code == 400
    assert reason in shown(refused)
    for field in ("name", "organisation", "reason"):
        if data.get(field, "").strip():
            assert re.search(rf'value="{data[field]}"|>\s*{data[field]}</textarea>', shown(refused))


def test_a_meeting_that_moves_a_finished_case_is_told_why_and_keeps_its_minutes(
    twente, logged_in, make_user
):
    screener = logged_in(twente, "screeningsteamlid")
    casus = case_in_step(twente, "risicotaxatie", make_user(twente, "medewerker"))
    item = meeting_with(twente, casus, [screener.user], "screeningsteam")
    finish(twente, casus)
    url = reverse("meetings:item", args=[item.meeting.pk, item.pk])
    refused = screener.post(
        url,
        {
            "minutes": "Besproken; geen nieuwe signalen.",
            "move_to": "plan_van_aanpak",
            "actie-TOTAL_FORMS": "0",
            "actie-INITIAL_FORMS": "0",
        },
    )
    assert refused.status_code == 400
    page = shown(refused)
    assert "De casus is afgerond; heropen hem eerst." in page
    assert "Besproken; geen nieuwe signalen." in page
