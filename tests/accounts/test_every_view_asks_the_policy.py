"""Every page and endpoint of a region and of the platform asks the policy before it runs,
visibly: its view carries the mark of the policy's decorator (frontend.access.allowed,
api.permissions.asks) or is declared public. A view added without one fails here."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.policy import PUBLIC

URL_CONFS = ("meldpunt.urls_tenant", "meldpunt.urls_public")
# Pages that anyone may open, by design: nothing else may be declared public.
PUBLIC_ROUTES = {
    "melden/",
    "melden/ontvangen/",
    "melden/<slug:form_code>/",
    "melding/volgen/",
    "melding/volgen/status/",
    "melding/volgen/afsluiten/",
    "privacy/",
    "agenda/<str:key>/overleggen.ics",  # a calendar subscription: its secret is the key
    "api/v1/openbaar/formuliertoken/",
    "api/v1/openbaar/meldingen/",
    "api/v1/schema/",
    "api/v1/docs/",
    "^api/",
}
PUBLIC_PREFIXES = ("accounts/", "i18n/")


def routes(patterns: list, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + str(pattern.pattern), pattern.callback


def asked(view) -> object:
    """What the view declares it asks: the mark on the view, or on a permission of an
    API view (set on its class or given to as_view)."""
    if hasattr(view, "asks_policy"):
        return view.asks_policy
    permissions = [
        *getattr(view, "initkwargs", {}).get("permission_classes", []),
        *getattr(getattr(view, "cls", None), "permission_classes", []),
    ]
    return next((p.asks_policy for p in permissions if hasattr(p, "asks_policy")), None)


ALL_ROUTES = [
    pytest.param(conf, route, view, id=f"{conf.rsplit('_', 1)[1]}:{route}")
    for conf in URL_CONFS
    for route, view in routes(get_resolver(conf).url_patterns)
]


@pytest.mark.parametrize(("conf", "route", "view"), ALL_ROUTES)
def test_every_view_asks_the_policy_or_is_declared_public(conf, route, view):
    declared = asked(view)
    assert declared, f"{route} ({view.__module__}) does not show that it asks the policy"
    if declared == PUBLIC:
        assert route in PUBLIC_ROUTES or route.startswith(PUBLIC_PREFIXES), route


@pytest.mark.parametrize("role", ["medewerker", "procesregisseur", "regiobeheerder", "analist"])
def test_only_a_partners_contact_person_opens_the_partner_report_forms(limburg, logged_in, role):
    assert logged_in(limburg, role).get("/partner/melden/").status_code == 403
