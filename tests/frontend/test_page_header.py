"""{% page_header %}: the page header kept rendered per site name, language and menu is
what frontend/header.html renders for the request, with the request's own token,
current item and next path."""

import re

import pytest
from django.template import Template, engines
from django.urls import reverse
from django.utils import translation
from django_tenants.utils import tenant_context

from frontend.templatetags.meldpunt import kept_headers

KEPT = Template("{% load meldpunt %}{% page_header %}")


def both_ways(response) -> tuple[str, str]:
    """The header of the page's request rendered by the template itself and as kept."""
    request = response.wsgi_request
    plain = engines["django"].get_template("frontend/header.html")
    kept = engines["django"].from_string(KEPT.source)
    request.META.pop("CSRF_COOKIE_NEEDS_UPDATE", None)
    return plain.render({}, request), kept.render({}, request)


def without_token(html: str) -> str:
    """The masked CSRF token differs on every render; everything else may not."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'value="token"', html)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_signed_in_page_s_header_is_the_template_s_output(twente, logged_in, language) -> None:
    client = logged_in(twente, "medewerker", "procesregisseur")
    client.cookies["django_language"] = language
    kept_headers.entries.clear()
    path = reverse("cases:list") + '?status=open&q="x'
    response = client.get(path)
    with tenant_context(twente), translation.override(language):
        for _ in range(2):  # made, then kept
            plain, kept = both_ways(response)
            assert without_token(kept) == without_token(plain)
    assert 'aria-current="page">' + ("Casussen" if language == "nl" else "Cases") in kept
    assert kept.count('aria-current="page"') == 1
    assert (
        f'name="next" type="hidden" value="{reverse("cases:list")}?status=open&amp;q=%22x"' in kept
    )
    assert kept.count('name="csrfmiddlewaretoken"') == 2
    assert ('lang="en">English</button>' in kept) == (language == "nl")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_anonymous_page_s_header_is_the_template_s_output(twente, client_for, language):
    client = client_for(twente)
    client.cookies["django_language"] = language
    response = client.get("/melden/meldformulier/")
    with tenant_context(twente), translation.override(language):
        plain, kept = both_ways(response)
    assert without_token(kept) == without_token(plain)
    assert "meldpunt-nav" not in kept
    assert kept.count('name="csrfmiddlewaretoken"') == 1


def test_the_page_carries_the_kept_header(twente, logged_in) -> None:
    client = logged_in(twente, "medewerker")
    body = client.get(reverse("home:dashboard")).content.decode()
    assert '<header class="utrecht-page-header meldpunt-header">' in body
    assert body.count('name="csrfmiddlewaretoken"') >= 2
    assert f'href="{reverse("home:dashboard")}" aria-current="page"' in body
