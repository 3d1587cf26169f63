"""What every page shows: the region's name and the menu the user may use."""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.policy import Action, allowed_actions
from frontend.addresses import address


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
def menu(
    urlconf: str, prefix: str, language: str, national: bool
) -> tuple[tuple[Action, str, str], ...]:
    """The menu's items (the action that shows each, its label, its address), made once
    per process, URL configuration (the platform's and the regions' differ), script
    prefix and language: every page translated and reversed its 13 anew. Called with
    `language` active."""
    if national:
        items = [
            (Action.MANAGE_REGIONS, _("Regio's"), "national:regions"),
            (Action.MANAGE_REGIONS, _("Roltoekenningen"), "national:grants"),
            (Action.VIEW_NATIONAL_BENCHMARK, _("Benchmark"), "benchmark:national"),
            (Action.MANAGE_MAIL, _("Mislukte e-mail"), "failed_mail:list"),
            (Action.MANAGE_SIGN_IN, _("Inloggen via organisatie"), "identity_providers:list"),
            (Action.USE_API, _("API-sleutels"), "users:api_tokens"),
        ]
    else:
        items = [
            (Action.VIEW_DASHBOARD, _("Overzicht"), "home:dashboard"),
            (Action.USE_PARTNER_PORTAL, _("Partnerportaal"), "portal:inbox"),
            (Action.VIEW_CASES, _("Casussen"), "cases:list"),
            (Action.VIEW_OWN_CASES, _("Mijn casussen"), "cases:mine"),
            (Action.VIEW_MEETINGS, _("Overleggen"), "meetings:list"),
            (Action.VIEW_STATISTICS, _("Statistiek"), "statistiek:index"),
            (Action.VIEW_PREVENTION, _("Preventie en advies"), "preventie:activities"),
            (Action.MANAGE_USERS, _("Gebruikers"), "users:list"),
            (Action.CONFIGURE_REGION, _("Beheer"), "beheer:index"),
            (Action.USE_PRIVACY_SCREENS, _("Privacy"), "privacy:index"),
            (Action.USE_API, _("API-sleutels"), "users:api_tokens"),
            (Action.VIEW_DASHBOARD, _("E-mailmeldingen"), "home:notifications"),
            (Action.SUBSCRIBE_TO_MEETINGS, _("Agenda-abonnement"), "meetings:subscription"),
        ]
    return tuple((action, str(label), address(name)) for action, label, name in items)


def region(request: HttpRequest) -> dict:
    tenant = getattr(request, "tenant", None)
    items = []
    user = getattr(request, "user", None)
    if tenant is not None and user is not None and user.is_authenticated:
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        candidates = menu(
            urlconf, get_script_prefix(), get_language(), tenant.schema_name == "public"
        )
        allowed = allowed_actions(user, [action for action, _label, _url in candidates])
        items = [
            NavItem(
                label, url, request.path == url or (url != "/" and request.path.startswith(url))
            )
            for action, label, url in candidates
            if action in allowed
        ]
    return {"region": tenant, "site_name": site_name_for(tenant), "nav_items": items}
