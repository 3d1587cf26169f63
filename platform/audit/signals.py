"""Sign-ins, failed sign-ins, sign-outs and changes to a second factor go into the
audit log of the schema they happen in."""

from allauth.account.authentication import get_authentication_records
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import AuditAction
from audit.services import record

UNKNOWN_ACCOUNT = "onbekend account"


@receiver(user_logged_in, dispatch_uid="audit_login")
def audit_login(sender, request, user, **kwargs) -> None:
    record(
        AuditAction.LOGIN,
        request=request,
        user=user,
        target=user,
        detail=sign_in_detail(request, user),
    )


def sign_in_detail(request, user) -> dict[str, str]:
    """The identity provider of a sign-in through an organisation's account (allauth's
    record of this session's first factor); nothing for a password."""
    if request is None or not hasattr(request, "session"):
        return {}
    first_factors = [
        entry
        for entry in get_authentication_records(request, user)
        if entry.get("method") in {"password", "socialaccount"}
    ]
    if first_factors and first_factors[-1]["method"] == "socialaccount":
        return {"identiteitsprovider": first_factors[-1]["provider"]}
    return {}


@receiver(user_logged_out, dispatch_uid="audit_logout")
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(AuditAction.LOGOUT, request=request, user=user, target=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The attempted account is kept: it is what shows an attack on one account. What was
    # typed is kept only when it names an account; otherwise it may be anything (a
    # password typed in the wrong field, a name), and the log would keep it for years.
    typed = str(credentials.get("email") or credentials.get("username") or "")[:254]
    account = get_user_model().objects.filter(email__iexact=typed.strip()).first()
    record(
        AuditAction.LOGIN_FAILED,
        request=request,
        target=account,
        detail={"poging_voor": account.email if account else UNKNOWN_ACCOUNT},
    )


@receiver(mfa_signals.authenticator_added, dispatch_uid="audit_second_factor_added")
def audit_second_factor_added(sender, request, user, authenticator, **kwargs) -> None:
    record_second_factor_change(request, user, authenticator, "ingesteld")


@receiver(mfa_signals.authenticator_removed, dispatch_uid="audit_second_factor_removed")
def audit_second_factor_removed(sender, request, user, authenticator, **kwargs) -> None:
    record_second_factor_change(request, user, authenticator, "verwijderd")


@receiver(mfa_signals.authenticator_reset, dispatch_uid="audit_second_factor_reset")
def audit_second_factor_reset(sender, request, user, authenticator, **kwargs) -> None:
    # For recovery codes: a new set was made, the old codes no longer work.
    record_second_factor_change(request, user, authenticator, "vernieuwd")


def record_second_factor_change(request, user, authenticator, change: str) -> None:
    record(
        AuditAction.CHANGE,
        request=request,
        user=user,
        target=user,
        detail={"tweede_factor": authenticator.type, "wijziging": change},
    )


@receiver(mfa_signals.authentication_failed, dispatch_uid="audit_second_factor_failed")
def audit_second_factor_failed(
    sender, request, user, authenticator, reauthentication=False, **kwargs
) -> None:
    # Whoever typed the code knew the password (or is signed in, when reauthenticating).
    record(
        AuditAction.LOGIN_FAILED,
        request=request,
        target=user,
        detail={
            "poging_voor": user.email,
            "tweede_factor": authenticator.type,
            "herauthenticatie": reauthentication,
        },
    )
