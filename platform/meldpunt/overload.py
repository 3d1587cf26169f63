"""Shedding load: a request that waited too long for a worker is refused, cheaply.

A request that waited in the queue longer than its client will (a browser gives up,
a person reloads) is work for nobody, and serving it makes every request behind it
later still: under overload the server drowns in abandoned work. So, before the
region is looked up, a request that waited longer than REQUEST_QUEUE_MAX_SECONDS is
answered 503 with Retry-After: a Dutch page for people, the API's error shape under
/api/. The wait is X-Request-Start (the kernel's arrival stamp that
meldpunt.arrival.ArrivalStampingWorker puts on every request) to now.

Bursts are what a queue is for, sustained overload is not. As in CoDel (Nichols and
Jacobson), a queue that has not once been shorter than REQUEST_QUEUE_TARGET_SECONDS
for REQUEST_QUEUE_INTERVAL_SECONDS is a standing queue: while it stands, a request
may have waited only REQUEST_QUEUE_OVERLOAD_SECONDS, so the requests that are served
are served in time. Each worker process judges from the requests it takes.

Filing a report is never refused: the POST of the public form and of the API's
report channels is served however long it waited (it is rare and a person wrote it).
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from meldpunt.error_shape import for_api, json_error

PRIORITY_VIEWS = frozenset({"public:report_form", "api-public-reports", "api-partner-reports"})


def waited_seconds(request: HttpRequest, now: float) -> float | None:
    """Seconds since the request arrived, from X-Request-Start (`t=` and epoch seconds,
    milliseconds or microseconds, as proxies write it); None without a readable one."""
    value = request.META.get("HTTP_X_REQUEST_START", "").removeprefix("t=")
    try:
        arrived = float(value)
    except ValueError:
        return None
    while arrived > now * 100:  # milliseconds or microseconds since the epoch
        arrived /= 1000
    return now - arrived


class StandingQueue:
    """Whether the queue this process takes requests from has stood (CoDel's test)."""

    def __init__(self) -> None:
        self.above_since: float | None = None

    def limit(self, waited: float, now: float) -> float:
        """The longest wait still served, having seen a request that waited `waited`."""
        if waited < settings.REQUEST_QUEUE_TARGET_SECONDS:
            self.above_since = None
            return settings.REQUEST_QUEUE_MAX_SECONDS
        if self.above_since is None:
            self.above_since = now
        if now - self.above_since >= settings.REQUEST_QUEUE_INTERVAL_SECONDS:
            return settings.REQUEST_QUEUE_OVERLOAD_SECONDS
        return settings.REQUEST_QUEUE_MAX_SECONDS


def files_a_report(request: HttpRequest) -> bool:
    if request.method != "POST":
        return False
    try:
        return resolve(request.path_info, settings.ROOT_URLCONF).view_name in PRIORITY_VIEWS
    except Resolver404:
        return False


class RefuseLateRequestsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.queue = StandingQueue()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = time.time()
        waited = waited_seconds(request, now)
        if (
            waited is not None
            and waited > self.queue.limit(waited, now)
            and not files_a_report(request)
        ):
            return refused(request)
        return self.get_response(request)


def refused(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After; the page is rendered without the request (no session, no
    user, no region: nothing more is spent on it)."""
    if for_api(request):
        response = json_error(
            "overbelast",
            _("De server is even te druk. Probeer het over enkele seconden opnieuw."),
            503,
        )
    else:
        # The site's name as on any page without a region (frontend.context_processors).
        page = loader.get_template("503.html").render(
            {"retry_after": settings.REQUEST_QUEUE_RETRY_AFTER_SECONDS, "site_name": _("Meldpunt")}
        )
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(settings.REQUEST_QUEUE_RETRY_AFTER_SECONDS)
    # Not one error line (and Sentry event) per refusal: the access log counts them.
    response._has_been_logged = True
    return response
