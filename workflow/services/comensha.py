"""Registration of a (possible) victim with CoMensha: whether the written consent is
there (from 16 the person gives it, under 16 a parent or guardian; together counts
for both), the fields filled from the case where it holds them, the registration
prepared, handed over as a file (each one an audit line), and recorded as sent: when
and by whom. The procesregisseur's home lists the open cases whose victims are not
registered yet."""

import json
from dataclasses import dataclass
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from workflow.models import (
    Casus,
    ComenshaRegistration,
    Consent,
    Gender,
    InvolvedPerson,
    PersonRole,
    ReporterType,
)
from workflow.oversight import count_signals, open_cases, signal_condition
from workflow.services.consent import person_label, youngest_age_on

# CoMensha's rule: from this age a person consents to their registration themselves;
# younger, a parent or guardian does. Consent given together counts on both sides.
CONSENT_ALONE_FROM_AGE = 16
TEXT_MAX = 200  # the country and the organisation: a few words each
REGISTRATION_FIELDS = (
    "exploitation",
    "country_of_origin",
    "age",
    "gender",
    "identifying_organisation",
    "need",
)
JSON_TYPE = "application/json"


def consent_givers(age: int) -> set[str]:
    if age >= CONSENT_ALONE_FROM_AGE:
        return {Consent.GivenBy.PERSON, Consent.GivenBy.TOGETHER}
    return {Consent.GivenBy.GUARDIAN, Consent.GivenBy.TOGETHER}


def who_consents(age: int) -> str:
    if age >= CONSENT_ALONE_FROM_AGE:
        return _("de betrokkene zelf (16 jaar of ouder)")
    return _("een ouder of voogd (jonger dan 16 jaar)")


def registration_consent(person: InvolvedPerson) -> Consent:
    """The consent in force for registration with CoMensha that the right person gave,
    or a refusal naming in Dutch what is missing."""
    who = person_label(person)
    if person.role != PersonRole.VICTIM:
        raise ValidationError(
            _("Alleen een (mogelijk) slachtoffer wordt bij CoMensha geregistreerd.")
        )
    if youngest_age_on(person, timezone.localdate()) is None:
        raise ValidationError(
            _(
                "Leg eerst de leeftijd of het geboortejaar van %(who)s vast: daarvan hangt af wie toestemming geeft voor de registratie bij CoMensha."
            )
            % {"who": who}
        )
    given = [
        consent
        for consent in person.consents.all()
        if consent.purpose == Consent.Purpose.COMENSHA and consent.in_force
    ]
    for consent in sorted(given, key=lambda c: c.given_on, reverse=True):
        if consent.given_by in consent_givers(youngest_age_on(person, consent.given_on)):
            return consent
    age = youngest_age_on(person, timezone.localdate())
    if given:
        refused_consent(
            _(
                "De vastgelegde toestemming voor registratie bij CoMensha van %(who)s is niet gegeven door wie die moet geven: %(giver)s."
            ),
            who,
            age,
        )
    refused_consent(
        _(
            "Er is geen schriftelijke toestemming voor registratie bij CoMensha vastgelegd voor %(who)s. Die toestemming geeft %(giver)s; leg haar vast bij Toestemming, met het doel 'registratie bij CoMensha'."
        ),
        who,
        age,
    )


def refused_consent(message: str, who: str, age: int) -> NoReturn:
    raise ValidationError(message % {"who": who, "giver": who_consents(age)})


def identifying_organisation(casus: Casus) -> str:
    """The organisation of the first professional who reported, else the meldpunt."""
    for report in casus.reports.order_by("submitted_at"):
        if report.reporter_type == ReporterType.PROFESSIONAL and report.reporter_organisation:
            return report.reporter_organisation
    return _("Meldpunt Loverboyproblematiek %(region)s") % {"region": connection.tenant.name}


def prefill(person: InvolvedPerson) -> dict:
    """What the case already holds of the fields CoMensha asks."""
    return {
        "age": youngest_age_on(person, timezone.localdate()),
        "gender": person.gender,
        "identifying_organisation": identifying_organisation(person.casus),
    }


def victims(casus: Casus) -> QuerySet[InvolvedPerson]:
    return InvolvedPerson.objects.filter(casus=casus, role=PersonRole.VICTIM).order_by("pk")


def checked(data: dict) -> dict:
    problems = []
    if data["exploitation"] not in ComenshaRegistration.Exploitation.values:
        problems.append(_("Kies de vorm van uitbuiting."))
    if data["need"] not in ComenshaRegistration.Need.values:
        problems.append(_("Kies wat er nodig is: registratie, opvang, of informatie en advies."))
    if data["gender"] not in Gender.values:
        problems.append(_("Kies het gender."))
    if not 0 <= data["age"] <= 120:
        problems.append(_("Geef een leeftijd tussen 0 en 120."))
    for field, message in (
        ("country_of_origin", _("Vul het land van herkomst in.")),
        ("identifying_organisation", _("Vul de organisatie in die de persoon signaleerde.")),
    ):
        data[field] = data[field].strip()
        if not data[field] or len(data[field]) > TEXT_MAX:
            problems.append(message)
    if problems:
        raise ValidationError(problems)
    return data


@transaction.atomic
def prepare_registration(
    person: InvolvedPerson,
    *,
    actor: User,
    exploitation: str,
    country_of_origin: str,
    age: int,
    gender: str,
    identifying_organisation: str,
    need: str,
) -> ComenshaRegistration:
    """The registration of `person`, ready to send: a new one, or the one not sent yet
    changed. Refused without the consent, or when the person is registered already."""
    casus = person.casus
    require(actor, Action.REGISTER_WITH_COMENSHA, casus)
    InvolvedPerson.objects.select_for_update().get(pk=person.pk)  # one at a time per person
    consent = registration_consent(person)
    sent = person.comensha_registrations.filter(sent_at__isnull=False).first()
    if sent is not None:
        raise ValidationError(
            _("%(who)s is al bij CoMensha geregistreerd, op %(day)s.")
            % {"who": person_label(person), "day": date_format(timezone.localtime(sent.sent_at))}
        )
    data = checked(
        {
            "exploitation": exploitation,
            "country_of_origin": country_of_origin,
            "age": age,
            "gender": gender,
            "identifying_organisation": identifying_organisation,
            "need": need,
        }
    )
    registration = person.comensha_registrations.filter(sent_at__isnull=True).first()
    created = registration is None
    if created:
        registration = ComenshaRegistration(casus=casus, person=person, recorded_by=actor)
    registration.consent = consent
    for field, value in data.items():
        setattr(registration, field, value)
    registration.save()
    record(
        AuditAction.CREATE if created else AuditAction.CHANGE,
        user=actor,
        target=registration,
        case_id=casus.reference,
        person_id=str(person.pk),
        grounds="registratie CoMensha",
        detail={"toestemming": consent.pk, "velden": sorted(data)},
    )
    return registration


@transaction.atomic
def record_sent(
    registration: ComenshaRegistration, *, actor: User, note: str = ""
) -> ComenshaRegistration:
    """That the registration went to CoMensha, now, by `actor`, with how (encrypted)."""
    require(actor, Action.REGISTER_WITH_COMENSHA, registration.casus)
    registration = ComenshaRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.sent_at is not None:
        raise ValidationError(_("Deze registratie is al als verstuurd vastgelegd."))
    registration.sent_at, registration.sent_by = timezone.now(), actor
    registration.sent_note = note.strip()
    registration.save(update_fields=["sent_at", "sent_by", "sent_note"])
    record(
        AuditAction.CHANGE,
        user=actor,
        target=registration,
        case_id=registration.casus.reference,
        person_id=str(registration.person_id),
        grounds="registratie CoMensha",
        changes={"sent_at": (None, registration.sent_at.isoformat())},
    )
    return registration


@dataclass(frozen=True)
class RegistrationFile:
    """What goes to CoMensha, in CoMensha's words, and the file's name."""

    fields: dict[str, str]
    filename: str

    def json_bytes(self) -> bytes:
        return json.dumps(self.fields, ensure_ascii=False, indent=2).encode("utf-8")


def registration_file(
    registration: ComenshaRegistration, *, actor: User, fmt: str
) -> RegistrationFile:
    """The registration as it leaves the platform (as a PDF or as JSON): each hand-over
    is an audit line naming the person and the format."""
    require(actor, Action.REGISTER_WITH_COMENSHA, registration.casus)
    record(
        AuditAction.EXPORT,
        user=actor,
        target=registration,
        case_id=registration.casus.reference,
        person_id=str(registration.person_id),
        grounds="registratie CoMensha",
        detail={"formaat": fmt},
    )
    consent = registration.consent
    fields = {
        "kenmerk_melder": registration.casus.reference,
        "vorm_van_uitbuiting": registration.get_exploitation_display(),
        "land_van_herkomst": registration.country_of_origin,
        "leeftijd": str(registration.age),
        "gender": registration.get_gender_display(),
        "signalerende_organisatie": registration.identifying_organisation,
        "behoefte": registration.get_need_display(),
        "toestemming_gegeven_door": consent.get_given_by_display(),
        "toestemming_gegeven_op": consent.given_on.isoformat(),
        "opgesteld_op": timezone.localtime(registration.recorded_at).date().isoformat(),
    }
    filename = f"comensha-{registration.casus.reference}-{registration.pk}.{fmt}"
    return RegistrationFile({key: str(value) for key, value in fields.items()}, filename)


def field_labels() -> dict[str, str]:
    """The file's keys as the PDF names them."""
    return {
        "kenmerk_melder": _("Kenmerk van het meldpunt"),
        "vorm_van_uitbuiting": _("Vorm van uitbuiting"),
        "land_van_herkomst": _("Land van herkomst"),
        "leeftijd": _("Leeftijd"),
        "gender": _("Gender"),
        "signalerende_organisatie": _("Signalerende organisatie"),
        "behoefte": _("Behoefte"),
        "toestemming_gegeven_door": _("Schriftelijke toestemming gegeven door"),
        "toestemming_gegeven_op": _("Toestemming gegeven op"),
        "opgesteld_op": _("Opgesteld op"),
    }


@dataclass(frozen=True)
class Unregistered:
    """Open cases with a victim not (yet) registered with CoMensha: how many, and the
    first few by how long they are open. Case codes and steps only, no person."""

    count: int
    cases: list[Casus]


def unregistered_victim_cases(user: User, *, shown: int = 10) -> Unregistered:
    """Two queries, whatever the number of cases (the home page's count stays constant):
    the cases are the oversight signal `niet_bij_comensha` (the case keeps whether a
    victim of it waits, workflow/waiting.py), so the count comes with the home's one
    count of the open cases and is cached as those are."""
    cases = open_cases(user).filter(signal_condition("niet_bij_comensha", user))
    first = list(cases.select_related("current_step").order_by("opened_at", "pk")[:shown])
    (found,) = count_signals(user, ("niet_bij_comensha",))
    return Unregistered(found.count, first)
