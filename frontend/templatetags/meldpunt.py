"""Template filters and tags of the platform."""

from django import template
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from configuratie.models import CatalogueKind
from frontend.addresses import address as reversed_address
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
