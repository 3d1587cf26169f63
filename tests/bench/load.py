"""A mixed load against gunicorn as configured: case list, case page, dashboard, public form.

On a database of its own, one region with BENCH_CASES (100,000) cases as case_list.py's
`seed()` makes them (the issue's volume), gunicorn runs deploy/gunicorn.conf.py with
production settings as the application role. Seeding takes minutes, so the database
(`<database>_load`) is kept between runs under its seed version (case_list.py's source
and the number of cases, in the database's comment): a run seeds only when that changed
or the database is missing, and BENCH_FRESH=1 seeds again. An asyncio client on the same
machine (every request with a CLIENT_TIMEOUT) measures:

1. each page alone, as many in flight as gunicorn has workers (no queue), until it has
   MIN_SAMPLES answers: CPU per answered request in gunicorn's workers and PostgreSQL's
   backends (their own counters);
2. the mix (30 % list, 30 % case page, 20 % dashboard, 20 % form) with CONCURRENCY in
   flight until every page has MIN_SAMPLES answers: requests/s, p99, CPU per request;
3. an open loop at 70 % of what the mix answered (sustainable) and at twice it, each on a
   fixed schedule for SECONDS, or longer for MIN_SAMPLES answers (latency from the
   scheduled time, so queueing shows):
   p99 of the answered requests and the share refused with 503 (shed, meldpunt/overload.py).

The client shares the machine's cores, so its own lateness is measured apart: how late
it sent each request after its scheduled time, how late its event loop woke (a probe
that sleeps 10 ms at a time), and the latency from the moment the request was sent. The
workers' own time per answered request (their access log) is printed beside it, so the
rest is the wait for a worker.

Percentiles are nearest-rank over at least MIN_SAMPLES answers; every line carries the
load average. Goals: 13 ms of CPU per request on average, none above 25 ms; at twice the
sustainable rate a p99 of the answered under 1 s. A figure off its goal is printed as
such, not failed; an answer other than 200 or a 503 refusal fails the run (a redirect or
an error page is fast: such figures measure nothing); timeouts and refused connections
are reported.
"""

import asyncio
import contextlib
import hashlib
import itertools
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
from _database import ADMIN_ENV, BASE_DOMAIN, CREATE, REPO, bench_database, role_env, setup_django
from _measure import MIN_SAMPLES, CpuMeter, load, ms, percentile

SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
CLIENT_TIMEOUT = float(os.environ.get("BENCH_CLIENT_TIMEOUT", "10"))
CASES = int(os.environ.get("BENCH_CASES", "100000"))
FRESH = os.environ.get("BENCH_FRESH") == "1"
WORKERS = int(
    os.environ.get("WEB_CONCURRENCY", min(4, 2 * (os.cpu_count() or 1)))
)  # gunicorn.conf.py
LONGEST_RUN = 180  # seconds: a closed loop that has not got its samples by then stops
SHED, TIMED_OUT, FAILED = 503, "timeout", "no connection"
HOST = f"bench.{BASE_DOMAIN}"  # the seeded region, at an address under BASE_DOMAIN
PROBE = 0.01  # seconds the event-loop probe sleeps
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
KEYS = ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "MATCHING_KEY")
MIX = ["case list"] * 3 + ["case page"] * 3 + ["dashboard"] * 2 + ["public form"] * 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seed_version() -> str:
    """What the seeded data depends on: the seeding code, the keys and the number of cases."""
    source = (REPO / "tests" / "bench" / "case_list.py").read_bytes()
    keys = "".join(PRODUCTION[key] for key in KEYS).encode()
    return f"load seed {CASES} {hashlib.sha256(source + keys).hexdigest()[:16]}"


# The administrator's connection, as _database.bench_database takes it.
ADMIN_URL = ADMIN_ENV.get("DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/meldpunt")


def admin_dsn(database: str) -> dict:
    parsed = dj_database_url.parse(ADMIN_URL)
    return {
        "host": parsed["HOST"], "port": parsed["PORT"] or 5432, "user": parsed["USER"],
        "password": parsed["PASSWORD"], "dbname": database,
    }  # fmt: skip


def kept_version(name: str) -> str | None:
    """The seed version in the kept database's comment; None without that database."""
    import psycopg2

    connection = psycopg2.connect(**admin_dsn("postgres"))
    with contextlib.closing(connection), connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        )
        row = cursor.fetchone()
    return None if row is None else (row[0] or "")


def seeded_region(name: str, kept: str | None, owner: dict[str, str]):
    """The region with CASES cases: kept from an earlier run with the same seed version,
    or seeded now (a kept database of another version made again first). Returns it and
    a medewerker."""
    version = seed_version()
    if kept is not None and (FRESH or kept != version):
        subprocess.run([*CREATE, name, "--recreate"], env=ADMIN_ENV, check=True)
    subprocess.run([sys.executable, "manage.py", "migrate_schemas", "--noinput", "-v", "0"],
                   cwd=REPO, env=os.environ | owner | {"PYTHONPATH": "platform", "DEBUG": "1"},
                   check=True)  # fmt: skip
    setup_django(owner | {key: PRODUCTION[key] for key in KEYS})
    from django.db import connection
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from tenants.models import Domain, Region

    if not FRESH and kept == version:
        region = Region.objects.get(slug="bench")
        print(f"the region with {CASES} cases kept from an earlier run ({version}; "
              "BENCH_FRESH=1 seeds again)", flush=True)  # fmt: skip
    else:
        from tests.bench.case_list import seed

        started = time.perf_counter()
        region, _user, _references = seed()
        print(f"seeded {CASES} cases in {time.perf_counter() - started:.0f} s  {load()}")
        with connection.cursor() as cursor:
            cursor.execute(f'COMMENT ON DATABASE "{name}" IS %s', [version])
    # case_list.py puts the region at bench.localhost, outside the server's BASE_DOMAIN.
    Domain.objects.filter(tenant=region).update(domain=HOST)
    with tenant_context(region):
        user = User.objects.get(email="medewerker@bench.test")
    return region, user


def staff_session(region, user) -> tuple[str, list[str]]:
    """The medewerker (with an authenticator) signed in, with the CSRF cookie a browser
    keeps from its first page (without it every page would make and set a new secret);
    and 200 case references spread over the region's cases."""
    from django.conf import settings
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.test import Client
    from django.utils.crypto import get_random_string
    from django_tenants.utils import tenant_context

    from workflow.models import Casus

    with tenant_context(region):
        client = Client()
        client.force_login(user)
        references = list(Casus.objects.values_list("reference", flat=True))
    csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
    return (
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; "
        f"{settings.CSRF_COOKIE_NAME}={csrf}",
        random.Random(26).sample(references, min(200, len(references))),
    )


class Requests:
    """The requests of a page, or of the mix in its shares, in a random order: in turn,
    the cheap pages would always queue behind the same expensive ones and be refused
    more often than the rest."""

    def __init__(self, cookie: str, references: list[str], kinds: list[str]) -> None:
        self.cookie, self.cases, self.kinds = cookie, itertools.cycle(references), kinds
        self.random = random.Random(26)

    def __next__(self) -> tuple[str, str, str]:
        kind = self.random.choice(self.kinds)
        path = {
            "case list": "/casussen/",
            "case page": f"/casussen/{next(self.cases)}/",
            "dashboard": "/",
            "public form": "/melden/meldformulier/",
        }[kind]
        return kind, path, "" if kind == "public form" else self.cookie


async def fetch(port: int, path: str, cookie: str, sent: list | None = None) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nX-Forwarded-Proto: https\r\n"
            f"Cookie: {cookie}\r\nConnection: close\r\n\r\n".encode()
        )
        await writer.drain()
        if sent is not None:
            sent.append(time.perf_counter())
        head = await reader.readline()
        await reader.read()
    finally:
        writer.close()
    return int(head.split()[1])


@dataclass(slots=True)
class Result:
    """One request: its page, status (or TIMED_OUT, FAILED), seconds from when it was due
    (scheduled, or started in a closed loop), how late the client sent it and seconds from
    sending (None when it could not send)."""

    kind: str
    status: int | str
    latency: float
    late: float | None
    from_sent: float | None


async def timed(port: int, request, results: list, scheduled: float | None = None) -> None:
    kind, path, cookie = request
    started = scheduled if scheduled is not None else time.perf_counter()
    sent = []
    try:
        status = await asyncio.wait_for(fetch(port, path, cookie, sent), CLIENT_TIMEOUT)
    except TimeoutError:
        status = TIMED_OUT  # the client leaves, as a person would
    except (OSError, IndexError, ValueError):
        status = FAILED
    done = time.perf_counter()
    late = sent[0] - started if sent else None
    results.append(Result(kind, status, done - started, late, done - sent[0] if sent else None))


class LoopProbe:
    """How late the client's own event loop wakes: a task that sleeps PROBE at a time."""

    def __init__(self) -> None:
        self.lags: list[float] = []

    async def run(self) -> None:
        while True:
            due = time.perf_counter() + PROBE
            await asyncio.sleep(PROBE)
            self.lags.append(time.perf_counter() - due)


async def probed(run, probe: LoopProbe) -> list:
    task = asyncio.create_task(probe.run())
    try:
        return await run
    finally:
        task.cancel()


async def closed_loop(
    port: int, requests: Requests, in_flight: int = CONCURRENCY, samples: int = MIN_SAMPLES
) -> list:
    """Clients one request after another, until every kind has its samples."""
    results, deadline = [], time.perf_counter() + LONGEST_RUN

    def enough() -> bool:
        answered = Counter(result.kind for result in results if result.status == 200)
        return all(answered[kind] >= samples for kind in requests.kinds)

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
    def __init__(self, env: dict[str, str], database: str, log: Path) -> None:
        self.port = free_port()
        self.log = log.open("a+")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py",
             "--bind", f"127.0.0.1:{self.port}"],
            cwd=REPO, env=os.environ | env | PRODUCTION, stdout=self.log,
        )  # fmt: skip
        # The administrator's connection: only it sees every backend's pid and type.
        self.dsn = admin_dsn(database)
        self.database = database
        for _ in range(150):
            try:
                asyncio.run(fetch(self.port, "/healthz", ""))
                return
            except OSError:
                time.sleep(0.2)

    def measure(self, run) -> tuple[list, float, dict[str, float], LoopProbe, list[float]]:
        """The run's results, seconds, CPU, the client's loop probe, and the workers' own
        seconds per answered request (their access log)."""
        meter = CpuMeter(self.process.pid, self.database, self.dsn)
        probe = LoopProbe()
        self.log.seek(0, os.SEEK_END)
        logged = self.log.tell()
        meter.start()
        started = time.perf_counter()
        results = asyncio.run(probed(run, probe))
        elapsed = time.perf_counter() - started
        cpu = meter.stop()
        time.sleep(0.2)  # the last access lines
        self.log.seek(logged)
        return results, elapsed, cpu, probe, worker_seconds(self.log.read())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def worker_seconds(lines: str) -> list[float]:
    """The workers' time for each request answered 200, from their JSON access log
    (meldpunt.logs: status and duration_ms)."""
    seconds = []
    for line in lines.splitlines():
        with contextlib.suppress(ValueError):
            logged = json.loads(line)
            if logged.get("message") == "request" and str(logged.get("status")) == "200":
                seconds.append(logged["duration_ms"] / 1000)
    return seconds


def unexpected(results: list) -> Counter:
    """HTTP answers other than 200 and the 503 refusal (timeouts and refused connections
    are the client's side of overload: reported, not failed)."""
    return Counter(
        result.status
        for result in results
        if isinstance(result.status, int) and result.status not in (200, SHED)
    )


def answered(results: list, kind: str | None = None) -> list[float]:
    return [r.latency for r in results if r.status == 200 and kind in (None, r.kind)]


def shed(results: list) -> str:
    return f"{sum(result.status == SHED for result in results)} shed"


def cpu_line(cpu: dict[str, float], requests: int, answers: int | None = None) -> str:
    """CPU per request; with `answers` also per answered one (refusals are cheap)."""
    total = cpu["workers"] + cpu["database"]
    ended = f", {cpu['backends ended']} recycled connections" if cpu["backends ended"] else ""
    per_answer = f", {total / answers * 1000:.1f} ms per answered" if answers else ""
    return (
        f"CPU per request {total / requests * 1000:.1f} ms (gunicorn "
        f"{cpu['workers'] / requests * 1000:.1f} + PostgreSQL "
        f"{cpu['database'] / requests * 1000:.1f}{ended}{per_answer})"
    )


def client_line(results: list, probe: LoopProbe, workers: list[float]) -> str:
    """The client's own lateness beside the server's part of the latency."""
    late = [r.late for r in results if r.late is not None]
    from_sent = [r.from_sent for r in results if r.status == 200 and r.from_sent is not None]
    return (
        f"client: sent late p50 {ms(percentile(late, 50))} p99 {ms(percentile(late, 99))}, "
        f"its loop woke late p99 {ms(percentile(probe.lags, 99))} "
        f"(max {ms(max(probe.lags, default=0))}); answered from sending p99 "
        f"{ms(percentile(from_sent, 99))}; workers' own time per answer p50 "
        f"{ms(percentile(workers, 50))} p99 {ms(percentile(workers, 99))} (n={len(workers)})"
    )


def pages_alone(server: Server, cookie: str, references: list[str]) -> Counter:
    # As many in flight as workers: no queue, so nothing is refused and each request's
    # CPU is the page's own.
    print(f"each page alone, {WORKERS} in flight, {MIN_SAMPLES}+ answers each:")
    per_page, failures = {}, Counter()
    for kind in dict.fromkeys(MIX):
        results, elapsed, cpu, _probe, _workers = server.measure(
            closed_loop(server.port, Requests(cookie, references, [kind]), WORKERS)
        )
        latencies = answered(results)
        # Per answer: the few refused (a busy machine keeps a worker from its queue) cost
        # next to nothing, and would make the page look cheaper than it is.
        per_page[kind] = (cpu["workers"] + cpu["database"]) / len(latencies) * 1000
        failures += unexpected(results)
        print(
            f"    {kind:<12} {cpu_line(cpu, len(latencies))}  {len(results) / elapsed:.0f} requests/s  "
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
    results, elapsed, cpu, probe, workers = server.measure(
        closed_loop(server.port, Requests(cookie, references, MIX))
    )
    latencies = answered(results)
    print(
        f"the mix, {CONCURRENCY} in flight: {len(results) / elapsed:.1f} requests/s "
        f"({len(latencies) / elapsed:.1f} answered), "
        f"p50 {ms(percentile(latencies, 50))}, p99 {ms(percentile(latencies, 99))} "
        f"(n={len(latencies)}, {shed(results)}), "
        f"{cpu_line(cpu, len(results), len(latencies))}  {load()}"
    )
    for kind in dict.fromkeys(MIX):
        own = answered(results, kind)
        print(
            f"    {kind:<12} p50 {ms(percentile(own, 50))}  p99 {ms(percentile(own, 99))}  n={len(own)}"
        )
    print(f"    {client_line(results, probe, workers)}", flush=True)
    return len(latencies) / elapsed, unexpected(results)


def open_at(
    server: Server, cookie: str, references: list[str], most: float, factor: float, title: str
) -> Counter:
    # Long enough for MIN_SAMPLES answers at what the mix served (twice that, as some are
    # shed), within LONGEST_RUN.
    seconds = min(LONGEST_RUN, max(SECONDS, 2 * MIN_SAMPLES / most))
    rate = most * factor
    results, elapsed, cpu, probe, workers = server.measure(
        open_loop(server.port, Requests(cookie, references, MIX), rate, seconds)
    )
    statuses = Counter(result.status for result in results)
    latencies = answered(results)
    p99 = percentile(latencies, 99)
    verdict = "" if p99 is None else (" (under 1 s)" if p99 < 1 else " (goal: under 1 s)")
    print(
        f"open loop at {rate:.0f}/s ({title}): {len(latencies) / elapsed:.1f} answered/s, "
        f"p50 {ms(percentile(latencies, 50))}, p99 {ms(p99)}{verdict} (n={len(latencies)}); "
        f"shed {statuses[SHED] / len(results):.0%} (503), timed out "
        f"{statuses[TIMED_OUT] / len(results):.0%} (client {CLIENT_TIMEOUT:.0f} s), "
        f"{statuses[FAILED]} without a connection, "
        f"{cpu_line(cpu, len(results), len(latencies))}  {load()}",
        flush=True,
    )
    refused = Counter(r.kind for r in results if r.status == SHED)
    print(
        "    shed per page: "
        + ", ".join(
            f"{kind} {refused[kind] / max(1, sum(r.kind == kind for r in results)):.0%}"
            for kind in dict.fromkeys(MIX)
        )
    )
    print(f"    {client_line(results, probe, workers)}", flush=True)
    return unexpected(results)


def main() -> None:
    # The kept database's seed version, read before bench_database makes it (its name).
    kept = kept_version(f"{ADMIN_URL.rsplit('/', 1)[1]}_load")
    with bench_database("load", keep=True) as name, tempfile.TemporaryDirectory() as logs:
        owner, app = role_env(name, "owner"), role_env(name, "app")
        region, user = seeded_region(name, kept, owner)
        cookie, references = staff_session(region, user)
        from django.db import connections

        connections.close_all()
        server = Server(app, name, Path(logs) / "gunicorn.log")
        try:
            # Every worker's first requests of a page import and compile for seconds on a
            # busy machine: a few answers per worker of each page first.
            requests = Requests(cookie, references, MIX)
            asyncio.run(closed_loop(server.port, requests, WORKERS, samples=3 * WORKERS))
            print(f"gunicorn workers: {WORKERS}, {CASES} cases, client on the same machine, "
                  f"{load()}", flush=True)  # fmt: skip
            failures = pages_alone(server, cookie, references)
            most, more = mixed(server, cookie, references)
            failures += more
            for factor, title in ((0.7, "sustainable"), (2.0, "twice what the mix answered")):
                failures += open_at(server, cookie, references, most, factor, title)
            if failures:
                sys.exit(f"answers neither 200 nor a 503 refusal: {dict(failures)}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
