"""Writing the audit log: one call, `record(...)`, from views, services and tasks.

A line made while a request is handled carries that request's address and user even
when the service that writes it was not handed the request: `AuditRequestMiddleware`
keeps the current request in a context variable for the duration of the request.
"""

import functools
import ipaddress
import re
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.http import HttpRequest, HttpResponse

from audit.models import AuditAction, AuditEntry

current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)


class AuditRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def trusted_proxies(networks: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(network) for network in networks)


def is_trusted_proxy(address: str) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in trusted_proxies(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of the client: the connecting address, unless that is one of
    the TRUSTED_PROXIES; then the nearest address in X-Forwarded-For that is not a
    trusted proxy. Addresses left of it are the client's own say and are ignored.
    The rate limits, allauth's included, and the audit log all ask here."""
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR")
    if not address or not is_trusted_proxy(address):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([hop.strip() for hop in forwarded if hop.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return address  # our proxy passed on something that is no address
        if not is_trusted_proxy(hop):
            return hop
        address = hop
    return address


FREE_TEXT = "(tekst; staat in het dossier)"
UNKNOWN_REFERENCE = "onbekende verwijzing"


def known_reference(typed: str, form: re.Pattern[str]) -> str:
    """What a line keeps of a reference the client typed (in a URL, a form, a filter):
    the reference when it has the `form` of one, else only that it named nothing known.
    Typed text may be a name or an address, and the append-only log keeps it for years."""
    return typed if form.fullmatch(typed) else UNKNOWN_REFERENCE


def text_change(old: str, new: str) -> tuple[str, str]:
    """How a changed free text shows in `changes`: that it changed, not what it says.
    The text itself stays in the record, under that record's encryption and retention;
    a copy in the append-only log would outlive an anonymised case."""
    return (FREE_TEXT if old else "", FREE_TEXT if new else "")


class Channel:
    """How a request came in, kept in a line's `detail["kanaal"]`: a person's access
    overview names the organisation and the account behind a read that left the
    meldpunt's own screens."""

    API = "api"
    PORTAL = "partnerportaal"


def channel_of(request: HttpRequest | None) -> str:
    """The channel, from the URL pattern our own urlconf matched (never from what the
    client typed): the API, the partner portal, or "" for the meldpunt's screens."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.route.startswith("api/"):
        return Channel.API
    if "portal" in match.namespaces:
        return Channel.PORTAL
    return ""


def no_partner(user) -> int | None:
    return None


# The partner organisation a user is the contact person of. The audit log sits under the
# accounts and imports nothing of them: accounts hands its lookup in when it starts.
partner_of: Callable[[Any], int | None] = no_partner


def use_partner_lookup(lookup: Callable[[Any], int | None]) -> None:
    global partner_of
    partner_of = lookup


def channel_detail(request: HttpRequest | None, user) -> dict[str, Any]:
    """The channel and, for a partner's contact person, the number of their organisation
    at the time of the line (a contact may later move to another partner)."""
    channel = channel_of(request)
    if not channel:
        return {}
    partner = partner_of(user) if user is not None and not user.is_national_admin else None
    return {"kanaal": channel} | ({"partner": partner} if partner is not None else {})


def role_of(user) -> str:
    if user is None:
        return ""
    if user.is_national_admin:
        return "landelijk beheerder"
    return ", ".join(sorted(user.role_codes()))


def record(action: AuditAction, **fields) -> AuditEntry:
    """Append one line; the fields are those of `line_values`. The line comes back as
    stored, with what the database filled in (its id, time and place in the chain)."""
    (entry,) = write([AuditEntry(**line_values(action, **fields))])
    return entry


def record_many(action: AuditAction, *, person_ids: list[str], **fields) -> None:
    """One line per person whose data were shown (NEN 7513 asks whose data, not only
    which file), written in one statement; one line without a person if there were none."""
    record_each(action, [{"person_id": person} for person in person_ids or [""]], **fields)


def record_each(action: AuditAction, lines: list[dict[str, Any]], **common) -> None:
    """Several lines in one statement: each holds its own fields and the common ones.
    One INSERT on its own is atomic: no transaction around it, and its SQL is made once
    per number of lines."""
    if lines:
        write([AuditEntry(**line_values(action, **(common | own))) for own in lines])


def write(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Store `entries` in one INSERT, without the ORM compiling one per call, and give
    them what the database filled in."""
    sql, fields = insert_statement(len(entries))
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                field.get_db_prep_save(getattr(entry, field.attname), connection)
                for entry in entries
                for field in fields
            ],
        )
        filled = cursor.fetchall()
    for entry, values in zip(entries, filled, strict=True):
        for field, value in zip(FILLED_FIELDS, values, strict=True):
            setattr(entry, field.attname, value)
        entry._state.adding = False
        entry._state.db = connection.alias
    return entries


# What the database gives a line itself (audit.models): its time, place and hash.
FILLED_BY_THE_DATABASE = frozenset({"id", "at", "chain_number", "chain_hash"})
FILLED_FIELDS = [
    field for field in AuditEntry._meta.concrete_fields if field.name in FILLED_BY_THE_DATABASE
]


@functools.lru_cache(maxsize=64)
def insert_statement(count: int) -> tuple[str, list[models.Field]]:
    """The INSERT of `count` lines, and the fields whose values it takes per line; it
    returns the FILLED_FIELDS of each line, in order. It names no schema: the region's
    search path chooses the table."""
    fields = [
        field
        for field in AuditEntry._meta.concrete_fields
        if field.name not in FILLED_BY_THE_DATABASE
    ]
    quote = connection.ops.quote_name
    table = quote(AuditEntry._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    rows = ", ".join([f"({', '.join(['%s'] * len(fields))})"] * count)
    # Names from the model, quoted; every value a parameter.
    returning = ", ".join(quote(field.column) for field in FILLED_FIELDS)
    sql = f"INSERT INTO {table} ({columns}) VALUES {rows} RETURNING {returning}"  # noqa: S608 # nosec B608
    return sql, fields


def line_values(
    action: AuditAction,
    *,
    request: HttpRequest | None = None,
    user=None,
    target: models.Model | None = None,
    case_id: str = "",
    person_id: str = "",
    grounds: str = "",
    on_behalf_of: str = "",
    detail: dict[str, Any] | None = None,
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> dict[str, Any]:
    """What one line holds. `request` defaults to the request being handled, `user` to
    its user; `changes` maps a field to its old and new value."""
    request = request or current_request.get()
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return dict(
        action=action,
        user_id=user.pk if user is not None else None,
        user_email=user.email if user is not None else "",
        role=role_of(user),
        on_behalf_of=on_behalf_of,
        ip_address=client_ip(request),
        object_type=target._meta.label if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        case_id=case_id,
        person_id=person_id,
        grounds=grounds,
        detail=(detail or {}) | channel_detail(request, user),
        changes={field: list(values) for field, values in changes.items()} if changes else None,
    )
