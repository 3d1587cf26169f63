"""The Content-Security-Policy header: django-csp's, with the site's own policy built once.

django-csp builds both headers (the policy and the report-only one) from the settings
on every response. Nearly every response carries the site's policy unchanged, so that
one is built once per process; a response with a policy of its own (the sign-in page
adds its providers to form-action) or a request that used a nonce is left to django-csp.
"""

import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# What a response sets to have a policy of its own (csp.decorators).
OWN_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
# Each header, with the attribute that exempts a response from it and its setting.
HEADERS = (
    (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
    (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
)


@functools.cache
def site_policy(report_only: bool, setting: str) -> tuple[str, tuple[str, ...]]:
    """The header's value as django-csp builds it without a nonce, and the paths it skips."""
    prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
    return build_policy(report_only=report_only), tuple(prefixes)


def forget_policy(setting: str, **_signal) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        site_policy.cache_clear()


setting_changed.connect(forget_policy, dispatch_uid="meldpunt.content_security")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in OWN_POLICY
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (404, 500):
            return response  # django-csp leaves Django's debug pages alone
        for header, report_only, exempt, setting in HEADERS:
            policy, excluded = site_policy(report_only, setting)
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(excluded)
            ):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
