"""Warme overdracht: a case that moves to the meldpunt of another region.

The one platform service that acts for two regions (docs/database-roles.md). The
sending procesregisseur proposes; the platform keeps the proposal in the public
schema with metadata only (who, why, on what basis, which kinds of parts and how
many). The receiving procesregisseur accepts or declines in their own region. On
acceptance, and only then, this module reads the chosen parts in the sending region
(as its role, decrypted under its keys), writes them as a new case in the receiving
region (as its role, encrypted under its keys) and closes the sending case as
"overgedragen". Both audit logs keep the transfer. No other code reads a second
region's schema: tests/tenants/test_schema_isolation.py allows this module alone.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import current_request, record, record_many
from configuratie.models import RegionSettings
from national.models import Transfer, TransferBasis, TransferPart
from tenants.models import Region
from workflow import engine
from workflow.models import (
    CaseDocument,
    Casus,
    Consent,
    InvolvedPerson,
    PersonRole,
    PlanAction,
    PlanOfApproach,
    Report,
    RiskAssessment,
    ScreeningOutcome,
)
from workflow.services import matching
from workflow.services.consent import allowed_givers, person_label, youngest_age_on
from workflow.services.reports import new_follow_code, new_secret, secret_digest

REASON_LENGTH = 2000
REPORT_FIELDS = ("form_code", "channel", "reporter_type", "anonymous", "concern", "signals")
REPORT_FIELDS += ("risk_answers", "submitted_at")
PERSON_FIELDS = ("role", "name", "birth_year", "age", "gender", "municipality", "school")
SCREENING_FIELDS = ("outcome", "advice", "recorded_at")
RISK_FIELDS = ("answers", "score", "computed_level", "level", "deviation_reason", "recorded_at")
PLAN_FIELDS = ("version", "goals", "revision_reason", "recorded_at")
ACTION_FIELDS = ("position", "description", "chain", "due_on", "status", "outcome")
DOCUMENT_FIELDS = ("title", "filename", "content_type", "size", "content", "scan")
DOCUMENT_FIELDS += ("scanned_at", "recorded_at")


@contextmanager
def public() -> Iterator[None]:
    """The platform's own table of proposals, as the application role."""
    with schema_context(get_public_schema_name()):
        yield


@contextmanager
def in_region(region: Region) -> Iterator[None]:
    """Act as `region`'s role. Its audit lines name no account of the request: the
    request's user belongs to the other region (its number means someone else here);
    the lines say on whose behalf instead."""
    token = current_request.set(None)
    try:
        with tenant_context(region):
            yield
    finally:
        current_request.reset(token)


def destinations() -> list[Region]:
    """The regions a case can go to: every other region on the platform that is not suspended."""
    here = connection.tenant
    return list(Region.objects.regions().filter(is_suspended=False).exclude(pk=here.pk))


def part_counts(casus: Casus) -> dict[str, int]:
    """How many of each kind of part the case holds (what a proposal may include)."""
    return {
        TransferPart.PERSONS: casus.persons.count(),
        TransferPart.REPORTS: casus.reports.count(),
        TransferPart.SCREENING: ScreeningOutcome.objects.filter(casus=casus).count(),
        TransferPart.RISK: RiskAssessment.objects.filter(casus=casus).count(),
        TransferPart.PLAN: min(PlanOfApproach.objects.filter(casus=casus).count(), 1),
        TransferPart.DOCUMENTS: CaseDocument.objects.filter(
            casus=casus, scan=CaseDocument.Scan.CLEAN
        ).count(),
    }


def consent_problems(casus: Casus) -> list[str]:
    """Consent to the transfer of every (possible) victim on the case (of every person,
    where the case names no victim), given by whom the region's age rules allow on the
    day it was given (workflow.services.consent)."""
    persons = list(casus.persons.select_related("report").prefetch_related("consents"))
    concerned = [p for p in persons if p.role == PersonRole.VICTIM] or persons
    if not concerned:
        return [_("De casus heeft geen betrokkene die toestemming kan geven.")]
    rules = RegionSettings.current()
    problems = []
    for person in concerned:
        given = [
            consent
            for consent in person.consents.all()
            if consent.purpose == Consent.Purpose.TRANSFER and consent.in_force
        ]
        if not given:
            problems.append(
                _("Voor %(who)s is geen toestemming voor overdracht vastgelegd.")
                % {"who": person_label(person)}
            )
            continue
        age = youngest_age_on(person, given[-1].given_on)
        if age is None or given[-1].given_by not in allowed_givers(age, rules):
            problems.append(
                _(
                    "De toestemming voor %(who)s is niet gegeven door wie dat volgens de leeftijdsregels van de regio mag."
                )
                % {"who": person_label(person)}
            )
    return problems


def check_proposal(
    casus: Casus, *, target: Region, parts: list[str], basis: str, basis_text: str, reason: str
) -> list[str]:
    problems = []
    here = connection.tenant
    if casus.completed_at is not None:
        problems.append(_("Een afgeronde casus kan niet meer worden overgedragen."))
    if here.is_suspended:
        problems.append(_("Dit meldpunt is opgeschort en kan niets overdragen."))
    if target.pk == here.pk or target.is_platform or target.is_suspended:
        problems.append(_("Kies een ander meldpunt op het platform dat niet is opgeschort."))
    if not parts or set(parts) - set(TransferPart.values):
        problems.append(_("Kies wat u overdraagt."))
    if not reason.strip():
        problems.append(_("Schrijf waarom u de casus overdraagt."))
    if len(reason) > REASON_LENGTH or len(basis_text) > REASON_LENGTH:
        problems.append(_("Een toelichting is hoogstens 2000 tekens lang."))
    if basis not in TransferBasis.values:
        problems.append(_("Kies de grondslag van de overdracht."))
    elif basis == TransferBasis.CONSENT:
        problems += consent_problems(casus)
    elif not basis_text.strip():
        problems.append(
            _(
                "Zonder toestemming overdragen kan alleen met een grondslag én de reden: schrijf de reden."
            )
        )
    return problems


def signature(user: User) -> str:
    """Who, as the other region reads it: the role, the name and the e-mail address."""
    role = _("procesregisseur")  # outside the f-string, where makemessages finds it
    return f"{role} {user.full_name or user.email} <{user.email}>"


@transaction.atomic
def propose(
    casus: Casus,
    *,
    actor: User,
    target: Region,
    parts: list[str],
    basis: str,
    basis_text: str = "",
    reason: str,
) -> Transfer:
    """The sending procesregisseur's proposal: only metadata leaves the region."""
    require(actor, Action.PROPOSE_TRANSFER, casus)
    casus = engine.locked(casus)
    problems = check_proposal(
        casus, target=target, parts=parts, basis=basis, basis_text=basis_text, reason=reason
    )
    here = connection.tenant
    with public():
        if Transfer.objects.filter(
            source=here, source_case_id=casus.pk, status=Transfer.Status.PROPOSED
        ).exists():
            problems.append(_("Voor deze casus wacht al een voorstel tot overdracht."))
    if problems:
        raise ValidationError(problems)
    counts = {part: count for part, count in part_counts(casus).items() if part in parts}
    with public():
        transfer = Transfer.objects.create(
            source=here,
            target=target,
            source_case_id=casus.pk,
            source_reference=casus.reference,
            parts=counts,
            basis=basis,
            basis_text=basis_text.strip() if basis != TransferBasis.CONSENT else "",
            reason=reason.strip(),
            proposed_by=signature(actor),
        )
    record(
        AuditAction.CREATE,
        user=actor,
        target=casus,
        case_id=casus.reference,
        grounds=basis,
        detail={"overdracht": transfer.pk, "naar_regio": target.name, "onderdelen": counts},
    )
    return transfer


def transfers_here(user: User) -> list[Transfer]:
    """The region's proposals, to it and from it, newest first (at most 100)."""
    require(user, Action.DECIDE_TRANSFER)
    here = connection.tenant
    with public():
        return list(
            Transfer.objects.filter(Q(target=here) | Q(source=here)).select_related(
                "source", "target"
            )[:100]
        )


def waiting_here() -> int:
    """How many proposals wait for this region's decision (the home page's signal)."""
    here = connection.tenant
    with public():
        return Transfer.objects.filter(target=here, status=Transfer.Status.PROPOSED).count()


def find_transfer(user: User, pk: int) -> Transfer:
    """One proposal to or from this region; another region's is not there (404)."""
    require(user, Action.DECIDE_TRANSFER)
    here = connection.tenant
    with public():
        transfer = (
            Transfer.objects.filter(Q(target=here) | Q(source=here), pk=pk)
            .select_related("source", "target")
            .first()
        )
    if transfer is None:
        raise Transfer.DoesNotExist
    return transfer


def open_proposal(pk: int) -> Transfer:
    """A proposal to this region that still waits, under its row lock."""
    here = connection.tenant
    with public():
        transfer = (
            Transfer.objects.select_for_update(of=("self",))
            .select_related("source", "target")
            .filter(pk=pk, target=here)
            .first()
        )
    if transfer is None:
        raise Transfer.DoesNotExist
    problems = []
    if not transfer.is_open:
        problems.append(_("Over dit voorstel is al besloten."))
    if transfer.source.is_suspended or transfer.target.is_suspended:
        problems.append(_("Een opgeschort meldpunt kan geen casus overdragen of ontvangen."))
    if problems:
        raise ValidationError(problems)
    return transfer


def values(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


@dataclass
class CaseParts:
    """The chosen parts of the sending case, read (and decrypted) in the sending region."""

    reports: list[tuple[dict[str, Any], list[dict[str, Any]]]] = field(default_factory=list)
    screenings: list[dict[str, Any]] = field(default_factory=list)
    risks: list[dict[str, Any]] = field(default_factory=list)
    plan: tuple[dict[str, Any], list[dict[str, Any]]] | None = None
    documents: list[dict[str, Any]] = field(default_factory=list)
    person_ids: list[str] = field(default_factory=list)


def read_parts(casus: Casus, parts: set[str]) -> CaseParts:
    """In the sending region: the chosen parts as plain values. Reporter conversations,
    the reporter's identity, consents and journal stay where they are."""
    read = CaseParts()
    if parts & {TransferPart.REPORTS, TransferPart.PERSONS}:
        for report in casus.reports.prefetch_related("persons").order_by("submitted_at", "id"):
            persons = list(report.persons.all()) if TransferPart.PERSONS in parts else []
            read.person_ids += [str(person.pk) for person in persons]
            read.reports.append(
                (
                    values(report, REPORT_FIELDS) if TransferPart.REPORTS in parts else {},
                    [values(person, PERSON_FIELDS) for person in persons],
                )
            )
    if TransferPart.SCREENING in parts:
        outcomes = ScreeningOutcome.objects.filter(casus=casus)
        read.screenings = [values(outcome, SCREENING_FIELDS) for outcome in outcomes]
    if TransferPart.RISK in parts:
        assessments = RiskAssessment.objects.filter(casus=casus)
        read.risks = [values(assessment, RISK_FIELDS) for assessment in assessments]
    plan = PlanOfApproach.objects.filter(casus=casus).order_by("-version").first()
    if TransferPart.PLAN in parts and plan is not None:
        actions = plan.actions.select_related("owner_partner", "owner_user")
        read.plan = (
            values(plan, PLAN_FIELDS) | {"version": 1},
            [values(action, ACTION_FIELDS) | {"owner_name": action.owner} for action in actions],
        )
    if TransferPart.DOCUMENTS in parts:
        documents = CaseDocument.objects.filter(casus=casus, scan=CaseDocument.Scan.CLEAN)
        read.documents = [values(document, DOCUMENT_FIELDS) for document in documents]
    return read


def write_parts(casus: Casus, read: CaseParts, *, actor: User, sender: Region) -> None:
    """In the receiving region: the parts on the new case, encrypted under its keys."""
    carrier = _("Overgedragen uit regio %(region)s; de melding zelf is niet meegegeven.") % {
        "region": sender.name
    }
    for report_values, persons in read.reports:
        if not report_values and not persons:
            continue
        report = Report.objects.create(
            casus=casus,
            channel=report_values.pop("channel", "overdracht"),
            concern=report_values.pop("concern", carrier),
            follow_code=new_follow_code(),
            # Nobody holds its secret: the reporter follows the report in the sending region.
            follow_secret_hash=secret_digest(new_secret()),
            recorded_by=actor,
            **report_values,
        )
        for person in persons:
            InvolvedPerson.objects.create(report=report, casus=casus, **person)
    mine = {"casus": casus, "recorded_by": actor}
    ScreeningOutcome.objects.bulk_create(ScreeningOutcome(**mine, **s) for s in read.screenings)
    RiskAssessment.objects.bulk_create(RiskAssessment(**mine, **r) for r in read.risks)
    if read.plan is not None:
        plan_values, actions = read.plan
        plan = PlanOfApproach.objects.create(**mine, **plan_values)
        PlanAction.objects.bulk_create(PlanAction(plan=plan, **action) for action in actions)
    CaseDocument.objects.bulk_create(CaseDocument(**mine, **d) for d in read.documents)


@transaction.atomic
def accept(pk: int, *, actor: User) -> Casus:
    """The receiving procesregisseur accepts: the new case here, the old one closed there."""
    require(actor, Action.DECIDE_TRANSFER)
    receiver = connection.tenant
    transfer = open_proposal(pk)
    sender, parts = transfer.source, set(transfer.parts)
    on_behalf = signature(actor) + f" ({receiver.name})"
    with in_region(sender):
        source_case = engine.locked(Casus.objects.get(pk=transfer.source_case_id))
        if source_case.completed_at is not None:
            raise ValidationError(
                _("De casus is bij het verzendende meldpunt intussen afgerond of overgedragen.")
            )
        read = read_parts(source_case, parts)
        record_many(
            AuditAction.EXPORT,
            person_ids=read.person_ids,
            target=source_case,
            case_id=source_case.reference,
            grounds=transfer.basis,
            on_behalf_of=on_behalf,
            detail={
                "overdracht": transfer.pk,
                "naar_regio": receiver.name,
                "onderdelen": transfer.parts,
            },
        )
    casus = engine.open_transferred_case(
        actor=actor, from_region=sender.name, transfer_id=transfer.pk
    )
    write_parts(casus, read, actor=actor, sender=sender)
    record(
        AuditAction.CREATE,
        user=actor,
        target=casus,
        case_id=casus.reference,
        grounds=transfer.basis,
        on_behalf_of=transfer.proposed_by + f" ({sender.name})",
        detail={"overdracht": transfer.pk, "uit_regio": sender.name, "onderdelen": transfer.parts},
    )
    with in_region(sender):
        engine.close_transferred(
            source_case, to_region=receiver.name, transfer_id=transfer.pk, by=on_behalf
        )
        # The persons now belong to the receiving region: the closed case must not
        # signal the new one as "also known elsewhere".
        matching.forget_persons(source_case.persons.all())
    matching.register_persons(casus.persons.all())  # known here now, as any new case's
    with public():
        transfer.status = Transfer.Status.ACCEPTED
        transfer.decided_by = signature(actor)
        transfer.decided_at = timezone.now()
        transfer.target_reference = casus.reference
        transfer.save(update_fields=["status", "decided_by", "decided_at", "target_reference"])
    return casus


@transaction.atomic
def decline(pk: int, *, actor: User, reason: str) -> Transfer:
    """The receiving procesregisseur declines, with a reason; the case stays where it is."""
    require(actor, Action.DECIDE_TRANSFER)
    if not reason.strip():
        raise ValidationError(_("Schrijf waarom u het voorstel afwijst."))
    if len(reason) > REASON_LENGTH:
        raise ValidationError(_("Een toelichting is hoogstens 2000 tekens lang."))
    receiver = connection.tenant
    transfer = open_proposal(pk)
    detail = {"overdracht": transfer.pk, "besluit": "afgewezen"}
    with public():
        transfer.status = Transfer.Status.DECLINED
        transfer.decided_by = signature(actor)
        transfer.decided_at = timezone.now()
        transfer.decline_reason = reason.strip()
        transfer.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    record(AuditAction.CHANGE, user=actor, detail=detail | {"uit_regio": transfer.source.name})
    with in_region(transfer.source):
        record(
            AuditAction.CHANGE,
            case_id=transfer.source_reference,
            on_behalf_of=signature(actor) + f" ({receiver.name})",
            detail=detail | {"naar_regio": receiver.name},
        )
    return transfer
