"""How a statistics cell reads on a page: integers as they are, medians and rates with
one decimal comma, an empty cell as a dash."""

from django import template

from statistiek.tables import formatted

register = template.Library()


@register.filter
def cell(value) -> str:
    return formatted(value)
