"""The rights of the people in a case: a correction is a logged change with a reason,
its old and new values sealed under the person's key in the audit line; a request to
erase goes through the same destruction path as retention, with its own record."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from privacy.models import DestructionRecord, Rule, Scope
from privacy.sealing import seal
from privacy.services.destruction import (
    Destruction,
    anonymise_case,
    erase_person,
    erase_reporter_contact,
    is_anonymised,
)
from workflow import engine
from workflow.models import Casus, InvolvedPerson, Report
from workflow.services import matching

CORRECTABLE = ("role", "name", "birth_year", "age", "gender", "municipality", "school")
CORRECTION_REASONS = {
    "verzoek_betrokkene": gettext_lazy("op verzoek van de betrokkene (AVG artikel 16)"),
    "invoerfout": gettext_lazy("fout bij het vastleggen"),
    "nieuwe_informatie": gettext_lazy("nieuwe of betere informatie"),
}


def sealed(person: InvolvedPerson, value: Any) -> Any:
    return seal(person, value) if value not in (None, "") else value


@transaction.atomic
def correct_person(
    person: InvolvedPerson, *, actor: User, values: dict[str, Any], reason: str, explanation: str
) -> InvolvedPerson:
    """Change what the case holds about `person`, under the case's row lock."""
    require(actor, Action.CORRECT_PERSON, person.casus)
    if reason not in CORRECTION_REASONS:
        raise ValidationError(_("Kies de reden van de correctie."))
    if not explanation.strip():
        raise ValidationError(_("Licht de correctie toe."))
    casus = engine.locked(person.casus)
    if is_anonymised(casus):
        raise ValidationError(_("Deze casus is geanonimiseerd; er valt niets te corrigeren."))
    person = InvolvedPerson.objects.select_for_update().select_related("report").get(pk=person.pk)
    changes = {}
    for name in CORRECTABLE:
        old, new = getattr(person, name), values.get(name, getattr(person, name))
        if old != new:
            changes[name] = (sealed(person, old), sealed(person, new))
            setattr(person, name, new)
    if not changes:
        raise ValidationError(_("Er is niets gewijzigd."))
    person.save()
    changes["toelichting"] = (None, sealed(person, explanation.strip()))
    record(
        AuditAction.CHANGE,
        user=actor,
        target=person,
        case_id=casus.reference,
        person_id=str(person.pk),
        grounds=str(CORRECTION_REASONS[reason]),
        detail={"correctie": reason, "velden": sorted(set(changes) - {"toelichting"})},
        changes=changes,
    )
    matching.register_persons([person])
    return person


@transaction.atomic
def erase_on_request(
    casus: Casus,
    *,
    actor: User,
    scope: str,
    note: str,
    person: InvolvedPerson | None = None,
    report: Report | None = None,
) -> DestructionRecord:
    """Erase at once what a person asked to be erased: the whole case, one person in
    it, or a reporter's contact details. A legal hold refuses it."""
    require(actor, Action.ERASE_ON_REQUEST)
    if not note.strip():
        raise ValidationError(_("Noteer het verzoek (datum, kenmerk, wie het deed)."))
    basis = {"verzoek": True}
    if scope == Scope.CASE:
        return anonymise_case(
            casus, Destruction(Rule.ERASURE_REQUEST, Scope.CASE, basis, actor, note.strip())
        )
    if scope == Scope.PERSON and person is not None and person.casus_id == casus.pk:
        destruction = Destruction(
            Rule.ERASURE_REQUEST, Scope.PERSON, basis, actor, note.strip(), person_id=str(person.pk)
        )
        return erase_person(person, destruction)
    if scope == Scope.REPORTER and report is not None and report.casus_id == casus.pk:
        destruction = Destruction(
            Rule.ERASURE_REQUEST,
            Scope.REPORTER,
            basis,
            actor,
            note.strip(),
            report_code=report.follow_code,
        )
        return erase_reporter_contact(report, destruction)
    raise ValidationError(_("Kies wat er gewist moet worden, en van wie."))
