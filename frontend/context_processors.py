"""What every page shows: the region's name and the menu the user may use."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.policy import Action, may


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def site_name_for(tenant) -> str:
    if tenant is None:
        return _("Meldpunt")
    if tenant.schema_name == "public":
        return _("Meldpuntplatform · landelijk beheer")
    return _("Meldpunt Loverboyproblematiek %(region)s") % {"region": tenant.name}


def region(request: HttpRequest) -> dict:
    tenant = getattr(request, "tenant", None)
    items = []
    user = getattr(request, "user", None)
    if tenant is not None and user is not None and user.is_authenticated:
        if tenant.schema_name == "public":
            candidates = [
                (Action.MANAGE_REGIONS, _("Regio's"), reverse("national:regions")),
                (Action.MANAGE_REGIONS, _("Roltoekenningen"), reverse("national:grants")),
                (
                    Action.VIEW_NATIONAL_BENCHMARK,
                    _("Benchmark"),
                    reverse("benchmark:national"),
                ),
                (Action.MANAGE_MAIL, _("Mislukte e-mail"), reverse("failed_mail:list")),
                (
                    Action.MANAGE_SIGN_IN,
                    _("Inloggen via organisatie"),
                    reverse("identity_providers:list"),
                ),
                (Action.USE_API, _("API-sleutels"), reverse("users:api_tokens")),
            ]
        else:
            candidates = [
                (Action.VIEW_DASHBOARD, _("Overzicht"), reverse("home:dashboard")),
                (Action.USE_PARTNER_PORTAL, _("Partnerportaal"), reverse("portal:inbox")),
                (Action.VIEW_CASES, _("Casussen"), reverse("cases:list")),
                (Action.VIEW_OWN_CASES, _("Mijn casussen"), reverse("cases:mine")),
                (Action.VIEW_MEETINGS, _("Overleggen"), reverse("meetings:list")),
                (Action.VIEW_STATISTICS, _("Statistiek"), reverse("statistiek:index")),
                (Action.VIEW_PREVENTION, _("Preventie en advies"), reverse("preventie:activities")),
                (Action.MANAGE_USERS, _("Gebruikers"), reverse("users:list")),
                (Action.CONFIGURE_REGION, _("Beheer"), reverse("beheer:index")),
                (Action.USE_PRIVACY_SCREENS, _("Privacy"), reverse("privacy:index")),
                (Action.USE_API, _("API-sleutels"), reverse("users:api_tokens")),
                (Action.VIEW_DASHBOARD, _("E-mailmeldingen"), reverse("home:notifications")),
                (
                    Action.SUBSCRIBE_TO_MEETINGS,
                    _("Agenda-abonnement"),
                    reverse("meetings:subscription"),
                ),
            ]
        items = [
            NavItem(
                label, url, request.path == url or (url != "/" and request.path.startswith(url))
            )
            for action, label, url in candidates
            if may(user, action)
        ]
    return {"region": tenant, "site_name": site_name_for(tenant), "nav_items": items}
