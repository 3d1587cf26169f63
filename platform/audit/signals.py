"""Sign-ins, failed sign-ins and sign-outs go into the audit log of the schema they happen in."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import AuditAction
from audit.services import record


@receiver(user_logged_in, dispatch_uid="audit_login")
def audit_login(sender, request, user, **kwargs) -> None:
    record(AuditAction.LOGIN, request=request, user=user, target=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(AuditAction.LOGOUT, request=request, user=user, target=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The attempted address is kept: it is what shows an attack on one account.
    attempted = str(credentials.get("email") or credentials.get("username") or "")[:254]
    record(AuditAction.LOGIN_FAILED, request=request, detail={"poging_voor": attempted})
