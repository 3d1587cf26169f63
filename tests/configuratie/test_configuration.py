"""Configuration per region: presets as files, validation with every problem listed,
export and import, and versioned work processes."""

import pytest
from django_tenants.utils import tenant_context

from configuratie.models import (
    CatalogueEntry,
    CatalogueKind,
    DefinitionStatus,
    Partner,
    RegionSettings,
    WorkflowDefinition,
)
from configuratie.services import presets
from configuratie.services.validation import StepSpec, validate_workflow
from tests.conftest import REPO

SEEDS = REPO.parent / "shared" / "seeds"


def spec(code, kind="anders", nxt=(), start=False, guards=()):
    return StepSpec(code=code, name=code.capitalize(), kind=kind, responsible_role="medewerker",
                    is_start=start, next_steps=list(nxt), guards=list(guards))  # fmt: skip


def test_a_sound_definition_has_no_problems():
    steps = [
        spec("melding", "intake", ["afsluiting"], start=True),
        spec("afsluiting", "afsluiting"),
    ]
    assert validate_workflow(steps, set()) == []


def test_every_problem_of_a_definition_is_listed_at_once():
    steps = [
        spec("melding", "intake", ["screening"], start=True, guards=["bestaat_niet"]),
        spec("screening", "screening", ["melding"]),  # loops back: never closes, never ends
        spec("wees", "anders", ["screening"]),  # not reachable from the start
    ]
    problems = validate_workflow(steps, set())
    assert "Stap 'Melding' noemt een onbekende voorwaarde 'bestaat_niet'." in problems
    assert "Er is geen afsluitende stap (een stap van de soort 'Afsluiting')." in problems
    assert "Stap 'Wees' is vanaf de startstap niet te bereiken." in problems
    assert "Vanuit stap 'Screening' komt het werkproces nooit tot een einde." in problems


def test_two_starts_and_a_dead_end_before_closing_are_refused():
    steps = [
        spec("a", "intake", ["b", "afsluiting"], start=True),
        spec("b", "anders", [], start=True),
        spec("afsluiting", "afsluiting"),
    ]
    problems = validate_workflow(steps, {"acuut"})
    assert "Er moet precies één startstap zijn; nu zijn het er 2." in problems
    assert "Vanuit stap 'B' is geen afsluitende stap te bereiken." in problems


@pytest.mark.parametrize("name", ["twente", "limburg", "basis"])
def test_every_preset_is_valid(name):
    assert presets.validate_configuration(presets.read_preset(name)) == []


def test_the_twente_preset_holds_what_the_source_text_names():
    text = (SEEDS / "werkwijze-twente.txt").read_text()
    preset = presets.read_preset("twente")
    steps = [step["naam"] for step in preset["werkproces"]["stappen"]]
    for fragment in (
        "Screening",
        "Informatieronde",
        "Risicotaxatie",
        "Plan van aanpak",
        "Zorgcoördinatie",
        "Evaluatie",
    ):
        assert any(fragment in step for step in steps), fragment
    partners = " ".join(partner["naam"] for partner in preset["partners"])
    for name in ("Veiligheidshuis", "Politie", "CoMensha", "Ambiq", "Jarabee", "Tactus", "Alifa",
                 "Centrum Seksueel Geweld", "Veilig Thuis Twente"):  # fmt: skip
        assert name in partners and name.split()[0].lower() in text.lower()
    questions = preset["catalogi"]["evaluatievragen"]
    assert len(questions) == 4 and any("recidive" in question for question in questions)


def test_the_limburg_preset_holds_what_the_source_text_names():
    preset = presets.read_preset("limburg")
    kinds = [step["soort"] for step in preset["werkproces"]["stappen"]]
    assert kinds[:5] == ["intake", "screening", "terugkoppeling", "casusoverleg", "doorverwijzing"]
    forms = {form["code"] for form in preset["catalogi"]["meldformulieren"]}
    assert forms == {"risicotaxatieformulier", "contactformulier"}
    partners = " ".join(partner["naam"] for partner in preset["partners"])
    for name in (
        "CJG",
        "Veiligheidshuis",
        "Reclassering",
        "Bureau Jeugdzorg",
        "Scholen",
        "Ketenregisseur",
        "Zorgcoördinatoren",
    ):
        assert name in partners


def test_onboarding_loads_the_chosen_preset(twente, limburg):
    with tenant_context(twente):
        active = WorkflowDefinition.objects.get(status=DefinitionStatus.ACTIVE)
        assert active.name == "Werkproces Twente"
        assert Partner.objects.filter(name="CoMensha").exists()
        assert RegionSettings.current().configuration_name == "Twente (werkproces)"
    with tenant_context(limburg):
        assert set(
            CatalogueEntry.objects.filter(catalogue=CatalogueKind.REPORT_FORM).values_list(
                "code", flat=True
            )
        ) == {"risicotaxatieformulier", "contactformulier"}


def test_export_then_import_round_trips(limburg, make_user):
    admin = make_user(limburg, "regiobeheerder")
    with tenant_context(limburg):
        exported = presets.export_configuration(actor=admin)
        text = presets.dump_configuration(exported)
        assert "casusoverleg" in text and "Zorgcoördinatoren Mensenhandel" in text
        before = WorkflowDefinition.objects.get(status=DefinitionStatus.ACTIVE).version
        definition = presets.import_configuration(presets.parse_configuration(text), actor=admin)
        assert definition.version == before + 1
        assert presets.export_configuration(actor=admin) == exported


def test_an_invalid_import_is_refused_with_every_problem_and_changes_nothing(limburg, make_user):
    admin = make_user(limburg, "regiobeheerder")
    with tenant_context(limburg):
        data = presets.export_configuration(actor=admin)
        data["werkproces"]["stappen"][0]["voorwaarden"] = ["onzin"]
        data["werkproces"]["stappen"][0]["start"] = False
        data["partners"][0]["soort"] = "circus"
        before = WorkflowDefinition.objects.count()
        with pytest.raises(presets.ConfigurationInvalid) as refused:
            presets.import_configuration(data, actor=admin)
        assert WorkflowDefinition.objects.count() == before
    problems = refused.value.problems
    assert any("onbekende voorwaarde 'onzin'" in problem for problem in problems)
    assert any("precies één startstap" in problem for problem in problems)
    assert any("onbekende soort" in problem for problem in problems)


def test_a_broken_file_gets_a_clear_message():
    with pytest.raises(presets.ConfigurationInvalid, match="geen geldige configuratie"):
        presets.parse_configuration("werkproces: [niet: gesloten")


def test_the_committed_preset_overview_is_generated_from_the_preset_files():
    from configuratie.management.commands.presets_overview import OVERVIEW_FILE
    from configuratie.services.overview import presets_overview

    assert OVERVIEW_FILE.read_text(encoding="utf-8") == presets_overview(), (
        "docs/presets.md is stale: run `manage.py presets_overview`"
    )
