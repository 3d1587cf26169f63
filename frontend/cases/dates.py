"""Dates on the case screens as Django's date filter writes them ("j M Y", "j F Y H:i"),
in the current language, without the filter's formatter set up on every call (a
noticeable share of a page with fifty rows or a long timeline)."""

import functools
from datetime import datetime
from html import escape

from django.utils.dates import MONTHS, MONTHS_3
from django.utils.timezone import localtime
from django.utils.translation import get_language


@functools.lru_cache(maxsize=16)
def short_months(language: str | None) -> dict[int, str]:
    """The months' short names in `language` (the current one), escaped, by number."""
    return {number: escape(str(name).title()) for number, name in MONTHS_3.items()}


@functools.lru_cache(maxsize=16)
def long_months(language: str | None) -> dict[int, str]:
    """The months' names in `language` (the current one), by number."""
    return {number: str(name) for number, name in MONTHS.items()}


def date_time(moment: datetime, months: dict[int, str]) -> str:
    """`moment` in the current time zone as "j <month> Y H:i", with `months`' names."""
    local = localtime(moment)
    return f"{local.day} {months[local.month]} {local.year} {local:%H:%M}"


def long_date_time(moment: datetime) -> str:
    """`moment` as the filters `localtime|date:"j F Y H:i"` write it."""
    return date_time(moment, long_months(get_language()))


def short_date_time(moment: datetime) -> str:
    """`moment` as the filters `localtime|date:"j M Y H:i"` write it, escaped."""
    return date_time(moment, short_months(get_language()))
