"""Template filters of the platform."""

from django import template

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
