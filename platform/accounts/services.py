"""Business actions on accounts: inviting, changing roles, deactivating, and the
personal API tokens with which a program acts as its owner."""

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import NoReturn

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_tenant_domain_model

from accounts.models import ApiToken, Role, RoleGrant, User
from accounts.policy import (
    ROLES_NEEDING_CONFIRMATION,
    Action,
    confirmers_of,
    may,
    may_change_roles_of,
    may_decide_role_grant,
    require,
)
from accounts.policy import Role as PolicyRole
from accounts.sessions import SessionStore
from accounts.signals import role_grant_decided, role_grant_opened
from audit.models import AuditAction
from audit.services import record
from meldpunt.encryption import keyed_digest
from meldpunt.outbox import queue_templated_email


def site_url(domain: str, path: str) -> str:
    """An absolute URL on one of the platform's domains, for links in e-mail."""
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{settings.PUBLIC_URL_SCHEME}://{domain}{port}{path}"


def configured_domain() -> str:
    """The primary domain of the current schema's region (or of the platform), found
    through django-tenants' setting: the platform imports no domain app."""
    domains = get_tenant_domain_model().objects
    return domains.get(tenant__schema_name=connection.schema_name, is_primary=True).domain


def link_in_email(path: str) -> str:
    """An absolute URL for an e-mail, on the address configured for this schema and
    never on the request's Host header, which the sender of the request chooses."""
    return site_url(configured_domain(), path)


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError(_("Vul een geldig e-mailadres in.")) from error
    return email


@transaction.atomic
def invite_user(
    email: str,
    *,
    full_name: str = "",
    role_codes: Iterable[str] = (),
    is_national_admin: bool = False,
    invited_by: User | None = None,
    invitation_from: str = "",
) -> User:
    """Create an account without a password in the current schema. Invited by an
    administrator, its roles go through `change_roles` (some wait for a second
    administrator); without one (onboarding, the demo, tests) they are set as given.
    With `invitation_from` (the organisation that invites) the invitation is queued in
    the outbox in the same transaction: no account without its invitation, and a mail
    server that is down delays the mail, never the account."""
    if invited_by is not None:
        require(invited_by, Action.MANAGE_USERS)
    email = normalise_email(email)
    if User.objects.filter(email=email).exists():
        raise ValidationError(_("Er bestaat al een account met dit e-mailadres."))
    user = User.objects.create_user(
        email, full_name=full_name.strip(), is_national_admin=is_national_admin
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if invited_by is None:
        set_roles(user, role_codes, audit_action=AuditAction.CREATE)
    else:
        change_roles(user, role_codes, changed_by=invited_by, audit_action=AuditAction.CREATE)
    if invitation_from:
        queue_invitation(user, organisation=invitation_from)
    return user


def roles_by_code(role_codes: Iterable[str]) -> dict[str, Role]:
    codes = set(role_codes)
    roles = {role.code: role for role in Role.objects.filter(code__in=codes)}
    if len(roles) != len(codes):
        raise ValidationError(_("Onbekende rol gekozen."))
    return roles


def set_roles(
    user: User,
    role_codes: Iterable[str],
    *,
    changed_by: User | None = None,
    audit_action: AuditAction = AuditAction.CHANGE,
) -> None:
    """Set roles as given, without a second pair of eyes: for the system's own callers."""
    roles = roles_by_code(role_codes)
    user.roles.set(roles.values())
    record(audit_action, user=changed_by, target=user, detail={"rollen": sorted(roles)})


def refuse(actor: User, account: User, reason: str, **detail: object) -> NoReturn:
    """A refused attempt is an audit line of its own, kept whatever happens next."""
    record(AuditAction.CHANGE, user=actor, target=account, detail={"geweigerd": reason, **detail})
    raise PermissionDenied(reason)


def change_roles(
    account: User,
    role_codes: Iterable[str],
    *,
    changed_by: User,
    audit_action: AuditAction = AuditAction.CHANGE,
) -> list[str]:
    """Change another account's roles. Taking a role away, and granting one that reads
    no cases, takes effect at once; a role of ROLES_NEEDING_CONFIRMATION waits as an
    open grant for a second administrator. Nobody changes their own roles. Returns the
    codes of the roles that wait."""
    codes = sorted(set(role_codes))
    if not may_change_roles_of(changed_by, account):
        reason = "eigen rollen" if account.pk == changed_by.pk else "geen regiobeheerder"
        refuse(changed_by, account, reason, rollen=codes)
    wanted = roles_by_code(codes)
    with transaction.atomic():
        current = set(account.role_codes())
        keep = {
            code for code in wanted if code in current or code not in ROLES_NEEDING_CONFIRMATION
        }
        account.roles.set(wanted[code] for code in keep)
        vars(account).pop("_role_codes", None)  # read again when next asked
        awaiting = sorted(set(wanted) - keep)
        for code in awaiting:
            request_role_grant(account, wanted[code], requested_by=changed_by)
        detail = {"rollen": sorted(keep), "ter_bevestiging": awaiting}
        record(audit_action, user=changed_by, target=account, detail=detail)
        if keep - current:
            announce_to_administrators("role_granted", except_for=[changed_by])
    return awaiting


def request_role_grant(account: User, role: Role, *, requested_by: User) -> RoleGrant:
    grant, created = RoleGrant.objects.get_or_create(
        account=account,
        role=role,
        status=RoleGrant.Status.OPEN,
        defaults={"requested_by": requested_by},
    )
    if created:
        role_grant_opened.send(sender=RoleGrant, grant=grant)
        confirmers = confirmers_of(grant).values_list("email", flat=True)
        announce_to("role_grant_requested", confirmers)
    return grant


def confirm_role_grant(grant: RoleGrant, *, by: User, nationally: bool = False) -> None:
    """The second pair of eyes: the role takes effect. `nationally` only from
    national.services (see accounts.policy.may_decide_role_grant)."""
    decide_role_grant(grant, by=by, confirm=True, nationally=nationally)


def withdraw_role_grant(grant: RoleGrant, *, by: User, nationally: bool = False) -> None:
    decide_role_grant(grant, by=by, confirm=False, nationally=nationally)


def decide_role_grant(grant: RoleGrant, *, by: User, confirm: bool, nationally: bool) -> None:
    decision = "bevestigd" if confirm else "ingetrokken"
    if not may_decide_role_grant(by, grant, confirm=confirm, nationally=nationally):
        refuse(by, grant.account, f"roltoekenning {decision}", roltoekenning=grant.pk)
    with transaction.atomic():
        grant = (
            RoleGrant.objects.select_for_update().select_related("role", "account").get(pk=grant.pk)
        )
        if grant.status != RoleGrant.Status.OPEN:
            raise ValidationError(_("Over deze roltoekenning is al besloten."))
        grant.status = RoleGrant.Status.CONFIRMED if confirm else RoleGrant.Status.WITHDRAWN
        grant.decided_at = timezone.now()
        if nationally:
            grant.decided_by_national_admin = by.email
        else:
            grant.decided_by = by
        grant.save()
        role_grant_decided.send(sender=RoleGrant, grant=grant)
        if confirm:
            grant.account.roles.add(grant.role)
        detail = {"roltoekenning": grant.pk, "rol": grant.role.code, "besluit": decision}
        record(AuditAction.CHANGE, user=by, target=grant.account, detail=detail)
        if confirm:
            announce_to_administrators("role_granted", except_for=[] if nationally else [by])


def announce_to_administrators(template: str, *, except_for: Iterable[User]) -> None:
    administrators = (
        User.objects.filter(is_active=True, roles__code=PolicyRole.REGIOBEHEERDER)
        .exclude(pk__in=[user.pk for user in except_for])
        .values_list("email", flat=True)
    )
    announce_to(template, administrators)


def announce_to(template: str, addresses: Iterable[str]) -> None:
    """A mail with the fact and a link, nothing more: whose roles changed and which role
    are read on the screen, after signing in with two factors."""
    context = {
        "organisation": connection.tenant.name,
        "link": link_in_email(reverse("users:grants", urlconf=settings.ROOT_URLCONF)),
    }
    for address in sorted(set(addresses)):
        queue_templated_email(address, f"accounts/email/{template}", context)


def invitation_link(user: User) -> str:
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return link_in_email(path)


def queue_invitation(user: User, *, organisation: str) -> None:
    context = {
        "user": user,
        "organisation": organisation,
        "link": invitation_link(user),
        "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
    }
    queue_templated_email(user.email, "accounts/email/invitation", context)


@transaction.atomic
def deactivate_user(user: User, *, changed_by: User) -> None:
    require(changed_by, Action.MANAGE_USERS)
    if user.pk == changed_by.pk:
        raise ValidationError(_("U kunt uw eigen account niet uitschakelen."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    end_sessions_of(user)
    record(AuditAction.CHANGE, user=changed_by, target=user, detail={"actief": False})


def end_sessions_of(user: User) -> None:
    """Sign a user out everywhere in this schema."""
    user_id = str(user.pk)
    store = SessionStore()
    stale = [
        session.pk
        for session in Session.objects.all()
        if store.decode(session.session_data).get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=stale).delete()


# Personal API tokens. A key is API_KEY_PREFIX and 32 random bytes (256 bits), so it
# cannot be guessed and a slow password hash would add nothing but a cost per request.
API_KEY_PREFIX = "mlp_"
API_KEY_SHOWN_CHARACTERS = 12  # the prefix and 8 random characters: recognisable, not usable
API_TOKEN_DEFAULT_LIFETIME = timedelta(days=90)
API_TOKEN_MAX_LIFETIME = timedelta(days=365)
# "Last used" tells the owner whether a key is still in use; it is no log (the endpoints
# write the audit lines), so it is written at most once a minute, not on every request.
API_TOKEN_LAST_USED_PRECISION = timedelta(minutes=1)
API_TOKEN_NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length


def api_key_digest(key: str) -> str:
    """What is stored of a key: HMAC-SHA256 under the region's own index key. A
    deterministic digest lets a request find its token through a unique index; the
    key makes a stolen table useless for checking guesses, and the schema in the key
    means a digest made in one region matches nothing in another, nor on the platform
    (the public schema, where national administrators keep theirs), and back."""
    return keyed_digest(key, purpose=b"api-token:")


@transaction.atomic
def create_api_token(user: User, *, name: str, expires_at: datetime) -> tuple[ApiToken, str]:
    """A new token of `user`'s own; returns it with its key, which is shown once and
    stored nowhere. Refused input raises a ValidationError keyed by "name" or "expires_at"."""
    require(user, Action.USE_API)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Geef de API-sleutel een naam.")})
    if len(name) > API_TOKEN_NAME_MAX_LENGTH:
        too_long = _("De naam is te lang: hoogstens %(count)d tekens.")
        raise ValidationError({"name": too_long % {"count": API_TOKEN_NAME_MAX_LENGTH}})
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError({"expires_at": _("Kies een dag na vandaag.")})
    if expires_at > now + API_TOKEN_MAX_LIFETIME:
        raise ValidationError({"expires_at": _("Een API-sleutel is hoogstens een jaar geldig.")})
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:API_KEY_SHOWN_CHARACTERS],
        key_digest=api_key_digest(key),
        expires_at=expires_at,
    )
    detail = {"api_sleutel": token.prefix, "verloopt": expires_at.isoformat()}
    record(AuditAction.CREATE, user=user, target=token, detail=detail)
    return token, key


def revoke_api_token(user: User, token: ApiToken) -> None:
    """Revoke one of `user`'s own tokens: from now on it lets nobody in."""
    require(user, Action.USE_API)
    if token.user_id != user.pk:
        refuse(user, token.user, "api-sleutel van een ander", api_sleutel=token.pk)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise ValidationError(_("Deze API-sleutel is al ingetrokken."))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        detail = {"api_sleutel": token.prefix, "ingetrokken": True}
        record(AuditAction.CHANGE, user=user, target=token, detail=detail)


def authenticate_api_key(key: str) -> ApiToken | None:
    """The token (with its owner) that `key` lets in, in the current region or on the
    platform; None for every key that does not: unknown here (another region's, or the
    platform's in a region and a region's on the platform, too), revoked, expired,
    of a deactivated account or one no longer allowed the API, or in a suspended
    region. The caller cannot tell these apart, and is not meant to."""
    if not key.startswith(API_KEY_PREFIX) or len(key) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(key_digest=api_key_digest(key)).first()
    now = timezone.now()
    if (
        token is None
        or not token.is_usable(now)
        or getattr(connection.tenant, "is_suspended", False)
        or not may(token.user, Action.USE_API)
    ):
        return None
    if token.last_used_at is None or now - token.last_used_at >= API_TOKEN_LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
