"""Region configuration as a readable file: the presets (twente, limburg, basis),
and export and import of a region's own configuration in the same format.

The file's keys are Dutch, for the regiobeheerders who read and edit it.
"""

from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from configuratie.gemeenten import municipalities
from configuratie.models import (
    CatalogueEntry,
    CatalogueKind,
    CovenantStatus,
    DefinitionStatus,
    Participation,
    Partner,
    PartnerKind,
    Priority,
    RegionMunicipality,
    RegionSettings,
    ReportFormKind,
    RiskLevel,
    RiskQuestion,
    WorkflowDefinition,
    WorkflowStep,
)
from configuratie.services.validation import StepSpec, specs_of, validate_workflow

PRESET_DIR = Path(__file__).resolve().parent.parent / "presets"
CODED_CATALOGUES = {CatalogueKind.CASE_TYPE, CatalogueKind.REPORT_FORM}
TEMPLATE_CATALOGUES = {CatalogueKind.FEEDBACK_TEMPLATE}


class ConfigurationInvalid(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def preset_names() -> list[str]:
    return sorted(path.stem for path in PRESET_DIR.glob("*.yaml"))


def read_preset(name: str) -> dict[str, Any]:
    if name not in preset_names():
        raise ConfigurationInvalid([_("Onbekende startconfiguratie '%(name)s'.") % {"name": name}])
    return parse_configuration((PRESET_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def parse_configuration(text: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _(" (regel %(line)d)") % {"line": mark.line + 1} if mark else ""
        raise ConfigurationInvalid(
            [_("Het bestand is geen geldige configuratie%(where)s.") % {"where": where}]
        ) from error
    if not isinstance(data, dict):
        raise ConfigurationInvalid([_("Het bestand is geen geldige configuratie.")])
    return data


def step_specs(data: dict[str, Any]) -> list[StepSpec]:
    steps = (data.get("werkproces") or {}).get("stappen") or []
    return [
        StepSpec(
            code=str(step.get("code", "")),
            name=str(step.get("naam", step.get("code", ""))),
            kind=str(step.get("soort", "")),
            responsible_role=str(step.get("verantwoordelijke_rol", "")),
            is_start=bool(step.get("start", False)),
            guards=[str(guard) for guard in step.get("voorwaarden") or []],
            next_steps=[str(code) for code in step.get("volgende") or []],
            deadline_days=step.get("termijn_dagen"),
            deadline_days_by_priority=dict(step.get("termijn_per_prioriteit") or {}),
        )
        for step in steps
        if isinstance(step, dict)
    ]


def catalogue_rows(data: dict[str, Any], kind: str) -> list[dict[str, str]]:
    """Entries as {code, name, text}; a plain string is its own name."""
    rows = []
    default_kind = ReportFormKind.REPORT if kind == CatalogueKind.REPORT_FORM else ""
    for entry in (data.get("catalogi") or {}).get(kind) or []:
        if isinstance(entry, dict):
            name = str(entry.get("naam", ""))
            rows.append(
                {
                    "code": str(entry.get("code") or slugify(name)),
                    "name": name,
                    "text": str(entry.get("tekst", "")),
                    "form_kind": str(entry.get("soort", default_kind)),
                }
            )
        else:
            name = str(entry)
            rows.append(
                {"code": slugify(name)[:60], "name": name, "text": "", "form_kind": default_kind}
            )
    return rows


def validate_configuration(data: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if not isinstance(data.get("werkproces"), dict) or not data["werkproces"].get("naam"):
        problems.append(_("Het werkproces heeft geen naam."))
    priorities = [row for row in data.get("prioriteiten") or [] if isinstance(row, dict)]
    priority_codes = {str(row.get("code")) for row in priorities}
    if not priorities:
        problems.append(_("Er is geen enkele prioriteit."))
    for row in priorities:
        if not isinstance(row.get("reactietijd_uren"), int):
            problems.append(
                _("Prioriteit '%(code)s' heeft geen reactietijd in uren.")
                % {"code": row.get("code")}
            )
    problems += validate_workflow(step_specs(data), priority_codes)
    for partner in data.get("partners") or []:
        name = partner.get("naam", "?")
        if partner.get("soort") not in PartnerKind.values:
            problems.append(_("Partner '%(name)s' heeft een onbekende soort.") % {"name": name})
        for part in partner.get("deelname") or []:
            if part not in Participation.values:
                problems.append(
                    _("Partner '%(name)s' neemt deel aan iets onbekends: '%(part)s'.")
                    % {"name": name, "part": part}
                )
        covenant = partner.get("convenant") or {}
        if covenant and covenant.get("status") not in CovenantStatus.values:
            problems.append(
                _("Partner '%(name)s' heeft een onbekende convenantstatus.") % {"name": name}
            )
    for row in catalogue_rows(data, CatalogueKind.REPORT_FORM):
        if row["form_kind"] not in ReportFormKind.values:
            problems.append(
                _("Meldformulier '%(name)s' heeft een onbekende soort '%(kind)s'.")
                % {"name": row["name"], "kind": row["form_kind"]}
            )
    unknown = set(data.get("catalogi") or {}) - set(CatalogueKind.values) - {"risicotaxatie"}
    for kind in sorted(unknown):
        problems.append(_("Onbekende lijst '%(kind)s'.") % {"kind": kind})
    for kind in CODED_CATALOGUES:
        if not catalogue_rows(data, kind):
            problems.append(_("De lijst '%(kind)s' mag niet leeg zijn.") % {"kind": kind})
    risk = (data.get("catalogi") or {}).get("risicotaxatie") or {}
    if not (risk.get("niveaus") or []):
        problems.append(_("Het risicotaxatie-instrument heeft geen niveaus."))
    for row in municipality_rows(data):
        if row.get("code") not in municipalities():
            problems.append(
                _("Onbekende gemeentecode '%(code)s' (gebruik de CBS-code, zoals GM0153).")
                % {"code": row.get("code")}
            )
    if not isinstance(data.get("bewaartermijn_maanden", 60), int):
        problems.append(_("De bewaartermijn moet een aantal maanden zijn."))
    return problems


@transaction.atomic
def import_configuration(data: dict[str, Any], *, actor) -> WorkflowDefinition:
    """A regiobeheerder reads in a configuration file."""
    require(actor, Action.CONFIGURE_REGION)
    return apply_configuration(data, actor=actor)


@transaction.atomic
def apply_configuration(data: dict[str, Any], *, actor=None) -> WorkflowDefinition:
    """Make `data` the region's configuration; the work process becomes a new active version.

    Screens call `import_configuration`; onboarding applies a preset as part of creating
    the region, under the policy of onboarding."""
    problems = validate_configuration(data)
    if problems:
        raise ConfigurationInvalid(problems)
    for position, row in enumerate(data["prioriteiten"]):
        Priority.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row.get("naam", row["code"]),
                "colour": row.get("kleur", "#24578f"),
                "reaction_hours": row["reactietijd_uren"],
                "position": position,
            },
        )
    for row in data.get("partners") or []:
        covenant = row.get("convenant") or {}
        Partner.objects.update_or_create(
            name=row["naam"],
            defaults={
                "kind": row["soort"],
                "participates_in": list(row.get("deelname") or []),
                "covenant_status": covenant.get("status", CovenantStatus.NONE),
                "covenant_signed_on": covenant.get("ondertekend"),
                "covenant_ends_on": covenant.get("einde"),
            },
        )
    for kind in CatalogueKind.values:
        rows = catalogue_rows(data, kind)
        CatalogueEntry.objects.filter(catalogue=kind).exclude(
            code__in=[row["code"] for row in rows]
        ).update(is_active=False)
        for position, row in enumerate(rows):
            CatalogueEntry.objects.update_or_create(
                catalogue=kind,
                code=row["code"],
                defaults=row | {"position": position, "is_active": True},
            )
    if "gemeenten" in data:  # a file from before the working area was configuration
        apply_municipalities(municipality_rows(data))
    risk = data["catalogi"]["risicotaxatie"]
    questions = risk.get("vragen") or []
    RiskQuestion.objects.exclude(code__in=[question["code"] for question in questions]).delete()
    for position, question in enumerate(questions):
        RiskQuestion.objects.update_or_create(
            code=question["code"],
            defaults={
                "text": question["tekst"],
                "weight": question.get("gewicht", 1),
                "position": position,
            },
        )
    RiskLevel.objects.all().delete()
    RiskLevel.objects.bulk_create(
        RiskLevel(threshold=row["vanaf"], level=row["niveau"]) for row in risk["niveaus"]
    )
    settings = RegionSettings.current()
    settings.configuration_name = str(data.get("naam", ""))
    settings.retention_months = data.get("bewaartermijn_maanden", 60)
    settings.benchmark_opt_in = bool(data.get("benchmark_deelname", False))
    settings.save()
    definition = create_definition(data["werkproces"]["naam"], step_specs(data), explanations(data))
    activate_definition(definition)
    record(
        AuditAction.CHANGE,
        user=actor,
        target=definition,
        detail={"configuratie": settings.configuration_name},
    )
    return definition


def municipality_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [row for row in data.get("gemeenten") or [] if isinstance(row, dict)]


def apply_municipalities(rows: list[dict[str, Any]]) -> None:
    """The region's working area becomes exactly the listed municipalities."""
    RegionMunicipality.objects.exclude(code__in=[row["code"] for row in rows]).delete()
    for row in rows:
        RegionMunicipality.objects.update_or_create(
            code=row["code"],
            defaults={
                "funds_meldpunt": bool(row.get("financiert", False)),
                "young_population": row.get("jongeren"),
            },
        )


def municipality_row(municipality: RegionMunicipality) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": municipality.code,
        "naam": str(municipality),
        "financiert": municipality.funds_meldpunt,
    }
    if municipality.young_population is not None:
        row["jongeren"] = municipality.young_population
    return row


def explanations(data: dict[str, Any]) -> dict[str, str]:
    return {
        str(step.get("code")): str(step.get("uitleg", "")).strip()
        for step in data["werkproces"]["stappen"]
    }


def next_version() -> int:
    return (WorkflowDefinition.objects.aggregate(highest=Max("version"))["highest"] or 0) + 1


def create_definition(
    name: str, specs: list[StepSpec], texts: dict[str, str], status: str = DefinitionStatus.DRAFT
) -> WorkflowDefinition:
    definition = WorkflowDefinition.objects.create(version=next_version(), name=name, status=status)
    steps = {
        spec.code: WorkflowStep.objects.create(
            definition=definition,
            code=spec.code,
            name=spec.name,
            explanation=texts.get(spec.code, ""),
            kind=spec.kind,
            deadline_days=spec.deadline_days,
            deadline_days_by_priority=spec.deadline_days_by_priority,
            responsible_role=spec.responsible_role,
            guards=spec.guards,
            is_start=spec.is_start,
            position=position,
        )
        for position, spec in enumerate(specs)
    }
    for spec in specs:
        steps[spec.code].next_steps.set([steps[code] for code in spec.next_steps])
    return definition


def activate_definition(definition: WorkflowDefinition) -> None:
    WorkflowDefinition.objects.filter(status=DefinitionStatus.ACTIVE).update(
        status=DefinitionStatus.RETIRED
    )
    definition.status = DefinitionStatus.ACTIVE
    definition.activated_at = timezone.now()
    definition.save(update_fields=["status", "activated_at"])


def export_configuration(*, actor) -> dict[str, Any]:
    """The region's configuration as the data of a file; the export is an audit line."""
    require(actor, Action.CONFIGURE_REGION)
    record(AuditAction.EXPORT, user=actor, detail={"configuratie": True})
    definition = WorkflowDefinition.objects.get(status=DefinitionStatus.ACTIVE)
    settings = RegionSettings.current()
    texts = {step.code: step.explanation for step in definition.steps.all()}
    steps = []
    for spec in specs_of(definition):
        step: dict[str, Any] = {"code": spec.code, "naam": spec.name, "soort": spec.kind}
        if texts[spec.code]:
            step["uitleg"] = texts[spec.code]
        if spec.deadline_days is not None:
            step["termijn_dagen"] = spec.deadline_days
        if spec.deadline_days_by_priority:
            step["termijn_per_prioriteit"] = spec.deadline_days_by_priority
        step["verantwoordelijke_rol"] = spec.responsible_role
        if spec.is_start:
            step["start"] = True
        if spec.guards:
            step["voorwaarden"] = spec.guards
        if spec.next_steps:
            step["volgende"] = spec.next_steps
        steps.append(step)
    catalogues: dict[str, Any] = {}
    for kind in CatalogueKind.values:
        entries = CatalogueEntry.objects.filter(catalogue=kind, is_active=True)
        if kind in TEMPLATE_CATALOGUES:
            catalogues[kind] = [{"naam": entry.name, "tekst": entry.text} for entry in entries]
        elif kind == CatalogueKind.REPORT_FORM:
            catalogues[kind] = [
                {"code": entry.code, "naam": entry.name, "soort": entry.form_kind}
                for entry in entries
            ]
        elif kind in CODED_CATALOGUES:
            catalogues[kind] = [{"code": entry.code, "naam": entry.name} for entry in entries]
        else:
            catalogues[kind] = [entry.name for entry in entries]
    catalogues["risicotaxatie"] = {
        "vragen": [
            {"code": question.code, "tekst": question.text, "gewicht": question.weight}
            for question in RiskQuestion.objects.all()
        ],
        "niveaus": [
            {"vanaf": level.threshold, "niveau": level.level} for level in RiskLevel.objects.all()
        ],
    }
    return {
        "naam": settings.configuration_name,
        "werkproces": {"naam": definition.name, "stappen": steps},
        "prioriteiten": [
            {
                "code": p.code,
                "naam": p.name,
                "kleur": p.colour,
                "reactietijd_uren": p.reaction_hours,
            }
            for p in Priority.objects.all()
        ],
        "gemeenten": [municipality_row(row) for row in RegionMunicipality.objects.all()],
        "partners": [partner_row(partner) for partner in Partner.objects.all()],
        "catalogi": catalogues,
        "bewaartermijn_maanden": settings.retention_months,
        "benchmark_deelname": settings.benchmark_opt_in,
    }


def partner_row(partner: Partner) -> dict[str, Any]:
    row: dict[str, Any] = {
        "naam": partner.name,
        "soort": partner.kind,
        "deelname": partner.participates_in,
    }
    if partner.covenant_status != CovenantStatus.NONE:
        row["convenant"] = {"status": partner.covenant_status}
        for key, value in (
            ("ondertekend", partner.covenant_signed_on),
            ("einde", partner.covenant_ends_on),
        ):
            if isinstance(value, date):
                row["convenant"][key] = value
    return row


def dump_configuration(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
