"""Template filters of the platform."""

from django import template

from configuratie.models import CatalogueKind
from workflow.labels import Answer, Labels
from workflow.models import SURNAME_PARTICLES

register = template.Library()


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
def channel(labels: Labels, code: str) -> str:
    return labels.of(CatalogueKind.CHANNEL, code)


@register.filter
def report_form(labels: Labels, code: str) -> str:
    return labels.of(CatalogueKind.REPORT_FORM, code)


@register.filter
def closing_reason(labels: Labels, code: str) -> str:
    return labels.of(CatalogueKind.CLOSING_REASON, code)


@register.filter
def signals(labels: Labels, codes: list[str]) -> list[str]:
    return labels.signals(codes or [])


@register.filter
def reporter_answers(labels: Labels, answers: dict[str, str]) -> list[Answer]:
    return labels.reporter_answers(answers or {})


@register.filter
def assessment_answers(labels: Labels, answers: dict[str, str]) -> list[Answer]:
    return labels.assessment_answers(answers or {})
