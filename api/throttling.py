"""Throttling per personal API token: at most the rate of REST_FRAMEWORK's
DEFAULT_THROTTLE_RATES["api_token"] per token, in fixed windows.

The count lives in the cache (meldpunt.cache.count_within): Redis, or PostgreSQL
while Redis is down, so the limit holds through an outage and no request fails on
one. Requests signed in with a session (the site's own pages) are not counted here.
"""

import time
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken
from meldpunt.cache import count_within

if TYPE_CHECKING:  # rest_framework.views imports this module through the settings
    from rest_framework.views import APIView


class TokenThrottled(Throttled):
    default_detail = _("Te veel verzoeken met deze API-sleutel.")
    extra_detail_singular = _("Probeer het over {wait} seconde opnieuw.")
    extra_detail_plural = _("Probeer het over {wait} seconden opnieuw.")


class PersonalTokenThrottle(SimpleRateThrottle):
    scope = "api_token"

    def get_rate(self) -> str:
        # Read when used, not when the class is defined: settings may change (tests do).
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        window = int(time.time() // self.duration)
        return f"throttle:{self.scope}:{request.auth.pk}:{window}"

    def allow_request(self, request: Request, view: "APIView") -> bool:
        key = self.get_cache_key(request, view)
        if key is None or count_within(key, self.duration) <= self.num_requests:
            return True
        # Raised here rather than left to the view, so that the message is ours (Dutch).
        raise TokenThrottled(wait=self.duration - time.time() % self.duration)
