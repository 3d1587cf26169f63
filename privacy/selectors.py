"""Reads for the privacy officer: the audit log (a page, or a period as CSV), the check
of its chain, finding a person by case or by name, and a person's access overview.
Every read of the log, and every search, is itself an audit line."""

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role as RoleRecord
from accounts.models import User
from accounts.policy import Action, Role, require
from audit.chain import ChainReport, verify_chain
from audit.models import AuditAction, AuditEntry
from audit.services import Channel, record, record_many
from configuratie.models import Partner, PartnerContact
from meldpunt.encryption import blind_index
from meldpunt.spreadsheets import safe_row
from privacy.filters import AuditFilterSet, start_of
from privacy.sealing import keys_for, unseal
from workflow.filters import name_words, person_named
from workflow.models import CaseDocument, Casus, InvolvedPerson, PersonRole, Report

AUDIT_PAGE_SIZE = 50
SUPERVISION = "toezicht op toegang (NEN 7513)"
ACCESS_REQUEST = "inzageverzoek (AVG artikel 15)"
PERSON_SEARCH = "inzageverzoek: de betrokkene zoeken"


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any
    readable: bool


@dataclass
class AuditListing:
    filters: AuditFilterSet
    page: Page
    changes: dict[int, list[Change]]
    role_names: dict[str, str]
    object_names: dict[int, str]  # line -> what its object is, in words
    person_names: dict[str, str]  # person id -> the person's role in the case


def readable_changes(lines: list[AuditEntry]) -> dict[int, list[Change]]:
    """Old and new values of each line, sealed ones opened with the person's key while
    it exists; the keys of the whole page come in one query."""
    keys = keys_for({line.person_id for line in lines if line.changes and line.person_id})
    found: dict[int, list[Change]] = {}
    for line in lines:
        if not line.changes:
            continue
        key = keys.get(line.person_id)
        rows = []
        for field, (old, new) in sorted(line.changes.items()):
            old_value, old_ok = unseal(old, key)
            new_value, new_ok = unseal(new, key)
            rows.append(Change(field, old_value, new_value, old_ok and new_ok))
        found[line.pk] = rows
    return found


PERSON = InvolvedPerson._meta.label


def persons_on(lines: list[AuditEntry]) -> dict[str, str]:
    """The persons the page's lines concern or act on, in one query."""
    ids = {line.person_id for line in lines if line.person_id}
    ids |= {line.object_id for line in lines if line.object_type == PERSON and line.object_id}
    if not ids:
        return {}
    return persons_by_role(InvolvedPerson.objects.filter(pk__in=valid_pks(InvolvedPerson, ids)))


def object_names(lines: list[AuditEntry], persons: dict[str, str]) -> dict[int, str]:
    """What each line's object is, in the words a privacy officer knows (an account by
    its e-mail address, a case by its code, a person by their role in the case, a
    document by its title): one query per kind of object on the page. An object that
    no longer exists keeps its kind and number."""
    ids: dict[str, set[str]] = {}
    for line in lines:
        if line.object_type and line.object_id:
            ids.setdefault(line.object_type, set()).add(line.object_id)
    names = {
        kind: persons if kind == PERSON else names_of(kind, kind_ids)
        for kind, kind_ids in ids.items()
    }
    return {
        line.pk: names[line.object_type].get(line.object_id)
        or f"{kind_name(line.object_type)} {line.object_id}"
        for line in lines
        if line.object_type and line.object_id
    }


def names_of(kind: str, ids: set[str]) -> dict[str, str]:
    try:
        model = apps.get_model(kind)
    except (LookupError, ValueError):
        return {}
    pks = valid_pks(model, ids)
    rows = model.objects.filter(pk__in=pks)
    if model is User:
        return {str(pk): email for pk, email in rows.values_list("pk", "email")}
    if model is Casus:
        return {
            str(pk): _("casus %(code)s") % {"code": code}
            for pk, code in rows.values_list("pk", "reference")
        }
    if model is CaseDocument:
        return {
            str(pk): _('document "%(title)s" in casus %(code)s') % {"title": title, "code": code}
            for pk, title, code in rows.values_list("pk", "title", "casus__reference")
        }
    if model is Report:
        return {
            str(pk): _("melding %(code)s") % {"code": code}
            for pk, code in rows.values_list("pk", "follow_code")
        }
    if any(field.name == "casus" for field in model._meta.get_fields()):
        return {
            str(pk): _("%(kind)s in casus %(code)s") % {"kind": kind_name(kind), "code": code}
            for pk, code in rows.values_list("pk", "casus__reference")
        }
    return {}


def persons_by_role(persons: QuerySet[InvolvedPerson]) -> dict[str, str]:
    """A person as their role in their case; names stay encrypted and unread."""
    roles = dict(PersonRole.choices)
    return {
        str(pk): _("betrokkene %(role)s in casus %(code)s")
        % {"role": roles.get(role, role), "code": code}
        for pk, role, code in persons.values_list("pk", "role", "casus__reference")
    }


def valid_pks(model: type[Model], ids: set[str]) -> list[Any]:
    pks = []
    for value in ids:
        try:
            pks.append(model._meta.pk.to_python(value))
        except ValidationError:
            continue
    return pks


def kind_name(kind: str) -> str:
    try:
        return str(apps.get_model(kind)._meta.verbose_name)
    except (LookupError, ValueError):
        return kind


def role_names() -> dict[str, str]:
    return {role.code: role.name for role in RoleRecord.objects.all()}


def read_audit_log(
    user: User, params: Mapping[str, str], page_number: str | int = 1
) -> AuditListing:
    """A page of the log; the read is a line of its own, with the filters used."""
    require(user, Action.READ_AUDIT_LOG)
    filters = AuditFilterSet(params, queryset=AuditEntry.objects.order_by("-at", "-id"))
    lines = filters.qs if filters.is_valid() else AuditEntry.objects.none()
    page = Paginator(lines, AUDIT_PAGE_SIZE).get_page(page_number)
    shown = list(page.object_list)
    persons = persons_on(shown)
    listing = AuditListing(
        filters, page, readable_changes(shown), role_names(), object_names(shown, persons), persons
    )
    record(
        AuditAction.VIEW,
        user=user,
        target=None,
        grounds=SUPERVISION,
        detail={"lijst": "auditlog", "pagina": page.number, "filters": filters.chosen()},
    )
    return listing


def check_audit_chain(user: User) -> ChainReport:
    """Whether every line of the region's log is still as it was written; the check is a
    line of its own, written after it."""
    require(user, Action.READ_AUDIT_LOG)
    report = verify_chain()
    record(
        AuditAction.VIEW,
        user=user,
        grounds=SUPERVISION,
        detail={"controle": "auditketen", "regels": report.lines, "gebroken": report.broken},
    )
    return report


EXPORT_COLUMNS = (
    "id",
    "at",
    "user_id",
    "user_email",
    "role",
    "on_behalf_of",
    "ip_address",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "person_id",
    "grounds",
    "detail",
)


def export_audit_log(user: User, start: date, end: date) -> tuple[str, int]:
    """The lines of [start, end] (whole days, Amsterdam time) as CSV for an external
    audit. Old and new values are left out: they are personal data and stay here."""
    require(user, Action.EXPORT_AUDIT_LOG)
    lines = AuditEntry.objects.filter(
        at__gte=start_of(start), at__lt=start_of(end + timezone.timedelta(days=1))
    ).order_by("at", "id")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for line in lines.values_list(*EXPORT_COLUMNS).iterator(chunk_size=2000):
        values = list(line)
        values[1] = timezone.localtime(values[1]).isoformat()
        values[-1] = json.dumps(values[-1], ensure_ascii=False, sort_keys=True)
        writer.writerow(safe_row(values))
        count += 1
    record(
        AuditAction.EXPORT,
        user=user,
        grounds=SUPERVISION,
        detail={
            "export": "auditlog",
            "van": start.isoformat(),
            "tot": end.isoformat(),
            "regels": count,
        },
    )
    return out.getvalue(), count


# What a line means, said to the person it concerns.
PLAIN_ACTIONS = {
    AuditAction.VIEW: gettext_lazy("heeft uw gegevens ingezien"),
    AuditAction.SEARCH: gettext_lazy("heeft gezocht en uw gegevens gevonden"),
    AuditAction.CREATE: gettext_lazy("heeft uw gegevens vastgelegd"),
    AuditAction.CHANGE: gettext_lazy("heeft uw gegevens gewijzigd"),
    AuditAction.EXPORT: gettext_lazy("heeft uw gegevens in een document gezet"),
    AuditAction.DESTROY: gettext_lazy("heeft uw gegevens gewist"),
}
PLAIN_GROUNDS = {
    "casusbehandeling": gettext_lazy(
        "voor de behandeling van de melding: de zorg om u beoordelen en hulp regelen"
    ),
    SUPERVISION: gettext_lazy(
        "om te controleren of uw gegevens alleen door bevoegden zijn bekeken"
    ),
    ACCESS_REQUEST: gettext_lazy("om dit overzicht voor u te maken"),
    PERSON_SEARCH: gettext_lazy("om bij een verzoek om inzage de juiste persoon te vinden"),
}
CHANNEL_WORDS = {
    Channel.PORTAL: gettext_lazy("via het partnerportaal"),
    Channel.API: gettext_lazy("via de API"),
}


def plain_grounds(line: AuditEntry) -> str:
    if line.grounds in PLAIN_GROUNDS:
        return PLAIN_GROUNDS[line.grounds]
    if line.action == AuditAction.CREATE and not line.grounds:
        return _("omdat er een melding bij het meldpunt is gedaan")
    return line.grounds or _("niet vastgelegd")


@dataclass(frozen=True)
class AccessRow:
    at: datetime
    action: str
    who: str
    what: str
    grounds: str


def role_codes(line: AuditEntry) -> list[str]:
    return [code.strip() for code in line.role.split(",") if code.strip()]


def who_in_plain_words(
    line: AuditEntry, names: dict[str, str], organisation: str, partner: str | None = None
) -> str:
    """Staff of the meldpunt by role and organisation, never by name (AVG art. 15 asks
    for recipients). Data that left the meldpunt's screens, to a partner's contact
    person or through the API, also by the receiving organisation (`partner`), the
    account that read them, and the channel."""
    if line.on_behalf_of.startswith("melder"):
        return _("de melder, via het meldformulier") if not line.user_id else _("de melder")
    codes = role_codes(line)
    if not codes and not line.user_id:
        return _("het systeem van %(organisation)s") % {"organisation": organisation}
    if partner:
        who = _("een contactpersoon van %(partner)s, convenantpartner van %(organisation)s") % {
            "partner": partner,
            "organisation": organisation,
        }
    elif codes == [Role.PARTNERCONTACT]:
        who = _("een contactpersoon van een convenantpartner van %(organisation)s") % {
            "organisation": organisation
        }
    else:
        roles = " / ".join(names.get(code, code).lower() for code in codes) or _("medewerker")
        who = _("een %(roles)s van %(organisation)s") % {
            "roles": roles,
            "organisation": organisation,
        }
    channel = CHANNEL_WORDS.get(line.detail.get("kanaal"))
    if (channel or partner) and line.user_email:
        who = _("%(who)s (account %(account)s)") % {"who": who, "account": line.user_email}
    if channel:
        who = _("%(who)s, %(channel)s") % {"who": who, "channel": channel}
    return who


def receiving_partners(lines: list[AuditEntry]) -> dict[int, str]:
    """The partner organisation behind each line of a partner's contact person, by line:
    the one the line names, else (for a contact's line from before lines named their
    channel and organisation) the one the account is linked to in the partner register
    now. Two queries for all lines."""
    accounts = {
        line.user_id
        for line in lines
        if line.user_id and "kanaal" not in line.detail and Role.PARTNERCONTACT in role_codes(line)
    }
    linked = dict(
        PartnerContact.objects.filter(account_id__in=accounts).values_list(
            "account_id", "partner_id"
        )
    )
    partner_ids = {
        line.pk: line.detail.get("partner") if "kanaal" in line.detail else linked.get(line.user_id)
        for line in lines
    }
    names = dict(
        Partner.objects.filter(pk__in={pk for pk in partner_ids.values() if pk}).values_list(
            "pk", "name"
        )
    )
    return {line: names[pk] for line, pk in partner_ids.items() if pk in names}


def access_overview(user: User, person: InvolvedPerson, *, form: str = "scherm") -> list[AccessRow]:
    """Who viewed or changed `person`'s data, when, in what role and on what ground, in
    plain Dutch, oldest first. Giving it is an audit line about the person too."""
    require(user, Action.GIVE_ACCESS_OVERVIEW)
    lines = AuditEntry.objects.filter(
        Q(person_id=str(person.pk))
        | Q(
            action=AuditAction.CREATE,
            object_type="workflow.Report",
            object_id=str(person.report_id),
        )
    ).order_by("at", "id")
    lines = list(lines)
    names = role_names()
    partners = receiving_partners(lines)
    organisation = _("Meldpunt %(region)s") % {"region": connection.tenant.name}
    rows = [
        AccessRow(
            at=line.at,
            action=line.action,
            who=who_in_plain_words(line, names, organisation, partners.get(line.pk)),
            what=str(PLAIN_ACTIONS.get(line.action, line.get_action_display())),
            grounds=str(plain_grounds(line)),
        )
        for line in lines
    ]
    record(
        AuditAction.EXPORT if form == "pdf" else AuditAction.VIEW,
        user=user,
        target=person,
        case_id=person.casus.reference,
        person_id=str(person.pk),
        grounds=ACCESS_REQUEST,
        detail={"overzicht": "inzage", "vorm": form, "regels": len(rows)},
    )
    return rows


def persons_of_case(reference: str) -> list[InvolvedPerson]:
    """The people of a case by number and role only: enough to choose, nothing more."""
    return list(
        InvolvedPerson.objects.filter(casus__reference=reference.strip().upper())
        .select_related("casus")
        .only("pk", "role", "casus__reference", "report")
        .order_by("pk")
    )


PERSONS_FOUND_AT_MOST = 50


@dataclass(frozen=True)
class PersonFound:
    person: InvolvedPerson
    full_name: bool  # the whole name matched, not only a first name or a surname


def persons_named(
    user: User, name: str, birth_year: int | None = None
) -> tuple[list[PersonFound], bool]:
    """The people whose name (and birth year, if given) is `name`, through the blind
    indexes, by case, number, role and birth year only; and whether there were more
    than are shown. The search is an audit line per person found, without the name."""
    require(user, Action.GIVE_ACCESS_OVERVIEW)
    words = name_words(name)
    persons = (
        InvolvedPerson.objects.filter(person_named(words))
        if words
        else InvolvedPerson.objects.none()
    )
    if birth_year:
        persons = persons.filter(birth_year=birth_year)
    found = list(
        persons.select_related("casus")
        .only("pk", "role", "birth_year", "name_index", "casus__reference", "casus__opened_at")
        .order_by("-casus__opened_at", "pk")[: PERSONS_FOUND_AT_MOST + 1]
    )
    more = len(found) > PERSONS_FOUND_AT_MOST
    found = found[:PERSONS_FOUND_AT_MOST]
    full_name = blind_index(" ".join(words))
    record_many(
        AuditAction.SEARCH,
        person_ids=[str(person.pk) for person in found],
        user=user,
        grounds=PERSON_SEARCH,
        detail={
            "zoekopdracht": "betrokkene op naam",
            "met_geboortejaar": bool(birth_year),
            "gevonden": len(found),
        },
    )
    return [PersonFound(person, person.name_index == full_name) for person in found], more
