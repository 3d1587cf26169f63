"""The conditions a step of a work process may set before a case leaves it: the only
codes a definition may name, with what a regiobeheerder reads, why a move is refused,
the action (accounts.policy) with which someone makes it hold, so a step can only
ask what its responsible role can do, and the case's task (a page of the case screens,
an endpoint of the API) that does it. `workflow.guards` decides whether it holds."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.policy import Action


@dataclass(frozen=True)
class Condition:
    code: str
    label: Promise  # what must be true, as a regiobeheerder reads it
    missing: Promise  # why a move is refused while it is not
    action: Action  # what makes it hold
    task: str  # the case's task (its slug) through which someone makes it hold


CONDITIONS: dict[str, Condition] = {
    condition.code: condition
    for condition in (
        Condition(
            "screening_uitkomst",
            _("Er is een screeningsuitkomst vastgelegd"),
            _("Leg eerst de uitkomst van de screening vast."),
            Action.RECORD_SCREENING,
            "screening",
        ),
        Condition(
            "terugkoppeling_gegeven",
            _("Elke melder heeft terugkoppeling gekregen"),
            _("Leg eerst de terugkoppeling aan elke melder vast."),
            Action.CONTACT_REPORTER,
            "terugkoppeling",
        ),
        Condition(
            "terugkoppeling_over_uitkomst",
            _("Elke melder heeft terugkoppeling gekregen over wat er met de melding is gedaan"),
            _(
                "Leg eerst de terugkoppeling aan elke melder vast over wat er met de melding is "
                "gedaan: een terugkoppeling van vóór het plan van aanpak telt niet."
            ),
            Action.CONTACT_REPORTER,
            "terugkoppeling",
        ),
        Condition(
            "informatieronde_afgerond",
            _("De informatieronde is uitgezet en afgerond"),
            _(
                "Rond eerst de informatieronde af: elk verzoek aan een partner moet beantwoord of gesloten zijn."
            ),
            Action.REQUEST_INFORMATION,
            "informatieverzoek",
        ),
        Condition(
            "risicotaxatie_vastgelegd",
            _("Er is een risicotaxatie vastgelegd"),
            _("Leg eerst de risicotaxatie vast."),
            Action.RECORD_RISK_ASSESSMENT,
            "risicotaxatie",
        ),
        Condition(
            "plan_van_aanpak_vastgelegd",
            _("Er is een plan van aanpak met minstens één actie"),
            _("Leg eerst het plan van aanpak vast, met minstens één actie."),
            Action.WRITE_PLAN,
            "plan",
        ),
        Condition(
            "plan_acties_afgerond",
            _("Elke actie van het plan van aanpak is gereed of geannuleerd"),
            _("Rond eerst elke actie van het plan van aanpak af (gereed of geannuleerd)."),
            Action.UPDATE_PLAN_ACTION,
            "plan",
        ),
        Condition(
            "casuscoordinator_aangewezen",
            _("Er is een casuscoördinator aangewezen"),
            _("Wijs eerst een casuscoördinator aan."),
            Action.APPOINT_COORDINATOR,
            "casuscoordinator",
        ),
        Condition(
            "casusoverleg_gehouden",
            _("De casus is besproken in een casusoverleg"),
            _("Bespreek de casus eerst in een casusoverleg en leg het verslag vast."),
            Action.RECORD_IN_MEETING,
            "agenderen",
        ),
        Condition(
            "doorverwijzing_vastgelegd",
            _("Er is een doorverwijzing vastgelegd"),
            _("Leg eerst de doorverwijzing vast."),
            Action.RECORD_REFERRAL,
            "doorverwijzing",
        ),
        Condition(
            "doorverwijzing_geaccepteerd",
            _("Een partner heeft de doorverwijzing geaccepteerd"),
            _(
                "Wacht tot een partner de doorverwijzing accepteert, of leg het besluit van de partner vast."
            ),
            Action.DECIDE_REFERRAL,
            "doorverwijzing",
        ),
        Condition(
            "afsluitreden_vastgelegd",
            _("Er is een afsluitreden gekozen"),
            _("Kies eerst een afsluitreden."),
            Action.CLOSE_CASE,
            "afsluitreden",
        ),
        Condition(
            "evaluatie_vastgelegd",
            _("Er is een evaluatie vastgelegd"),
            _("Leg eerst de evaluatie vast."),
            Action.RECORD_EVALUATION,
            "evaluatie",
        ),
    )
}
