"""What every page shows: the region's name and the menu the user may use."""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
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


@functools.cache
def cached_address(urlconf: str, prefix: str, name: str) -> str:
    return reverse(name, urlconf=urlconf)


def address(urlconf: str, name: str) -> str:
    """A menu item's address, reversed once per process, URL configuration (the
    platform's and the regions' differ) and script prefix: every page reversed the
    menu's 13 anew."""
    return cached_address(urlconf, get_script_prefix(), name)


def region(request: HttpRequest) -> dict:
    tenant = getattr(request, "tenant", None)
    items = []
    user = getattr(request, "user", None)
    if tenant is not None and user is not None and user.is_authenticated:
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        if tenant.schema_name == "public":
            candidates = [
                (Action.MANAGE_REGIONS, _("Regio's"), address(urlconf, "national:regions")),
                (Action.MANAGE_REGIONS, _("Roltoekenningen"), address(urlconf, "national:grants")),
                (
                    Action.VIEW_NATIONAL_BENCHMARK,
                    _("Benchmark"),
                    address(urlconf, "benchmark:national"),
                ),
                (Action.MANAGE_MAIL, _("Mislukte e-mail"), address(urlconf, "failed_mail:list")),
                (
                    Action.MANAGE_SIGN_IN,
                    _("Inloggen via organisatie"),
                    address(urlconf, "identity_providers:list"),
                ),
                (Action.USE_API, _("API-sleutels"), address(urlconf, "users:api_tokens")),
            ]
        else:
            candidates = [
                (Action.VIEW_DASHBOARD, _("Overzicht"), address(urlconf, "home:dashboard")),
                (Action.USE_PARTNER_PORTAL, _("Partnerportaal"), address(urlconf, "portal:inbox")),
                (Action.VIEW_CASES, _("Casussen"), address(urlconf, "cases:list")),
                (Action.VIEW_OWN_CASES, _("Mijn casussen"), address(urlconf, "cases:mine")),
                (Action.VIEW_MEETINGS, _("Overleggen"), address(urlconf, "meetings:list")),
                (Action.VIEW_STATISTICS, _("Statistiek"), address(urlconf, "statistiek:index")),
                (
                    Action.VIEW_PREVENTION,
                    _("Preventie en advies"),
                    address(urlconf, "preventie:activities"),
                ),
                (Action.MANAGE_USERS, _("Gebruikers"), address(urlconf, "users:list")),
                (Action.CONFIGURE_REGION, _("Beheer"), address(urlconf, "beheer:index")),
                (Action.USE_PRIVACY_SCREENS, _("Privacy"), address(urlconf, "privacy:index")),
                (Action.USE_API, _("API-sleutels"), address(urlconf, "users:api_tokens")),
                (
                    Action.VIEW_DASHBOARD,
                    _("E-mailmeldingen"),
                    address(urlconf, "home:notifications"),
                ),
                (
                    Action.SUBSCRIBE_TO_MEETINGS,
                    _("Agenda-abonnement"),
                    address(urlconf, "meetings:subscription"),
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
