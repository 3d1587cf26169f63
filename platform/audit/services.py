"""Writing the audit log: one call, `record(...)`, from views, services and tasks."""

from typing import Any

from django.db import models
from django.http import HttpRequest

from audit.models import AuditAction, AuditEntry


def client_ip(request: HttpRequest | None) -> str | None:
    # REMOTE_ADDR only: the deployment's proxy sets it (X-Forwarded-For is forgeable).
    return request.META.get("REMOTE_ADDR") if request is not None else None


def role_of(user) -> str:
    if user is None:
        return ""
    if user.is_national_admin:
        return "landelijk beheerder"
    return ", ".join(sorted(user.role_codes()))


def record(
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
) -> AuditEntry:
    """Append one line. `user` defaults to the request's user."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return AuditEntry.objects.create(
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
        detail=detail or {},
    )
