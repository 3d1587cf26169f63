"""A case's addresses, reversed once per process and address, with the case code put in
per case: a case page reversed a dozen task addresses on every view,
and each reverse cost more than the link itself."""

import functools
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse

# A case code of the address's form (workflow.models.cases.REFERENCE_FORM), replaced by
# the case's own.
PLACEHOLDER = "0000-00000"


@functools.lru_cache(maxsize=256)
def reversed_once(urlconf: str | None, prefix: str, name: str, kwargs: tuple) -> str:
    """The address `name` of the placeholder case (urlconf and prefix are in the key:
    a region and the platform have their own)."""
    return reverse(name, kwargs={"reference": PLACEHOLDER, **dict(kwargs)})


def address_pattern(name: str, **kwargs: str | int) -> str:
    """The address `name` (with `kwargs`) of the placeholder case, for for_case."""
    return reversed_once(get_urlconf(), get_script_prefix(), name, tuple(sorted(kwargs.items())))


def for_case(pattern: str, reference: str) -> str:
    """The address_pattern of the case `reference`, its code quoted as reverse quotes it
    (a case code has nothing to quote)."""
    return pattern.replace(PLACEHOLDER, quote(reference, safe=""), 1)


def case_address(name: str, reference: str, **kwargs: str | int) -> str:
    """reverse(name, kwargs={"reference": reference, **kwargs}), from the address reversed
    once."""
    return for_case(address_pattern(name, **kwargs), reference)
