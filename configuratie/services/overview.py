"""The presets side by side, as a Markdown document generated from the preset files."""

from django.utils import translation

from configuratie.conditions import CONDITIONS
from configuratie.models import Participation, PartnerKind, StepKind
from configuratie.services.presets import preset_names, read_preset

HEADER = (
    "<!-- Generated from configuratie/presets/*.yaml by `manage.py presets_overview`; "
    "do not edit by hand. -->\n\n# The presets side by side\n\n"
    "Each region starts from one of these presets (or from the neutral base) and changes it "
    "in its own configuration screens.\n"
)


def cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def steps_table(preset: dict) -> list[str]:
    lines = [
        "| # | stap | soort | termijn (dagen) | verantwoordelijk | voorwaarden om verder te gaan | volgende stappen |",
        "|---|---|---|---|---|---|---|",
    ]
    names = {step["code"]: step["naam"] for step in preset["werkproces"]["stappen"]}
    for number, step in enumerate(preset["werkproces"]["stappen"], start=1):
        guards = "; ".join(str(CONDITIONS[code].label) for code in step.get("voorwaarden") or [])
        following = ", ".join(names[code] for code in step.get("volgende") or []) or "einde"
        start = " (start)" if step.get("start") else ""
        lines.append(
            f"| {number} | {cell(step['naam'])}{start} | {StepKind(step['soort']).label} | "
            f"{step.get('termijn_dagen', '—')} | {step['verantwoordelijke_rol']} | {cell(guards) or '—'} | {cell(following)} |"
        )
    return lines


def partners_table(preset: dict) -> list[str]:
    lines = ["| partner | soort | neemt deel aan |", "|---|---|---|"]
    for partner in preset.get("partners") or []:
        parts = ", ".join(str(Participation(part).label) for part in partner.get("deelname") or [])
        lines.append(
            f"| {cell(partner['naam'])} | {PartnerKind(partner['soort']).label} | {parts} |"
        )
    return (
        lines
        if len(lines) > 2
        else ["Geen partners: de regio legt haar eigen partnernetwerk vast."]
    )


def presets_overview() -> str:
    with translation.override("nl"):
        return render_overview()


def comparison_table(presets: dict[str, dict]) -> list[str]:
    """One row per kind of step, one column per preset: the step's name and deadline there."""
    lines = [
        "| soort stap | " + " | ".join(preset["naam"] for preset in presets.values()) + " |",
        "|---|" + "---|" * len(presets),
    ]
    for kind in StepKind:
        cells = []
        for preset in presets.values():
            steps = [step for step in preset["werkproces"]["stappen"] if step["soort"] == kind]
            cells.append(
                "<br>".join(
                    f"{cell(step['naam'])} ({step.get('termijn_dagen', '—')} d)" for step in steps
                )
                or "—"
            )
        if any(value != "—" for value in cells):
            lines.append(f"| {kind.label} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| soort partner | " + " | ".join(preset["naam"] for preset in presets.values()) + " |",
    ]
    lines.append("|---|" + "---|" * len(presets))
    for kind in PartnerKind:
        cells = [
            "<br>".join(cell(p["naam"]) for p in preset.get("partners") or [] if p["soort"] == kind)
            or "—"
            for preset in presets.values()
        ]
        if any(value != "—" for value in cells):
            lines.append(f"| {kind.label} | " + " | ".join(cells) + " |")
    return lines


def render_overview() -> str:
    presets = {name: read_preset(name) for name in preset_names()}
    parts = [HEADER, "\n## Side by side\n", *comparison_table(presets), ""]
    for name, preset in presets.items():
        catalogues = preset.get("catalogi") or {}
        forms = ", ".join(form["naam"] for form in catalogues.get("meldformulieren") or [])
        parts += [
            f"\n## {preset['naam']} (`{name}`)\n",
            f"Werkproces: **{preset['werkproces']['naam']}**. Meldformulieren: {forms}.\n",
            *steps_table(preset),
            "",
            *partners_table(preset),
            "",
            "Evaluatievragen:\n",
            *[f"- {question}" for question in catalogues.get("evaluatievragen") or []],
            "",
        ]
    return "\n".join(parts).rstrip() + "\n"
