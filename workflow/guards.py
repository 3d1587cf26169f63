"""What must exist before a case may leave a step. Step definitions name guards by code;
this registry is the only list of codes a definition may use."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from workflow import models


@dataclass(frozen=True)
class Guard:
    code: str
    label: Promise  # what must be true, as a regiobeheerder reads it
    missing: Promise  # why a move is refused while it is not
    holds: Callable[[models.Casus], bool]


def recorded(model: type) -> Callable[[models.Casus], bool]:
    return lambda casus: model.objects.filter(casus=casus).exists()


def information_round_completed(casus: models.Casus) -> bool:
    requests = models.InformationRequest.objects.filter(casus=casus)
    return requests.exists() and not requests.filter(closed_at__isnull=True).exists()


GUARDS: dict[str, Guard] = {
    guard.code: guard
    for guard in (
        Guard(
            "screening_uitkomst",
            _("Er is een screeningsuitkomst vastgelegd"),
            _("Leg eerst de uitkomst van de screening vast."),
            recorded(models.ScreeningOutcome),
        ),
        Guard(
            "terugkoppeling_gegeven",
            _("Er is terugkoppeling aan de melder vastgelegd"),
            _("Leg eerst de terugkoppeling aan de melder vast."),
            recorded(models.Feedback),
        ),
        Guard(
            "informatieronde_afgerond",
            _("De informatieronde is uitgezet en afgerond"),
            _(
                "Rond eerst de informatieronde af: elk verzoek aan een partner moet beantwoord of gesloten zijn."
            ),
            information_round_completed,
        ),
        Guard(
            "risicotaxatie_vastgelegd",
            _("Er is een risicotaxatie vastgelegd"),
            _("Leg eerst de risicotaxatie vast."),
            recorded(models.RiskAssessment),
        ),
        Guard(
            "plan_van_aanpak_vastgelegd",
            _("Er is een plan van aanpak vastgelegd"),
            _("Leg eerst het plan van aanpak vast."),
            recorded(models.PlanOfApproach),
        ),
        Guard(
            "casuscoordinator_aangewezen",
            _("Er is een casuscoördinator aangewezen"),
            _("Wijs eerst een casuscoördinator aan."),
            lambda casus: casus.coordinator_id is not None,
        ),
        Guard(
            "casusoverleg_gehouden",
            _("Er is een casusoverleg gehouden en vastgelegd"),
            _("Leg eerst het casusoverleg vast."),
            recorded(models.CaseConference),
        ),
        Guard(
            "doorverwijzing_vastgelegd",
            _("Er is een doorverwijzing vastgelegd"),
            _("Leg eerst de doorverwijzing vast."),
            recorded(models.Referral),
        ),
        Guard(
            "afsluitreden_vastgelegd",
            _("Er is een afsluitreden gekozen"),
            _("Kies eerst een afsluitreden."),
            lambda casus: bool(casus.closing_reason),
        ),
        Guard(
            "evaluatie_vastgelegd",
            _("Er is een evaluatie vastgelegd"),
            _("Leg eerst de evaluatie vast."),
            recorded(models.Evaluation),
        ),
    )
}


def missing_guards(casus: models.Casus) -> list[str]:
    """The Dutch reasons why the case may not leave its current step yet."""
    return [
        str(GUARDS[code].missing)
        for code in casus.current_step.guards
        if not GUARDS[code].holds(casus)
    ]
