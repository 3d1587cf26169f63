"""The health of a region's configuration, for its regiobeheerder: covenants that are
about to end or have ended while still marked signed, steps of the active work process
whose conditions cannot be met, and accounts without two-factor authentication. Each
finding is a count with a link to the screen where it is put right.

`WorkItem` is also the shape of every line of a user's "voor mij" list
(workflow.services.notifications): what it is, how many, and where to go.
"""

from dataclasses import dataclass
from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import REGION_RULES
from configuratie.conditions import CONDITIONS
from configuratie.models import (
    CovenantStatus,
    DefinitionStatus,
    Partner,
    WorkflowDefinition,
)

# A covenant is "about to end" this many days before its last day.
COVENANT_WARNING_DAYS = 60


@dataclass(frozen=True)
class WorkItem:
    kind: str
    label: str
    count: int
    url: str


def covenant_findings() -> list[WorkItem]:
    today = timezone.localdate()
    signed = Partner.objects.filter(covenant_status=CovenantStatus.SIGNED)
    ending = signed.filter(
        covenant_ends_on__gte=today,
        covenant_ends_on__lte=today + timedelta(days=COVENANT_WARNING_DAYS),
    ).count()
    ended = signed.filter(covenant_ends_on__lt=today).count()
    url = reverse("beheer:register", args=["partners"])
    return [
        WorkItem(
            "convenant_loopt_af",
            _("Convenant loopt binnen %(days)d dagen af") % {"days": COVENANT_WARNING_DAYS},
            ending,
            url,
        ),
        WorkItem("convenant_verlopen", _("Convenant verlopen, partner ontvangt niets"), ended, url),
    ]


def unmeetable_steps(definition: WorkflowDefinition | None) -> list[str]:
    """Names of the steps whose conditions cannot be met: the responsible role may not
    do what a condition asks (the rules changed since the version was checked), or no
    active account holds the responsible role."""
    if definition is None:
        return []
    held = set(User.objects.filter(is_active=True).values_list("roles__code", flat=True))
    return [
        step.name
        for step in definition.steps.all()
        if step.responsible_role not in held
        or any(
            code in CONDITIONS
            and step.responsible_role not in REGION_RULES[CONDITIONS[code].action]
            for code in step.guards
        )
    ]


def step_findings() -> list[WorkItem]:
    definition = WorkflowDefinition.objects.filter(status=DefinitionStatus.ACTIVE).first()
    url = (
        reverse("beheer:workflow_version", args=[definition.version])
        if definition
        else reverse("beheer:workflow_versions")
    )
    return [
        WorkItem(
            "stap_onhaalbaar",
            _("Stap waarvan niemand de voorwaarden kan vervullen"),
            len(unmeetable_steps(definition)),
            url,
        )
    ]


def users_without_mfa() -> int:
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return User.objects.filter(is_active=True).exclude(Exists(totp)).count()


def configuration_health() -> list[WorkItem]:
    """Every finding, zero or not, so the regiobeheerder sees what was checked."""
    return [
        *covenant_findings(),
        *step_findings(),
        WorkItem(
            "zonder_tweestaps",
            _("Account zonder tweestapsverificatie"),
            users_without_mfa(),
            reverse("users:list"),
        ),
    ]
