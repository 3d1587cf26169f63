"""Shedding load: a request that waited too long for a worker is answered 503 with
Retry-After (a Dutch page, the API's error shape under /api/); filing a report is never
refused, nor is the form's page. While the queue stands, a request is served only if it
can still be answered in time, by how long serving takes now; a queue that stood lately
stands again at its first long wait. The gunicorn tests hold the only worker of a real gunicorn while
requests queue behind it, so their wait is the kernel's arrival stamp, as in production."""

import http.client
import json
import re
import socket
import time
import urllib.parse
from types import SimpleNamespace

import pytest
from django.test import RequestFactory

from meldpunt.arrival import arrival, cork, expects_continue
from meldpunt.overload import (
    RefuseLateRequestsMiddleware,
    ServiceTime,
    StandingQueue,
    waited_seconds,
)
from tests.conftest import SERVED_REGION_HOST
from tests.serving import PlainClient, gunicorn

FORM = "/melden/meldformulier/"
PAGE = "/privacy/"  # a page anyone may ask for, and that may be refused


def served(request) -> str:
    return "served"


def request_that_waited(seconds: float, method: str = "GET", path: str = "/casussen/"):
    started = time.time() - seconds
    return RequestFactory().generic(method, path, HTTP_X_REQUEST_START=f"t={started:.6f}")


@pytest.mark.parametrize(
    "header", ["t={:.6f}", "{:.6f}", "t={:.0f}", "{:.0f}"], ids=["s", "bare s", "ms", "µs"]
)
def test_the_wait_is_read_as_proxies_write_the_start(header):
    now = 1_800_000_000.0
    factor = {"t={:.0f}": 1000, "{:.0f}": 1_000_000}.get(header, 1)
    request = RequestFactory().get("/", HTTP_X_REQUEST_START=header.format((now - 2.5) * factor))
    assert waited_seconds(request, now) == pytest.approx(2.5, abs=0.01)


def test_without_a_readable_start_nothing_waited():
    assert waited_seconds(RequestFactory().get("/"), time.time()) is None
    bad = RequestFactory().get("/", HTTP_X_REQUEST_START="t=gisteren")
    assert waited_seconds(bad, time.time()) is None


@pytest.fixture
def queue_settings(settings):
    settings.REQUEST_QUEUE_MAX_SECONDS = 3
    settings.REQUEST_QUEUE_OVERLOAD_SECONDS = 0.3
    settings.REQUEST_QUEUE_TARGET_SECONDS = 0.05
    settings.REQUEST_QUEUE_INTERVAL_SECONDS = 0.5
    settings.REQUEST_QUEUE_MEMORY_SECONDS = 2
    return settings


def serving(mean: float, deviation: float = 0.0) -> ServiceTime:
    """A process that takes `mean` seconds to serve a request, give or take `deviation`."""
    service = ServiceTime()
    service.mean, service.deviation, service.seen = mean, deviation, True
    return service


def test_a_standing_queue_shortens_the_wait_that_is_still_served(queue_settings):
    queue, fast = StandingQueue(), serving(0)
    assert queue.limit(0.4, now=100.0, service=fast) == 3  # a burst: waits served up to 3 s
    assert queue.limit(0.4, now=100.3, service=fast) == 3
    assert queue.limit(0.4, now=100.6, service=fast) == 0.3  # above target for an interval
    assert queue.limit(0.01, now=100.7, service=fast) == 3  # the queue emptied once


def test_a_queue_that_stood_lately_stands_again_at_its_first_long_wait(queue_settings):
    queue, fast = StandingQueue(), serving(0)
    queue.limit(0.4, now=100.0, service=fast)
    assert queue.limit(0.4, now=100.6, service=fast) == 0.3  # stands
    assert queue.limit(0.01, now=100.7, service=fast) == 3  # short for a moment
    # Without the memory this would be a new burst, served up to 3 s for half a second.
    assert queue.limit(0.4, now=100.8, service=fast) == 0.3
    assert queue.limit(0.01, now=102.7, service=fast) == 3
    assert queue.limit(0.4, now=102.9, service=fast) == 3  # two seconds since it stood: a burst


def test_a_request_that_came_to_an_idle_worker_starts_a_new_wait(queue_settings):
    queue, fast = StandingQueue(), serving(0)
    queue.limit(0.4, now=100.0, service=fast)
    queue.finished(100.1)
    # Waited 0.4 s behind other workers' requests, but arrived after this one was done:
    # the queue had been empty, so the long wait at 100.0 does not make it stand.
    assert queue.limit(0.4, now=101.0, service=fast) == 3
    queue.finished(101.05)
    assert queue.limit(0.4, now=101.2, service=fast) == 3  # arrived while it was busy
    queue.finished(101.25)
    assert queue.limit(0.4, now=101.6, service=fast) == 0.3  # above target since 101.0


def test_while_the_queue_stands_a_request_waits_only_what_serving_it_leaves(queue_settings):
    queue = StandingQueue()
    queue.limit(0.4, now=100.0, service=serving(0.1))
    # 0.3 s to be answered in, 0.1 s to serve: 0.2 s to wait.
    assert queue.limit(0.4, now=100.6, service=serving(0.1)) == pytest.approx(0.2)
    # A slow request takes 0.1 s and four deviations of 0.1 s now: only a wait as long as serving one is left.
    assert queue.limit(0.4, now=100.7, service=serving(0.1, 0.1)) == pytest.approx(0.1)
    assert queue.limit(0.05, now=100.8, service=serving(0.1, 0.1)) == 3


def test_waiting_as_long_as_serving_one_takes_is_no_standing_queue(queue_settings):
    """More users than workers keep a queue of one request per worker: no overload."""
    queue, slow = StandingQueue(), serving(0.25)
    for now in (100.0, 101.0, 102.0, 103.0):
        assert queue.limit(0.22, now=now, service=slow) == 3
    assert queue.limit(0.28, now=104.0, service=slow) == 3  # longer: a burst, for now


def test_a_cold_worker_s_slow_first_requests_allow_no_longer_waits(queue_settings):
    queue, cold = StandingQueue(), serving(5.0)  # its first request compiled every template
    queue.limit(0.4, now=100.0, service=cold)
    assert queue.limit(0.4, now=100.6, service=cold) == 0.3  # as long as answering may take


def test_the_time_serving_takes_follows_the_recent_requests():
    service = ServiceTime()
    assert service.slow() == 0
    service.add(0.1)
    assert service.slow() == pytest.approx(0.3)  # the first: its time, half of it as spread
    for _ in range(50):
        service.add(0.1)
    assert service.slow() == pytest.approx(0.1, abs=0.01)  # steady: little spread
    for _ in range(10):
        service.add(0.4)  # the machine got busy
    assert service.mean > 0.3 and service.slow() > 0.4


def test_a_worker_that_serves_slowly_refuses_shorter_waits_in_a_standing_queue(queue_settings):
    queue_settings.REQUEST_QUEUE_OVERLOAD_SECONDS = 1

    def slow(request):
        time.sleep(0.3)
        return "served"

    middleware = RefuseLateRequestsMiddleware(slow)
    assert middleware(request_that_waited(0.6)) == "served"  # a burst so far
    middleware.queue.above_since -= 1  # the queue has stood for a second
    # 0.6 s of waiting and 0.3 s (give or take 0.15 s) of serving do not fit in 1 s.
    assert middleware(request_that_waited(0.6)).status_code == 503
    assert middleware(request_that_waited(0.25)) == "served"  # no longer than serving one


def test_a_late_request_is_refused_with_a_dutch_page_and_retry_after(settings):
    settings.REQUEST_QUEUE_MAX_SECONDS = 3
    middleware = RefuseLateRequestsMiddleware(served)
    assert middleware(request_that_waited(1)) == "served"
    refused = middleware(request_that_waited(4))
    assert refused.status_code == 503
    assert refused["Retry-After"] == "5"
    assert "Het is even te druk" in refused.content.decode()
    assert refused._has_been_logged  # no error line per refusal


def test_a_late_api_request_is_refused_in_the_api_shape(settings):
    settings.REQUEST_QUEUE_MAX_SECONDS = 3
    refused = RefuseLateRequestsMiddleware(served)(request_that_waited(4, path="/api/v1/casussen/"))
    assert refused.status_code == 503 and refused["Retry-After"] == "5"
    assert json.loads(refused.content)["fout"]["code"] == "overbelast"


@pytest.mark.parametrize("path", [FORM, "/api/v1/openbaar/meldingen/", "/api/v1/meldingen/"])
def test_filing_a_report_is_never_refused(settings, path):
    settings.REQUEST_QUEUE_MAX_SECONDS = 3
    middleware = RefuseLateRequestsMiddleware(served)
    assert middleware(request_that_waited(60, "POST", path)) == "served"
    # The form's page too (cheap, and who wants to report must get it); the API's lists not.
    refused_get = path != FORM
    answer = middleware(request_that_waited(60, "GET", path))
    assert (answer != "served" and answer.status_code == 503) if refused_get else answer == "served"
    assert middleware(request_that_waited(60, "DELETE", FORM)).status_code == 503


def test_the_kernel_stamps_when_a_request_arrived():
    with socket.socket() as listening:
        listening.setsockopt(socket.SOL_SOCKET, 35, 1)  # SO_TIMESTAMPNS, as the worker does
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        time.sleep(0.2)  # the kernel switches stamping on shortly after the first asks
        with socket.create_connection(listening.getsockname()) as client:
            client.sendall(b"GET / HTTP/1.1\r\n\r\n")
            sent = time.time()
            time.sleep(0.5)
            connection, _ = listening.accept()
            with connection:
                arrived = arrival(connection)
                assert arrived == pytest.approx(sent, abs=0.1)
                assert connection.recv(100).startswith(b"GET / ")  # only peeked


def segments_received(corked: bool) -> int:
    """Segments a client receives for a head and a body written apart, then the close."""
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        with socket.create_connection(listening.getsockname()) as client:
            connection, _ = listening.accept()
            with connection:
                if corked:
                    cork(connection)
                connection.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
                time.sleep(0.05)  # as a page being rendered: uncorked, the head leaves now
                connection.sendall(b"<p>body</p>" * 1000)
                connection.shutdown(socket.SHUT_WR)
                received = b""
                while chunk := client.recv(65536):
                    received += chunk
            assert received.endswith(b"</p>") and len(received) > 11_000
            # struct tcp_info: tcpi_segs_in after 8 bytes, 24 u32 and 4 u64 and segs_out.
            info = client.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 160)
            return int.from_bytes(info[140:144], "little")


def test_a_response_leaves_with_its_close_in_one_segment():
    """The worker corks each connection: head, body and FIN leave together, whole."""
    assert segments_received(corked=True) < segments_received(corked=False)


@pytest.mark.parametrize(
    "headers, corked",
    [
        ([("HOST", "twente.localhost")], True),
        ([("EXPECT", "100-continue"), ("CONTENT-LENGTH", "2048")], False),
        ([("EXPECT", " 100-Continue ")], False),
    ],
)
def test_a_request_waiting_for_100_continue_is_not_corked(headers, corked):
    """gunicorn sends `100 Continue` before the application runs: corked, the kernel
    would hold it, and the client's body with it, up to 200 ms."""
    assert expects_continue(SimpleNamespace(headers=headers)) is not corked


def test_a_socket_that_cannot_cork_sends_as_it_is_written():
    left, right = socket.socketpair()
    with left, right:
        cork(left)
        left.sendall(b"answer")
        assert right.recv(10) == b"answer"


def raw(
    port: int, method: str, path: str, headers: dict[str, str], body: str = ""
) -> socket.socket:
    """Sends a whole request and returns the connection, to read the answer later."""
    connection = socket.create_connection(("127.0.0.1", port))
    lines = [f"{method} {path} HTTP/1.1", f"Host: {SERVED_REGION_HOST}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body:
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    connection.sendall(("\r\n".join(lines) + "\r\n\r\n" + body).encode())
    return connection


def answer(connection: socket.socket) -> http.client.HTTPResponse:
    connection.settimeout(30)
    response = http.client.HTTPResponse(connection)
    response.begin()
    response.body = response.read()
    connection.close()
    return response


@pytest.mark.worker
def test_gunicorn_refuses_what_waited_behind_a_busy_worker_but_files_the_report(
    served_database, tmp_path
):
    from tests.meldpunt.test_redis_outage import report_fields

    env = served_database | {"REQUEST_QUEUE_MAX_SECONDS": "1", "WEB_CONCURRENCY": "1"}
    with gunicorn(env, tmp_path / "gunicorn.log", host=SERVED_REGION_HOST) as port:
        reporter = PlainClient(port, SERVED_REGION_HOST)
        opened = reporter.get(FORM)
        token = re.search(r'name="token" value="([^"]+)"', opened.text).group(1)
        opened_at = time.monotonic()
        cookie = "; ".join(f"{name}={value}" for name, value in reporter.cookies.items())
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": reporter.cookies["csrftoken"], **report_fields(token)},
            doseq=True,
        )

        # The only worker reads a request that has not ended yet: the rest queue behind it.
        holder = socket.create_connection(("127.0.0.1", port))
        holder.sendall(f"GET /healthz HTTP/1.1\r\nHost: {SERVED_REGION_HOST}\r\n".encode())
        time.sleep(0.3)
        page = raw(port, "GET", PAGE, {})
        api = raw(port, "GET", "/api/v1/casussen/", {"Accept": "application/json"})
        form_page = raw(port, "GET", FORM, {})
        report = raw(port, "POST", FORM, {"Cookie": cookie}, form)
        # Longer than the 1 s allowed, and after a person's pace for the form's token.
        time.sleep(max(1.5, 3.5 - (time.monotonic() - opened_at)))
        holder.sendall(b"Connection: close\r\n\r\n")
        assert answer(holder).status == 200

        refused_page = answer(page)
        assert refused_page.status == 503 and refused_page.getheader("Retry-After") == "5"
        assert "Het is even te druk" in refused_page.body.decode()
        refused_api = answer(api)
        assert refused_api.status == 503 and refused_api.getheader("Retry-After") == "5"
        assert json.loads(refused_api.body)["fout"]["code"] == "overbelast"
        assert answer(form_page).status == 200  # who wants to report gets the form
        filed = answer(report)
        assert filed.status == 302, filed.body.decode()
        assert filed.getheader("Location") == "/melden/ontvangen/"

        # Without a queue the same requests are served.
        assert reporter.get(PAGE).status == 200


def holding(port: int, path: str = "/healthz") -> socket.socket:
    """A request that has not ended yet: the worker that took it waits for the rest.
    (/healthz is answered before the refusal, so holding it adds no wait of its own.)"""
    connection = socket.create_connection(("127.0.0.1", port))
    connection.sendall(f"GET {path} HTTP/1.1\r\nHost: {SERVED_REGION_HOST}\r\n".encode())
    return connection


def ended(connection: socket.socket) -> http.client.HTTPResponse:
    connection.sendall(b"Connection: close\r\n\r\n")
    return answer(connection)


@pytest.mark.worker
def test_gunicorn_refuses_at_once_when_the_queue_stood_lately(served_database, tmp_path, settings):
    env = served_database | {"WEB_CONCURRENCY": "1"}  # 3 s at most; 0.5 s while it stands
    with gunicorn(env, tmp_path / "gunicorn.log", host=SERVED_REGION_HOST) as port:
        assert PlainClient(port, SERVED_REGION_HOST).get(PAGE).status == 200

        # The queue stands: two requests a second apart that both waited.
        holder = holding(port)
        time.sleep(0.1)
        first, second = holding(port, PAGE), holding(port, PAGE)
        time.sleep(0.4)
        assert ended(holder).status == 200
        time.sleep(0.1)
        assert ended(first).status == 200  # waited ~0.5 s: a burst so far, served
        time.sleep(1.1)
        assert ended(second).status == 503  # waited 1.7 s of the 0.5 s allowed now

        # No queue for a moment: served at once.
        assert PlainClient(port, SERVED_REGION_HOST).get(PAGE).status == 200
        # A queue again so soon: refused at its first long wait, not allowed 3 s as a burst.
        holder = holding(port)
        time.sleep(0.1)
        page = raw(port, "GET", PAGE, {})
        time.sleep(0.8)
        assert ended(holder).status == 200
        assert answer(page).status == 503

        # Once the queue has not stood for REQUEST_QUEUE_MEMORY_SECONDS, a burst is one.
        time.sleep(settings.REQUEST_QUEUE_MEMORY_SECONDS)
        holder = holding(port)
        time.sleep(0.1)
        page = raw(port, "GET", PAGE, {})
        time.sleep(0.8)
        assert ended(holder).status == 200
        assert answer(page).status == 200
