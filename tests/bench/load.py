"""A mixed load against gunicorn as configured: case list, case page, dashboard, public form.

On a database of its own with the demo regions (50 cases each), gunicorn runs
deploy/gunicorn.conf.py with production settings as the application role. An asyncio
client on the same machine (every request with a CLIENT_TIMEOUT) measures:

1. each page alone, as many in flight as gunicorn has workers (no queue), until it has
   MIN_SAMPLES answers: CPU per request in gunicorn's workers and PostgreSQL's backends
   (their own counters);
2. the mix (30 % list, 30 % case page, 20 % dashboard, 20 % form) with CONCURRENCY in
   flight until every page has MIN_SAMPLES answers: requests/s, p99, CPU per request;
3. an open loop at 70 % of what the mix served (sustainable) and at twice it, each on a
   fixed schedule for SECONDS, or longer for MIN_SAMPLES answers (latency from the
   scheduled time, so queueing shows):
   p99 of the answered requests and the share refused with 503 (shed, meldpunt/overload.py).

Percentiles are nearest-rank over at least MIN_SAMPLES answers; every line carries the
load average. Goals: 13 ms of CPU per request on average, none above 25 ms; at twice the
sustainable rate a p99 of the answered under 1 s. A figure off its goal is printed as
such, not failed; an answer other than 200 or a 503 refusal fails the run (a redirect or
an error page is fast: such figures measure nothing); timeouts and refused connections
are reported.
"""

import asyncio
import contextlib
import itertools
import os
import socket
import subprocess
import sys
import time
from collections import Counter

import dj_database_url
from _database import ADMIN_ENV, BASE_DOMAIN, REPO, bench_database, role_env, setup_django
from _measure import MIN_SAMPLES, CpuMeter, load, ms, percentile

SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
CLIENT_TIMEOUT = float(os.environ.get("BENCH_CLIENT_TIMEOUT", "10"))
WORKERS = int(
    os.environ.get("WEB_CONCURRENCY", min(4, 2 * (os.cpu_count() or 1)))
)  # gunicorn.conf.py
LONGEST_RUN = 120  # seconds: a closed loop that has not got its samples by then stops
SHED, TIMED_OUT, FAILED = 503, "timeout", "no connection"
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "p7#Zq2!vL9@xR4$wT8^kM1&nB6*hJ3(fD5)gS0-aY2_cV7+eU4=oI9",
    "FIELD_ENCRYPTION_KEYS": "bY0Hq1cTz8hVwq1l0v0sQ9bqz8W5c3m2x1n0p9o8i7U=",
    "BLIND_INDEX_KEY": "f3a9c1e7b5d2a8c4e6f0b1d3a5c7e9f2b4d6a8c0",
    "MATCHING_KEY": "9c2e4a6b8d0f1e3c5a7b9d1f3e5c7a9b2d4f6e8a",
    "BASE_DOMAIN": BASE_DOMAIN,
    "PUBLIC_URL_SCHEME": "https",
    "DJANGO_SETTINGS_MODULE": "tests.bench._settings",
    "PYTHONPATH": f"platform:{REPO}",
    "LOG_FORMAT": "json",
    # The load client speaks for the TLS proxy: without this every request is a 301 to https.
    "TRUSTED_PROXIES": "127.0.0.1",
}
MIX = ["case list"] * 3 + ["case page"] * 3 + ["dashboard"] * 2 + ["public form"] * 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def staff_session() -> tuple[str, list[str]]:
    """A medewerker of Twente with an authenticator, signed in; and some case references."""
    import pyotp
    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings
    from django.test import Client
    from django_tenants.utils import tenant_context

    from accounts.services import invite_user
    from tenants.models import Region
    from workflow.models import Casus

    with tenant_context(Region.objects.get(slug="twente")):
        user = invite_user("bench.medewerker@twente.bench", role_codes=["medewerker"])
        TOTP.activate(user, pyotp.random_base32())
        client = Client()
        client.force_login(user)
        references = list(Casus.objects.values_list("reference", flat=True)[:20])
    return (
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
        references,
    )


class Requests:
    """The requests of a page, or of the mix, in turn."""

    def __init__(self, cookie: str, references: list[str], kinds: list[str]) -> None:
        self.cookie, self.cases, self.kinds = cookie, itertools.cycle(references), kinds
        self.turn = itertools.cycle(kinds)

    def __next__(self) -> tuple[str, str, str]:
        kind = next(self.turn)
        path = {
            "case list": "/casussen/",
            "case page": f"/casussen/{next(self.cases)}/",
            "dashboard": "/",
            "public form": "/melden/meldformulier/",
        }[kind]
        return kind, path, "" if kind == "public form" else self.cookie


async def fetch(port: int, path: str, cookie: str) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: twente.{BASE_DOMAIN}\r\nX-Forwarded-Proto: https\r\n"
            f"Cookie: {cookie}\r\nConnection: close\r\n\r\n".encode()
        )
        await writer.drain()
        head = await reader.readline()
        await reader.read()
    finally:
        writer.close()
    return int(head.split()[1])


async def timed(port: int, request, results: list, scheduled: float | None = None) -> None:
    kind, path, cookie = request
    started = scheduled if scheduled is not None else time.perf_counter()
    try:
        status = await asyncio.wait_for(fetch(port, path, cookie), CLIENT_TIMEOUT)
    except TimeoutError:
        status = TIMED_OUT  # the client leaves, as a person would
    except (OSError, IndexError, ValueError):
        status = FAILED
    results.append((kind, status, time.perf_counter() - started))


async def closed_loop(port: int, requests: Requests, in_flight: int = CONCURRENCY) -> list:
    """Clients one request after another, until every kind has its samples."""
    results, deadline = [], time.perf_counter() + LONGEST_RUN

    def enough() -> bool:
        answered = Counter(kind for kind, status, _ in results if status == 200)
        return all(answered[kind] >= MIN_SAMPLES for kind in requests.kinds)

    async def user() -> None:
        while not enough() and time.perf_counter() < deadline:
            await timed(port, next(requests), results)

    await asyncio.gather(*(user() for _ in range(in_flight)))
    return results


async def open_loop(port: int, requests: Requests, rate: float, seconds: float) -> list:
    results, tasks = [], []
    start = time.perf_counter()
    for number in range(int(seconds * rate)):
        scheduled = start + number / rate
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        tasks.append(asyncio.create_task(timed(port, next(requests), results, scheduled)))
    await asyncio.gather(*tasks)
    return results


class Server:
    def __init__(self, env: dict[str, str], database: str) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py",
             "--bind", f"127.0.0.1:{self.port}"],
            cwd=REPO, env=os.environ | env | PRODUCTION, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        # The administrator's connection: only it sees every backend's pid and type.
        parsed = dj_database_url.parse(ADMIN_ENV["DATABASE_URL"])
        self.dsn = {
            "host": parsed["HOST"], "port": parsed["PORT"] or 5432, "user": parsed["USER"],
            "password": parsed["PASSWORD"], "dbname": parsed["NAME"],
        }  # fmt: skip
        self.database = database
        for _ in range(150):
            try:
                asyncio.run(fetch(self.port, "/healthz", ""))
                return
            except OSError:
                time.sleep(0.2)

    def measure(self, run) -> tuple[list, float, dict[str, float]]:
        meter = CpuMeter(self.process.pid, self.database, self.dsn)
        meter.start()
        started = time.perf_counter()
        results = asyncio.run(run)
        elapsed = time.perf_counter() - started
        return results, elapsed, meter.stop()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def unexpected(results: list) -> Counter:
    """HTTP answers other than 200 and the 503 refusal (timeouts and refused connections
    are the client's side of overload: reported, not failed)."""
    return Counter(
        status for _, status, _ in results if isinstance(status, int) and status not in (200, SHED)
    )


def shed(results: list) -> str:
    return f"{sum(status == SHED for _, status, _ in results)} shed"


def cpu_line(cpu: dict[str, float], requests: int, answered: int | None = None) -> str:
    """CPU per request; with `answered` also per answered one (refusals are cheap)."""
    total = cpu["workers"] + cpu["database"]
    ended = f", {cpu['backends ended']} recycled connections" if cpu["backends ended"] else ""
    per_answer = f", {total / answered * 1000:.1f} ms per answered" if answered else ""
    return (
        f"CPU per request {total / requests * 1000:.1f} ms (gunicorn "
        f"{cpu['workers'] / requests * 1000:.1f} + PostgreSQL "
        f"{cpu['database'] / requests * 1000:.1f}{ended}{per_answer})"
    )


def pages_alone(server: Server, cookie: str, references: list[str]) -> dict[str, float]:
    # As many in flight as workers: no queue, so nothing is refused and each request's
    # CPU is the page's own.
    print(f"each page alone, {WORKERS} in flight, {MIN_SAMPLES}+ answers each:")
    per_page, failures = {}, Counter()
    for kind in dict.fromkeys(MIX):
        results, elapsed, cpu = server.measure(
            closed_loop(server.port, Requests(cookie, references, [kind]), WORKERS)
        )
        latencies = [latency for _, status, latency in results if status == 200]
        per_page[kind] = (cpu["workers"] + cpu["database"]) / len(results) * 1000
        failures += unexpected(results)
        print(
            f"    {kind:<12} {cpu_line(cpu, len(results))}  {len(results) / elapsed:.0f} requests/s  "
            f"p50 {ms(percentile(latencies, 50))} p99 {ms(percentile(latencies, 99))} "
            f"(n={len(latencies)}, {shed(results)})  {load()}",
            flush=True,
        )
    average = sum(per_page[kind] for kind in MIX) / len(MIX)
    worst = max(per_page, key=per_page.get)
    print(
        f"    weighted as the mix: {average:.1f} ms per request (goal 13 ms), most {worst} "
        f"{per_page[worst]:.1f} ms (goal 25 ms)  {load()}"
    )
    return failures


def mixed(server: Server, cookie: str, references: list[str]) -> tuple[float, Counter]:
    results, elapsed, cpu = server.measure(
        closed_loop(server.port, Requests(cookie, references, MIX))
    )
    latencies = [latency for _, status, latency in results if status == 200]
    print(
        f"the mix, {CONCURRENCY} in flight: {len(results) / elapsed:.1f} requests/s, "
        f"p50 {ms(percentile(latencies, 50))}, p99 {ms(percentile(latencies, 99))} "
        f"(n={len(latencies)}, {shed(results)}), "
        f"{cpu_line(cpu, len(results), len(latencies))}  {load()}"
    )
    for kind in dict.fromkeys(MIX):
        own = [latency for k, status, latency in results if k == kind and status == 200]
        print(
            f"    {kind:<12} p50 {ms(percentile(own, 50))}  p99 {ms(percentile(own, 99))}  n={len(own)}"
        )
    return len(results) / elapsed, unexpected(results)


def open_at(
    server: Server, cookie: str, references: list[str], most: float, factor: float, title: str
) -> Counter:
    # Long enough for MIN_SAMPLES answers at what the mix served (twice that, as some are
    # shed), within LONGEST_RUN.
    seconds = min(LONGEST_RUN, max(SECONDS, 2 * MIN_SAMPLES / most))
    rate = most * factor
    results, elapsed, cpu = server.measure(
        open_loop(server.port, Requests(cookie, references, MIX), rate, seconds)
    )
    statuses = Counter(status for _, status, _ in results)
    answered = [latency for _, status, latency in results if status == 200]
    p99 = percentile(answered, 99)
    verdict = "" if p99 is None else (" (under 1 s)" if p99 < 1 else " (goal: under 1 s)")
    print(
        f"open loop at {rate:.0f}/s ({title}): {len(answered) / elapsed:.1f} answered/s, "
        f"p50 {ms(percentile(answered, 50))}, p99 {ms(p99)}{verdict} (n={len(answered)}); "
        f"shed {statuses[SHED] / len(results):.0%} (503), timed out "
        f"{statuses[TIMED_OUT] / len(results):.0%} (client {CLIENT_TIMEOUT:.0f} s), "
        f"{statuses[FAILED]} without a connection, "
        f"{cpu_line(cpu, len(results), len(answered))}  {load()}",
        flush=True,
    )
    return unexpected(results)


def main() -> None:
    with bench_database("load") as name:
        owner, app = role_env(name, "owner"), role_env(name, "app")
        # The demo data and the session are made with the keys the server runs with.
        keys = {
            key: PRODUCTION[key]
            for key in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "MATCHING_KEY")
        }
        dev = (
            os.environ
            | keys
            | {"PYTHONPATH": "platform", "DEBUG": "1", "DEMO_MODE": "1", "BASE_DOMAIN": BASE_DOMAIN}
        )
        subprocess.run([sys.executable, "manage.py", "migrate_schemas", "--noinput", "-v", "0"],
                       cwd=REPO, env=dev | owner, check=True)  # fmt: skip
        subprocess.run([sys.executable, "manage.py", "seed_demo"], cwd=REPO, env=dev | app,
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        setup_django(owner | keys)
        cookie, references = staff_session()
        from django.db import connections

        connections.close_all()
        server = Server(app, name)
        try:
            with contextlib.suppress(TimeoutError):  # a few seconds warm every worker
                warm = closed_loop(server.port, Requests(cookie, references, MIX))
                asyncio.run(asyncio.wait_for(warm, 5))
            print(f"gunicorn workers: {WORKERS}, client on the same machine, {load()}")
            failures = pages_alone(server, cookie, references)
            most, more = mixed(server, cookie, references)
            failures += more
            for factor, title in ((0.7, "sustainable"), (2.0, "twice what the mix served")):
                failures += open_at(server, cookie, references, most, factor, title)
            if failures:
                sys.exit(f"answers neither 200 nor a 503 refusal: {dict(failures)}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
