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
for REQUEST_QUEUE_INTERVAL_SECONDS is a standing queue. While it stands, a request is
served only if it can still be answered within REQUEST_QUEUE_OVERLOAD_SECONDS of
arriving: it may have waited that less the time a slow request of this process now
takes to serve (ServiceTime), so on a busy machine, where serving takes longer, less
waiting is allowed, and what is served is served in time. Waiting as long as serving
one request takes (up to REQUEST_QUEUE_OVERLOAD_SECONDS) is no overload: that is a
queue of one request per worker, which any group of users larger than the workers
keeps. A queue that stood in the last REQUEST_QUEUE_MEMORY_SECONDS stands again at its
first long wait (CoDel re-enters its dropping state as quickly): otherwise every moment
the queue happens to be short would let a second of requests wait up to the burst
limit again. A request that arrived while its worker was idle found the queue empty:
the clock of a standing queue starts again. Each worker process judges from the
requests it takes.

Filing a report is never refused: the public form, its page and its POST, and the
POST of the API's report channels are served however long they waited (a report is
rare and a person wrote it; the form's page is cheap, and who wants to report must get
it, not a page saying to come back).
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from meldpunt.error_shape import for_api, json_error

# The public report form, its page and its POST; the API's report channels, their POST.
REPORT_FORM = "public:report_form"
REPORT_CHANNELS = frozenset({"api-public-reports", "api-partner-reports"})


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


class ServiceTime:
    """How long this process takes to serve a request now (wall time, so a machine whose
    cores are shared shows): a smoothed mean and mean deviation of its recent requests'
    times, as TCP estimates a round trip (RFC 6298); a slow one takes the mean and four
    deviations."""

    GAIN, DEVIATION_GAIN = 1 / 8, 1 / 4

    def __init__(self) -> None:
        self.mean = 0.0
        self.deviation = 0.0
        self.seen = False

    def add(self, seconds: float) -> None:
        if not self.seen:
            self.mean, self.deviation, self.seen = seconds, seconds / 2, True
            return
        self.deviation += self.DEVIATION_GAIN * (abs(seconds - self.mean) - self.deviation)
        self.mean += self.GAIN * (seconds - self.mean)

    def slow(self) -> float:
        return self.mean + 4 * self.deviation


class StandingQueue:
    """Whether the queue this process takes requests from stands (CoDel's test), and so
    the longest wait still served."""

    def __init__(self) -> None:
        self.above_since: float | None = None
        self.stood_at: float | None = None
        self.finished_at: float | None = None

    def finished(self, now: float) -> None:
        """The process is done with a request (served or refused)."""
        self.finished_at = now

    def limit(self, waited: float, now: float, service: ServiceTime) -> float:
        """The longest wait still served, having seen a request that waited `waited`."""
        if self.finished_at is not None and now - waited > self.finished_at:
            # It arrived while this process was idle, so the queue was empty then: the
            # long waits before that were another time.
            self.above_since = None
        # Waiting as long as serving a request takes is a queue of one request per
        # worker: any group of users larger than the workers keeps that, and it does
        # not grow. Not overload, unless serving itself takes longer than answering
        # under overload may (a worker's first, cold requests are that slow).
        short = min(
            max(settings.REQUEST_QUEUE_TARGET_SECONDS, service.mean),
            settings.REQUEST_QUEUE_OVERLOAD_SECONDS,
        )
        if waited < short:
            self.above_since = None
            return settings.REQUEST_QUEUE_MAX_SECONDS
        if self.above_since is None:
            self.above_since = now
        stood_lately = (
            self.stood_at is not None
            and now - self.stood_at < settings.REQUEST_QUEUE_MEMORY_SECONDS
        )
        if stood_lately or now - self.above_since >= settings.REQUEST_QUEUE_INTERVAL_SECONDS:
            self.stood_at = now
            # Answered within OVERLOAD seconds of arriving, even if served slowly.
            return max(short, settings.REQUEST_QUEUE_OVERLOAD_SECONDS - service.slow())
        return settings.REQUEST_QUEUE_MAX_SECONDS


def files_a_report(request: HttpRequest) -> bool:
    """The public report form (its page is cheap, and a person who wants to report must
    get it) or a report sent through the API."""
    if request.method not in ("GET", "HEAD", "POST"):
        return False
    try:
        view = resolve(request.path_info, settings.ROOT_URLCONF).view_name
    except Resolver404:
        return False
    return view == REPORT_FORM or (view in REPORT_CHANNELS and request.method == "POST")


class RefuseLateRequestsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.queue = StandingQueue()
        self.service = ServiceTime()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = time.time()
        waited = waited_seconds(request, now)
        if (
            waited is not None
            and waited > self.queue.limit(waited, now, self.service)
            and not files_a_report(request)
        ):
            response = refused(request)
        else:
            started = time.perf_counter()
            response = self.get_response(request)
            self.service.add(time.perf_counter() - started)
        self.queue.finished(time.time())
        return response


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
