"""Business actions on accounts: inviting, changing roles, deactivating."""

from collections.abc import Iterable

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.models import AuditAction
from audit.services import record
from tenants.models import Domain


def site_url(domain: str, path: str) -> str:
    """An absolute URL on one of the platform's domains, for links in e-mail."""
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{settings.PUBLIC_URL_SCHEME}://{domain}{port}{path}"


def configured_domain() -> str:
    """The primary domain of the current schema's region (or of the platform)."""
    return Domain.objects.get(tenant__schema_name=connection.schema_name, is_primary=True).domain


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
) -> User:
    """Create an account without a password in the current schema."""
    email = normalise_email(email)
    if User.objects.filter(email=email).exists():
        raise ValidationError(_("Er bestaat al een account met dit e-mailadres."))
    user = User.objects.create_user(
        email, full_name=full_name.strip(), is_national_admin=is_national_admin
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    set_roles(user, role_codes, changed_by=invited_by, audit_action=AuditAction.CREATE)
    return user


def set_roles(
    user: User,
    role_codes: Iterable[str],
    *,
    changed_by: User | None = None,
    audit_action: AuditAction = AuditAction.CHANGE,
) -> None:
    codes = sorted(set(role_codes))
    roles = list(Role.objects.filter(code__in=codes))
    if len(roles) != len(codes):
        raise ValidationError(_("Onbekende rol gekozen."))
    user.roles.set(roles)
    record(
        audit_action,
        user=changed_by,
        target=user,
        detail={"rollen": codes},
    )


def invitation_link(user: User, domain: str) -> str:
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return site_url(domain, path)


def send_invitation(user: User, *, domain: str, organisation: str) -> None:
    context = {
        "user": user,
        "organisation": organisation,
        "link": invitation_link(user, domain),
        "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
    }
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation_message.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@transaction.atomic
def deactivate_user(user: User, *, changed_by: User) -> None:
    if user.pk == changed_by.pk:
        raise ValidationError(_("U kunt uw eigen account niet uitschakelen."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    end_sessions_of(user)
    record(AuditAction.CHANGE, user=changed_by, target=user, detail={"actief": False})


def end_sessions_of(user: User) -> None:
    """Sign a user out everywhere in this schema."""
    user_id = str(user.pk)
    stale = [
        session.pk
        for session in Session.objects.all()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=stale).delete()
