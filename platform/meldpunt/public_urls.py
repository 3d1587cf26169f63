"""A library's pages in our URL confs (allauth's sign-in and own-account pages, the
language switch), declared public for the policy test: the library guards them itself."""

import functools

from django.urls import URLPattern, URLResolver, include

from accounts.policy import public


def public_copy(view):
    @functools.wraps(view)
    def opened(*args, **kwargs):
        return view(*args, **kwargs)

    return public(opened)


def declared_public(patterns: list) -> list:
    declared = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            declared.append(
                URLResolver(
                    pattern.pattern,
                    declared_public(pattern.url_patterns),
                    pattern.default_kwargs,
                    pattern.app_name,
                    pattern.namespace,
                )
            )
        else:
            declared.append(
                URLPattern(
                    pattern.pattern, public_copy(pattern.callback), pattern.default_args,
                    pattern.name,
                )
            )  # fmt: skip
    return declared


def public_urls(urlconf: str) -> tuple:
    """include(urlconf), each of its pages declared public."""
    module, app_name, namespace = include(urlconf)
    patterns = getattr(module, "urlpatterns", module)
    return declared_public(patterns), app_name, namespace
