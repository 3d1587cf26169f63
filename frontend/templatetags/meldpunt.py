"""Template filters and tags of the platform."""

import re
from dataclasses import dataclass

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from configuratie.models import CatalogueKind
from frontend.addresses import address as reversed_address
from frontend.context_processors import NavItem
from meldpunt.cache import KeptInProcess
from workflow.labels import Answer, Labels
from workflow.models import SURNAME_PARTICLES

register = template.Library()


@register.simple_tag
def address(name: str) -> str:
    """`{% url name %}` for a page without arguments, reversed once per process."""
    return reversed_address(name)


@register.filter
def initials(name: str) -> str:
    """A name as initials, for paper that may lie around: 'Sanne de Vries' -> 'S. d. V.'"""
    words = (name or "").split()
    return " ".join(
        f"{word[0].lower() if word.lower() in SURNAME_PARTICLES else word[0].upper()}."
        for word in words
    )


# The region's words for stored codes: `{{ labels|case_type:casus.case_type }}`, with the
# `labels` the view read once (workflow.labels.region_labels).
@register.filter
def case_type(labels: Labels, code: str) -> str:
    return labels.of(CatalogueKind.CASE_TYPE, code)


@register.filter
def closing_reason(labels: Labels, code: str) -> str:
    return labels.of(CatalogueKind.CLOSING_REASON, code)


@register.filter
def signals(labels: Labels, codes: list[str]) -> list[str]:
    return labels.signals(codes or [])


@register.filter
def assessment_answers(labels: Labels, answers: dict[str, str]) -> list[Answer]:
    return labels.assessment_answers(answers or {})


class SamePerLanguageNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist
        self.rendered: dict[str | None, SafeString] = {}

    def render(self, context: template.Context) -> SafeString:
        language = get_language()
        if language not in self.rendered:
            # NodeList.render returns a SafeString: its nodes escaped what they render.
            self.rendered[language] = self.nodelist.render(context)
        return self.rendered[language]


def literal(expression: template.base.FilterExpression) -> bool:
    """A quoted string without filters ({% translate %} holds it as a literal Variable)."""
    value = expression.var
    return not expression.filters and (
        isinstance(value, str) or getattr(value, "literal", None) is not None
    )


@register.tag
def same_per_language(parser: template.base.Parser, token: template.base.Token) -> template.Node:
    """{% same_per_language %}…{% end_same_per_language %}: a block of fixed text,
    translations and static files' addresses (no variables, no page addresses, no CSRF
    token) rendered once per language and process, then reused: on a case page the fixed
    navigation's dozen translations cost more than the case's own data. The block lives
    as long as the compiled template (in production the cached template loader keeps it
    for the process, as the static files' manifest is)."""
    nodelist = parser.parse(("end_same_per_language",))
    parser.delete_first_token()
    for node in nodelist.get_nodes_by_type(template.Node):
        fixed = (
            isinstance(node, template.base.TextNode)
            or (
                isinstance(node, TranslateNode)
                and node.asvar is None
                and node.message_context is None
                and literal(node.filter_expression)
            )
            or (isinstance(node, StaticNode) and node.varname is None and literal(node.path))
        )
        if not fixed:
            raise template.TemplateSyntaxError(
                f"same_per_language holds fixed text and translations only, not {node!r}"
            )
    return SamePerLanguageNode(nodelist)


# What the kept page header leaves open, each filled in per request: the CSRF token's
# field, the current menu item's mark, the language form's next path.
STAND_IN = "\x00stand-in"
TOKEN_FIELD = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', STAND_IN)
CURRENT = ' aria-current="page"'
NEXT_PATH = "\x00next"
OPEN = re.compile("|".join(re.escape(slot) for slot in (TOKEN_FIELD, CURRENT, NEXT_PATH)))
kept_headers = KeptInProcess(most=256)


@dataclass(frozen=True)
class KeptHeader:
    """frontend/header.html rendered for a site name, language and menu: its text between
    the open places, and what goes in each (TOKEN_FIELD, CURRENT or NEXT_PATH)."""

    texts: tuple[str, ...]
    slots: tuple[str, ...]


class StandInRequest:
    def get_full_path(self) -> str:
        return NEXT_PATH


def kept_header(context: template.Context, key: tuple) -> KeptHeader:
    header = kept_headers.get(key)
    if header is None:
        site_name, signed_in, items = key[3:6]
        rendered = context.template.engine.get_template("frontend/header.html").render(
            template.Context(
                {
                    "site_name": site_name,
                    "user": {"is_authenticated": signed_in},
                    "nav_items": [NavItem(label, url, True) for label, url in items],
                    "csrf_token": STAND_IN,
                    "request": StandInRequest(),
                }
            )
        )
        slots = tuple(OPEN.findall(rendered))
        if slots.count(CURRENT) != len(items):  # the header's fixed text holds no mark
            raise template.TemplateSyntaxError("frontend/header.html marks more than the menu")
        header = kept_headers.keep(key, KeptHeader(tuple(OPEN.split(rendered)), slots))
    return header


class PageHeaderNode(template.Node):
    def render(self, context: template.Context) -> str:
        return page_header_of(context)


@register.tag
def page_header(parser: template.base.Parser, token: template.base.Token) -> template.Node:
    """{% page_header %}: see page_header_of."""
    return PageHeaderNode()


def page_header_of(context: template.Context) -> str:
    """frontend/header.html (the site's name, the menu, the language switch) as the
    template renders it, rendered once per process for each site name, language and
    menu (the items the user may use), with this request's CSRF token, current item and
    next path put in: a signed-in page spent more on its header than on a case's data."""
    user = context.get("user")
    signed_in = bool(getattr(user, "is_authenticated", False))
    items = context.get("nav_items") or ()
    site_name = context.get("site_name", "")
    key = (
        get_language(),
        get_urlconf(),
        get_script_prefix(),
        site_name,
        signed_in,
        tuple((item.label, item.url) for item in items),
    )
    header = kept_header(context, key)
    request = context.get("request")
    fill = {
        TOKEN_FIELD: CsrfTokenNode().render(context),
        NEXT_PATH: conditional_escape(request.get_full_path()) if request is not None else "",
    }
    current = iter(items)
    parts = [header.texts[0]]
    for slot, text in zip(header.slots, header.texts[1:], strict=True):
        if slot == CURRENT:
            parts.append(CURRENT if next(current).current else "")
        else:
            parts.append(fill[slot])
        parts.append(text)
    # The template's output with escaped values put in: a node's output is not escaped
    # again (NodeList.render marks the page safe).
    return "".join(parts)
