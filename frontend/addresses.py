"""Addresses reversed once per process: reversing cost more than the link itself (a
tenth of a signed-in page's fixed cost; a case page reversed a dozen task addresses on
every view). A case's addresses are reversed once with a placeholder code, and the
case's own code is put in per case."""

import functools
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# A case code of the address's form (workflow.models.cases.REFERENCE_FORM), replaced by
# the case's own.
PLACEHOLDER = "0000-00000"


@functools.lru_cache(maxsize=512)
def reversed_once(urlconf: str, prefix: str, name: str, kwargs: tuple) -> str:
    """urlconf and prefix are in the key: a region and the platform have their own."""
    return reverse(name, urlconf=urlconf, kwargs=dict(kwargs) or None)


def address(name: str, **kwargs: str | int) -> str:
    """reverse(name, kwargs=kwargs), reversed once per process, URL configuration and
    script prefix."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return reversed_once(urlconf, get_script_prefix(), name, tuple(sorted(kwargs.items())))


def address_pattern(name: str, **kwargs: str | int) -> str:
    """The address `name` (with `kwargs`) of the placeholder case, for for_case."""
    return address(name, reference=PLACEHOLDER, **kwargs)


def for_case(pattern: str, reference: str) -> str:
    """The address_pattern of the case `reference`, its code quoted as reverse quotes it
    (a case code has nothing to quote)."""
    return pattern.replace(PLACEHOLDER, quote(reference, safe=""), 1)


def case_address(name: str, reference: str, **kwargs: str | int) -> str:
    """reverse(name, kwargs={"reference": reference, **kwargs}), from the address reversed
    once."""
    return for_case(address_pattern(name, **kwargs), reference)
