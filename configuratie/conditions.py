"""The conditions a step of a work process may set before a case leaves it: the only
codes a definition may name, with what a regiobeheerder reads and why a move is
refused. `workflow.guards` decides, per code, whether a condition holds."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Condition:
    code: str
    label: Promise  # what must be true, as a regiobeheerder reads it
    missing: Promise  # why a move is refused while it is not


CONDITIONS: dict[str, Condition] = {
    condition.code: condition
    for condition in (
        Condition(
            "screening_uitkomst",
            _("Er is een screeningsuitkomst vastgelegd"),
            _("Leg eerst de uitkomst van de screening vast."),
        ),
        Condition(
            "terugkoppeling_gegeven",
            _("Elke melder heeft terugkoppeling gekregen"),
            _("Leg eerst de terugkoppeling aan elke melder vast."),
        ),
        Condition(
            "informatieronde_afgerond",
            _("De informatieronde is uitgezet en afgerond"),
            _(
                "Rond eerst de informatieronde af: elk verzoek aan een partner moet beantwoord of gesloten zijn."
            ),
        ),
        Condition(
            "risicotaxatie_vastgelegd",
            _("Er is een risicotaxatie vastgelegd"),
            _("Leg eerst de risicotaxatie vast."),
        ),
        Condition(
            "plan_van_aanpak_vastgelegd",
            _("Er is een plan van aanpak vastgelegd"),
            _("Leg eerst het plan van aanpak vast."),
        ),
        Condition(
            "casuscoordinator_aangewezen",
            _("Er is een casuscoördinator aangewezen"),
            _("Wijs eerst een casuscoördinator aan."),
        ),
        Condition(
            "casusoverleg_gehouden",
            _("Er is een casusoverleg gehouden en vastgelegd"),
            _("Leg eerst het casusoverleg vast."),
        ),
        Condition(
            "doorverwijzing_vastgelegd",
            _("Er is een doorverwijzing vastgelegd"),
            _("Leg eerst de doorverwijzing vast."),
        ),
        Condition(
            "afsluitreden_vastgelegd",
            _("Er is een afsluitreden gekozen"),
            _("Kies eerst een afsluitreden."),
        ),
        Condition(
            "evaluatie_vastgelegd",
            _("Er is een evaluatie vastgelegd"),
            _("Leg eerst de evaluatie vast."),
        ),
    )
}
