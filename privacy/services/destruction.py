"""Destruction: the one path by which personal data leave a region's schema.

Anonymising a case (its retention period passed, or on request), erasing one person or
a reporter's contact details, purging sent e-mail and removing expired audit lines all
end here: under the case's row lock, refused while a legal hold stands, with a
destruction record (kinds and counts, never content) and an audit line.

What an anonymised case keeps, for the statistics: the case row (its codes, dates,
step, priority, type, closing reason), its step history without explanations, every
row that counts something (reports, persons, feedback, messages, notes, assessments
with their score and level) and, of each person, role, gender, birth year, age and
municipality. What goes: every encrypted field of every row that belongs to the case
(names, contact details, schools, the concern, notes, messages, feedback, answers,
plans, explanations), the blind indexes and the follow-up secret's digest (fields
ending in `_index` or `_hash`), and the persons' keys that seal their corrected
values in the audit log. Models of the region's schema that belong to a case are
found by their foreign key to a case, a report or a person, so a new model is
covered without being listed here.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditAction
from audit.services import record
from meldpunt.encryption import ENCRYPTED_FIELDS, EncryptedBinaryField, EncryptedJSONField
from meldpunt.models import OutboxMessage
from privacy.models import DestructionRecord, LegalHold, Rule, Scope
from privacy.sealing import destroy_keys
from workflow import engine
from workflow.models import Casus, InvolvedPerson, Report
from workflow.services import matching

# Apps whose rows are not case data: the log itself, accounts and the configuration.
NOT_CASE_DATA = frozenset({"audit", "accounts", "configuratie", "privacy"})
REPORTER_CONTACT_FIELDS = (
    "reporter_name",
    "reporter_email",
    "reporter_phone",
    "reporter_organisation",
)


class LegalHoldActive(ValidationError):
    pass


def tenant_models() -> list[type[models.Model]]:
    labels = {app.split(".")[-1] for app in settings.TENANT_APPS} - NOT_CASE_DATA
    return [model for model in apps.get_models() if model._meta.app_label in labels]


def path_to_case(model: type[models.Model], depth: int = 2) -> str | None:
    """The lookup from `model` to its case, through at most `depth` foreign keys (a plan's
    action reaches its case through the plan), or None for rows that belong to no case."""
    if model is Casus:
        return "pk"
    relations = [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and (field.many_to_one or field.one_to_one)
    ]
    for field in relations:
        if field.related_model is Casus:
            return field.name
    if depth > 1:
        for field in relations:
            if field.related_model is not model:
                further = path_to_case(field.related_model, depth - 1)
                if further is not None and further != "pk":
                    return f"{field.name}__{further}"
    return None


def is_digest(field: models.Field) -> bool:
    """A blind index or a secret's digest: reveals nothing alone, but finds the person."""
    return isinstance(field, models.CharField) and field.name.endswith(("_index", "_hash"))


def erased_values(model: type[models.Model], only: Iterable[str] | None = None) -> dict[str, Any]:
    """What each personal field of `model` becomes: empty."""
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if only is not None and field.name not in only:
            continue
        if isinstance(field, EncryptedJSONField):
            values[field.name] = None if field.null else field.get_default()
        elif isinstance(field, EncryptedBinaryField):
            values[field.name] = b""
        elif isinstance(field, ENCRYPTED_FIELDS) or is_digest(field):
            values[field.name] = ""
    return values


def case_data() -> list[tuple[type[models.Model], str, dict[str, Any]]]:
    """Every model that holds personal data of a case: its path to the case and what
    its fields become."""
    found = []
    for model in tenant_models():
        path = path_to_case(model)
        values = erased_values(model)
        if path is not None and values:
            found.append((model, path, values))
    return found


def hold_on(casus: Casus) -> LegalHold | None:
    return LegalHold.objects.filter(casus=casus, lifted_at__isnull=True).first()


def is_anonymised(casus: Casus) -> bool:
    """Anonymised, and not completed again since (a reopened case gathers new data,
    which its next period covers)."""
    records = DestructionRecord.objects.filter(casus=casus, scope=Scope.CASE)
    if casus.completed_at is not None:
        records = records.filter(at__gte=casus.completed_at)
    return records.exists()


def anonymised_cases(case: str = "pk"):
    """For Exists(): the outer query's case (`case`) was anonymised after its completion."""
    completed = "completed_at" if case == "pk" else f"{case}__completed_at"
    return DestructionRecord.objects.filter(
        casus=OuterRef(case), scope=Scope.CASE, at__gte=OuterRef(completed)
    )


def active_holds(case: str = "pk"):
    """For Exists(): a legal hold standing on the outer query's case."""
    return LegalHold.objects.filter(casus=OuterRef(case), lifted_at__isnull=True)


@dataclass(frozen=True)
class Destruction:
    rule: str
    scope: str
    basis: dict[str, Any]
    actor: User | None = None
    note: str = ""
    report_code: str = ""
    person_id: str = ""


def write_record(destruction: Destruction, counts: dict[str, int], casus: Casus | None):
    """The destruction record and its audit line."""
    made = DestructionRecord.objects.create(
        rule=destruction.rule,
        scope=destruction.scope,
        casus=casus,
        case_reference=casus.reference if casus else "",
        report_code=destruction.report_code,
        person_id=destruction.person_id,
        destroyed=counts,
        basis=destruction.basis,
        performed_by=destruction.actor,
        note=destruction.note,
    )
    record(
        AuditAction.DESTROY,
        user=destruction.actor,
        target=made,
        case_id=made.case_reference,
        person_id=destruction.person_id,
        grounds=Rule(destruction.rule).label,
        on_behalf_of="" if destruction.actor else "bewaartermijnen (nachtelijke taak)",
        detail={"regel": destruction.rule, "omvang": destruction.scope, "vernietigd": counts},
    )
    return made


@transaction.atomic
def destroy_in_case(
    casus: Casus,
    destruction: Destruction,
    targets: list[tuple[models.QuerySet, dict[str, Any]]],
    persons: Iterable[InvolvedPerson] = (),
) -> DestructionRecord:
    """Erase `targets` (querysets with the values their fields become) of one case,
    under its row lock; refused during a legal hold or once the case is anonymised."""
    casus = engine.locked(casus)
    if hold_on(casus) is not None:
        raise LegalHoldActive(
            _("Op casus %(reference)s rust een bewaarplicht; er wordt niets vernietigd.")
            % {"reference": casus.reference}
        )
    if is_anonymised(casus):
        raise ValidationError(
            _("Casus %(reference)s is al geanonimiseerd.") % {"reference": casus.reference}
        )
    counts: dict[str, int] = {}
    unsent = unsent_email_to(reporter_addresses(targets))
    if unsent:
        counts[OutboxMessage._meta.label] = OutboxMessage.objects.filter(pk__in=unsent).delete()[0]
    for queryset, values in targets:
        erased = queryset.update(**values)
        if erased:
            label = queryset.model._meta.label
            counts[label] = counts.get(label, 0) + erased
    keys = destroy_keys(persons)
    if keys:
        counts["privacy.PersonKey"] = keys
    return write_record(destruction, counts, casus)


def reporter_addresses(targets: list[tuple[models.QuerySet, dict[str, Any]]]) -> set[str]:
    """The reporters' addresses that `targets` are about to erase."""
    return {
        address
        for queryset, values in targets
        if queryset.model is Report and "reporter_email" in values
        for address in queryset.values_list("reporter_email", flat=True)
        if address
    }


def unsent_email_to(addresses: set[str]) -> list[int]:
    """Messages still waiting for these addresses: they go unsent. The recipient is
    encrypted, so the few waiting messages are read; sent ones were purged already."""
    if not addresses:
        return []
    waiting = OutboxMessage.objects.select_for_update().filter(sent_at__isnull=True)
    return [message.pk for message in waiting if message.to in addresses]


@transaction.atomic
def anonymise_case(casus: Casus, destruction: Destruction) -> DestructionRecord:
    targets = [
        (model.objects.filter(**{path: casus}), values) for model, path, values in case_data()
    ]
    # The reasons of earlier (lifted) holds may name people too.
    targets.append(
        (
            LegalHold.objects.filter(casus=casus, lifted_at__isnull=False),
            {"reason": "", "lift_reason": ""},
        )
    )
    persons = list(InvolvedPerson.objects.filter(casus=casus))
    made = destroy_in_case(casus, destruction, targets, persons)
    matching.forget_persons(persons)
    return made


@transaction.atomic
def erase_person(person: InvolvedPerson, destruction: Destruction) -> DestructionRecord:
    targets = [(InvolvedPerson.objects.filter(pk=person.pk), erased_values(InvolvedPerson))]
    made = destroy_in_case(person.casus, destruction, targets, [person])
    matching.forget_persons([person])
    return made


def erase_reporter_contact(report: Report, destruction: Destruction) -> DestructionRecord:
    values = erased_values(Report, only=REPORTER_CONTACT_FIELDS)
    return destroy_in_case(
        report.casus, destruction, [(Report.objects.filter(pk=report.pk), values)]
    )


@transaction.atomic
def purge_sent_email() -> DestructionRecord | None:
    """Erase body, attachment and recipient of every sent e-mail (the first to a reporter holds
    their follow-up secret); the row stays as a trace that a message went out."""
    waiting = (
        OutboxMessage.objects.select_for_update(skip_locked=True)
        .filter(sent_at__isnull=False)
        .annotate(
            left=models.functions.Length("body")
            + models.functions.Length("to")
            + models.functions.Length("attachment")
        )
        .filter(left__gt=0)
    )
    ids = list(waiting.values_list("pk", flat=True))
    if not ids:
        return None
    purged = OutboxMessage.objects.filter(pk__in=ids).update(body="", to="", attachment="")
    destruction = Destruction(rule=Rule.SENT_EMAIL, scope=Scope.EMAIL, basis={})
    return write_record(destruction, {OutboxMessage._meta.label: purged}, None)


@transaction.atomic
def remove_expired_audit_lines() -> DestructionRecord | None:
    """Remove the audit lines past their retention through the database's one narrow
    path (audit migration 0005), which also writes a line of its own."""
    months = settings.AUDIT_RETENTION_MONTHS
    with connection.cursor() as cursor:
        cursor.execute("SELECT audit_remove_expired(%s)", [months])
        removed = cursor.fetchone()[0]
    if not removed:
        return None
    destruction = Destruction(
        rule=Rule.AUDIT_RETENTION, scope=Scope.AUDIT, basis={"maanden": months}
    )
    return write_record(destruction, {"audit.AuditEntry": removed}, None)


def months_before(moment: datetime, months: int) -> datetime:
    """The same local day and time `months` calendar months earlier (the month's last
    day where that month is shorter)."""
    local = timezone.localtime(moment)
    index = local.year * 12 + local.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = datetime(year + (month == 12), month % 12 + 1, 1)
    last_day = (following - datetime(year, month, 1)).days
    return local.replace(year=year, month=month, day=min(local.day, last_day))
