"""Retention: how long a region keeps a case after completion (by closing reason) and
a reporter's contact details after the last feedback; the nightly run that destroys
what has expired; and legal holds, which stop it for a case."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, Q, QuerySet
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from configuratie.models import CatalogueEntry, CatalogueKind, RegionSettings
from privacy.models import (
    MAX_MONTHS,
    ClosingReasonRetention,
    DestructionRecord,
    LegalHold,
    RetentionSettings,
    Rule,
    Scope,
)
from privacy.services.destruction import (
    REPORTER_CONTACT_FIELDS,
    Destruction,
    LegalHoldActive,
    active_holds,
    anonymise_case,
    anonymised_cases,
    erase_reporter_contact,
    is_anonymised,
    months_before,
    purge_sent_email,
    remove_expired_audit_lines,
)
from workflow import engine
from workflow.models import Casus, Report


@dataclass(frozen=True)
class RetentionPeriods:
    default_months: int
    by_reason: dict[str, int]
    reporter_contact_months: int

    def months_for(self, closing_reason: str) -> int:
        return self.by_reason.get(closing_reason, self.default_months)


def retention_periods() -> RetentionPeriods:
    return RetentionPeriods(
        default_months=RegionSettings.current().retention_months,
        by_reason=dict(ClosingReasonRetention.objects.values_list("closing_reason", "months")),
        reporter_contact_months=RetentionSettings.current().reporter_contact_months,
    )


def valid_months(value: int | None, label: str) -> int:
    if value is None or not 1 <= value <= MAX_MONTHS:
        raise ValidationError(
            _("%(label)s: vul een aantal maanden in van 1 tot en met %(max)d.")
            % {"label": label, "max": MAX_MONTHS}
        )
    return value


@transaction.atomic
def set_retention(
    *,
    actor: User,
    default_months: int,
    reporter_contact_months: int,
    by_reason: dict[str, int | None],
) -> RetentionPeriods:
    """The region's periods; a closing reason without a period of its own follows the
    default. One audit line holds each old and new period."""
    require(actor, Action.CONFIGURE_RETENTION)
    before = retention_periods()
    reasons = set(
        CatalogueEntry.objects.filter(catalogue=CatalogueKind.CLOSING_REASON).values_list(
            "code", flat=True
        )
    )
    unknown = set(by_reason) - reasons
    if unknown:
        raise ValidationError(
            _("Onbekende afsluitreden: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    valid_months(default_months, _("Standaard bewaartermijn"))
    valid_months(reporter_contact_months, _("Contactgegevens van de melder"))
    for code, months in by_reason.items():
        if months is not None:
            valid_months(months, code)
    region = RegionSettings.current()
    region.retention_months = default_months
    region.save(update_fields=["retention_months"])
    contact = RetentionSettings.current()
    contact.reporter_contact_months = reporter_contact_months
    contact.save(update_fields=["reporter_contact_months"])
    for code, months in by_reason.items():
        if months is None:
            ClosingReasonRetention.objects.filter(closing_reason=code).delete()
        else:
            ClosingReasonRetention.objects.update_or_create(
                closing_reason=code, defaults={"months": months}
            )
    after = retention_periods()
    changes = {
        key: (old, new)
        for key, old, new in [
            ("standaard_maanden", before.default_months, after.default_months),
            ("melder_maanden", before.reporter_contact_months, after.reporter_contact_months),
        ]
        + [
            (f"afsluitreden:{code}", before.by_reason.get(code), after.by_reason.get(code))
            for code in sorted(set(before.by_reason) | set(after.by_reason))
        ]
        if old != new
    }
    if changes:
        record(AuditAction.CHANGE, user=actor, target=contact, changes=changes)
    return after


def expired_cases(now: datetime | None = None) -> QuerySet[Casus]:
    """Completed cases past their period, not anonymised yet, without a legal hold."""
    now = now or timezone.now()
    periods = retention_periods()
    expired = Q(
        ~Q(closing_reason__in=list(periods.by_reason)),
        completed_at__lt=months_before(now, periods.default_months),
    )
    for code, months in periods.by_reason.items():
        expired |= Q(closing_reason=code, completed_at__lt=months_before(now, months))
    return (
        Casus.objects.filter(completed_at__isnull=False)
        .filter(expired)
        .filter(~Exists(anonymised_cases()), ~Exists(active_holds()))
        .order_by("completed_at", "pk")
    )


def expired_reporter_contacts(now: datetime | None = None) -> QuerySet[Report]:
    """Reports whose last feedback is older than the period and that still hold a
    reporter's contact details, in cases that are neither held nor anonymised."""
    now = now or timezone.now()
    cutoff = months_before(now, retention_periods().reporter_contact_months)
    length = sum(
        (Length(name) for name in REPORTER_CONTACT_FIELDS[1:]), Length(REPORTER_CONTACT_FIELDS[0])
    )
    return (
        Report.objects.annotate(last_feedback=Max("feedback__recorded_at"), contact=length)
        .filter(last_feedback__lt=cutoff, contact__gt=0)
        .filter(
            ~Exists(anonymised_cases("casus")),
            ~Exists(active_holds("casus")),
        )
        .select_related("casus")
        .order_by("pk")
    )


@dataclass
class RetentionRun:
    cases: list[DestructionRecord] = field(default_factory=list)
    reporter_contacts: list[DestructionRecord] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    email: DestructionRecord | None = None
    audit: DestructionRecord | None = None


def apply_retention(now: datetime | None = None) -> RetentionRun:
    """The nightly run: every expired case anonymised (each in its own transaction,
    under its lock), expired contact details erased, sent e-mail purged, and audit
    lines past their period removed."""
    now = now or timezone.now()
    run = RetentionRun()
    periods = retention_periods()
    for casus in expired_cases(now):
        months = periods.months_for(casus.closing_reason)
        basis = {
            "afsluitreden": casus.closing_reason,
            "maanden": months,
            "afgerond_op": timezone.localdate(casus.completed_at).isoformat(),
        }
        try:
            run.cases.append(
                anonymise_case(casus, Destruction(Rule.CASE_RETENTION, Scope.CASE, basis))
            )
        except LegalHoldActive:  # set between the list and the lock
            run.held.append(casus.reference)
    for report in expired_reporter_contacts(now):
        basis = {"maanden": periods.reporter_contact_months}
        destruction = Destruction(
            Rule.REPORTER_CONTACT, Scope.REPORTER, basis, report_code=report.follow_code
        )
        try:
            run.reporter_contacts.append(erase_reporter_contact(report, destruction))
        except LegalHoldActive:
            run.held.append(report.casus.reference)
    run.email = purge_sent_email()
    run.audit = remove_expired_audit_lines()
    return run


def find_case_by_reference(reference: str) -> Casus:
    """A case named by its code, for those who act on it without reading it."""
    casus = Casus.objects.filter(reference=reference.strip().upper()).first()
    if casus is None:
        raise ValidationError(
            _("Er is geen casus met code %(reference)s.") % {"reference": reference.strip()}
        )
    return casus


@transaction.atomic
def set_legal_hold(casus: Casus, *, actor: User, reason: str) -> LegalHold:
    require(actor, Action.MANAGE_LEGAL_HOLD)
    if not reason.strip():
        raise ValidationError(_("Geef de reden van de bewaarplicht."))
    casus = engine.locked(casus)
    if LegalHold.objects.filter(casus=casus, lifted_at__isnull=True).exists():
        raise ValidationError(
            _("Op casus %(reference)s rust al een bewaarplicht.") % {"reference": casus.reference}
        )
    if is_anonymised(casus):
        raise ValidationError(
            _("Casus %(reference)s is al geanonimiseerd.") % {"reference": casus.reference}
        )
    hold = LegalHold.objects.create(casus=casus, reason=reason.strip(), set_by=actor)
    record(
        AuditAction.CREATE,
        user=actor,
        target=hold,
        case_id=casus.reference,
        detail={"bewaarplicht": "ingesteld"},
    )
    return hold


@transaction.atomic
def lift_legal_hold(hold: LegalHold, *, actor: User, reason: str) -> LegalHold:
    require(actor, Action.MANAGE_LEGAL_HOLD)
    if not reason.strip():
        raise ValidationError(_("Geef de reden om de bewaarplicht op te heffen."))
    engine.locked(hold.casus)
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise ValidationError(_("Deze bewaarplicht is al opgeheven."))
    hold.lifted_at, hold.lifted_by, hold.lift_reason = timezone.now(), actor, reason.strip()
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    record(
        AuditAction.CHANGE,
        user=actor,
        target=hold,
        case_id=hold.casus.reference,
        detail={"bewaarplicht": "opgeheven"},
    )
    return hold
