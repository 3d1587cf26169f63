"""The national administrator's part in a region's own business: deciding on a role
grant where the region has no second regiobeheerder to confirm it, and suspending or
reactivating a region with word to its regiobeheerders.

The national administrator works in the public schema; the grant, the account and
the audit line of the region live in the region's schema. Each call checks the
administrator on the platform first, then acts in that one region's schema.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils.timezone import localtime
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from accounts.models import RoleGrant, User
from accounts.policy import Action, Role, may_decide_role_grant, require
from accounts.services import confirm_role_grant, withdraw_role_grant
from audit.models import AuditAction
from audit.services import record
from meldpunt.outbox import queue_templated_email
from national.models import OpenRoleGrant
from tenants.models import Region, Suspension
from tenants.services.onboarding import set_suspended


def list_open_grant(*, grant: RoleGrant, **_signal) -> None:
    """Lists a region's open role grant on the platform for the national
    administrators; no personal data (accounts.signals.role_grant_opened). The platform
    writes it, in the public schema: a region's database role may not."""
    region = connection.tenant
    with schema_context(get_public_schema_name()):
        OpenRoleGrant.objects.create(
            region=region,
            grant_id=grant.pk,
            role_code=grant.role.code,
            requested_at=grant.requested_at,
        )


def unlist_decided_grant(*, grant: RoleGrant, **_signal) -> None:
    """accounts.signals.role_grant_decided: the grant no longer waits."""
    region = connection.tenant
    with schema_context(get_public_schema_name()):
        OpenRoleGrant.objects.filter(region=region, grant_id=grant.pk).delete()


@dataclass(frozen=True)
class GrantInRegion:
    account: str
    account_email: str
    role: str
    requested_by: str
    requested_at: datetime
    may_confirm: bool


def grant_in_region(entry: OpenRoleGrant, *, admin: User) -> GrantInRegion:
    require(admin, Action.MANAGE_REGIONS)
    with tenant_context(entry.region):
        grant = RoleGrant.objects.select_related("account", "role", "requested_by").get(
            pk=entry.grant_id, status=RoleGrant.Status.OPEN
        )
        return GrantInRegion(
            account=str(grant.account),
            account_email=grant.account.email,
            role=grant.role.name,
            requested_by=str(grant.requested_by),
            requested_at=grant.requested_at,
            may_confirm=may_decide_role_grant(admin, grant, confirm=True, nationally=True),
        )


def decide_open_grant(entry: OpenRoleGrant, *, admin: User, confirm: bool) -> None:
    """Confirm or withdraw; the region's audit log and the platform's both keep a line."""
    require(admin, Action.MANAGE_REGIONS)
    region, grant_id, role_code = entry.region, entry.grant_id, entry.role_code
    with tenant_context(region):
        grant = RoleGrant.objects.select_related("account", "role").get(pk=grant_id)
        decide = confirm_role_grant if confirm else withdraw_role_grant
        decide(grant, by=admin, nationally=True)
    detail = {
        "roltoekenning": grant_id,
        "rol": role_code,
        "besluit": "bevestigd" if confirm else "ingetrokken",
    }
    record(AuditAction.CHANGE, user=admin, target=region, detail=detail)


def change_suspension(region: Region, *, suspend: bool, reason: str, admin: User) -> Suspension:
    """Suspend or reactivate `region` for a reason, and tell its regiobeheerders by mail,
    in one transaction: no suspension without the mail, no mail without the suspension.
    The suspension, its reason and the audit line are the platform's (public schema);
    the mail waits in the region's own outbox."""
    require(admin, Action.MANAGE_REGIONS)
    with transaction.atomic():
        suspension = set_suspended(region, suspend, actor=admin, reason=reason)
        with tenant_context(region):
            tell_regiobeheerders(region, suspension)
    return suspension


def tell_regiobeheerders(region: Region, suspension: Suspension) -> None:
    """The fact and the moment, into the region's own outbox; not the reason, which may
    name people, and no name of who decided: the regiobeheerders ask the platform."""
    template = "national/email/" + (
        "region_suspended" if suspension.suspended else "region_reactivated"
    )
    context = {
        "organisation": f"Meldpunt {region.name}",
        "moment": localtime(suspension.changed_at),
    }
    addresses = User.objects.active_with_roles(Role.REGIOBEHEERDER).values_list("email", flat=True)
    for address in addresses:
        queue_templated_email(address, template, context)
