"""A mixed load against gunicorn as configured: case list, case page, dashboard, public form.

On a database of its own with the demo regions (50 cases each), gunicorn runs
deploy/gunicorn.conf.py with production settings as the application role. An
asyncio client on the same machine first keeps CONCURRENCY requests in flight
for SECONDS (the most it serves), then sends TARGET_RATE requests per second
on a fixed schedule for SECONDS (latency counted from the scheduled time, so
queueing shows), then 70 % of the most it served, the same way. Goal: 200
requests/s with p99 under 250 ms and no errors.
"""

import asyncio
import itertools
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _database import BASE_DOMAIN, REPO, bench_database, role_env, setup_django

SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
TARGET_RATE = float(os.environ.get("BENCH_TARGET_RATE", "200"))
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


async def fetch(port: int, host: str, path: str, cookie: str) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-Proto: https\r\n"
        f"Cookie: {cookie}\r\nConnection: close\r\n\r\n".encode()
    )
    await writer.drain()
    head = await reader.readline()
    await reader.read()
    writer.close()
    return int(head.split()[1])


def requests_mix(cookie: str, references: list[str]):
    host = f"twente.{BASE_DOMAIN}"
    cases = itertools.cycle(references)
    kinds = ["case list"] * 3 + ["case page"] * 3 + ["dashboard"] * 2 + ["public form"] * 2
    for kind in itertools.cycle(kinds):
        path = {
            "case list": "/casussen/",
            "case page": f"/casussen/{next(cases)}/",
            "dashboard": "/",
            "public form": "/melden/meldformulier/",
        }[kind]
        yield kind, host, path, "" if kind == "public form" else cookie


async def timed(port, request, results, scheduled=None) -> None:
    kind, host, path, cookie = request
    started = scheduled if scheduled is not None else time.perf_counter()
    try:
        status = await fetch(port, host, path, cookie)
    except OSError:
        status = 0
    results.append((kind, status, time.perf_counter() - started))


async def closed_loop(port, mix, seconds) -> tuple[list, float]:
    results, start = [], time.perf_counter()

    async def user() -> None:
        while time.perf_counter() < start + seconds:
            await timed(port, next(mix), results)

    await asyncio.gather(*(user() for _ in range(CONCURRENCY)))
    return results, time.perf_counter() - start


async def open_loop(port, mix, seconds, rate) -> tuple[list, float]:
    results, tasks = [], []
    start = time.perf_counter()
    for number in range(int(seconds * rate)):
        scheduled = start + number / rate
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        tasks.append(asyncio.create_task(timed(port, next(mix), results, scheduled)))
    await asyncio.gather(*tasks)
    return results, time.perf_counter() - start


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def processes(server_pid: int, database: str) -> dict[str, list[int]]:
    from django.db import connection

    children = subprocess.run(["pgrep", "-P", str(server_pid)], capture_output=True, text=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        backends = [row[0] for row in cursor.fetchall()]
    return {
        "gunicorn workers": [int(pid) for pid in children.stdout.split()],
        "PostgreSQL backends": backends,
        "load client": [os.getpid()],
    }


def measured(title: str, run, server_pid: int, database: str) -> tuple[float, int]:
    """Runs a load, prints what it got and what it cost; returns requests per second and
    how many answers were not 200."""
    before = {
        name: {pid: cpu_seconds(pid) for pid in pids}
        for name, pids in processes(server_pid, database).items()
    }
    results, elapsed = asyncio.run(run)
    used = {
        name: sum(cpu_seconds(pid) - before[name].get(pid, 0.0) for pid in pids)
        for name, pids in processes(server_pid, database).items()
    }
    failed = report(title, results, elapsed)
    print("    CPU per request: " + ", ".join(
        f"{name} {used[name] / len(results) * 1000:.1f} ms" for name in used
    ) + f"  (machine: {os.cpu_count()} cores)")  # fmt: skip
    print(f"    load: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    return len(results) / elapsed, failed


def report(title: str, results: list, seconds: float) -> int:
    def p(values, q):
        return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else 0.0

    latencies = [latency for _, _, latency in results]
    errors = [status for _, status, _ in results if status != 200]
    print(
        f"{title}: {len(results) / seconds:.0f} requests/s, p50 {p(latencies, 50):.0f} ms, "
        f"p99 {p(latencies, 99):.0f} ms, {len(errors)} not 200 {sorted(set(errors))}"
    )
    for kind in dict.fromkeys(kind for kind, _, _ in results):
        own = [latency for k, _, latency in results if k == kind]
        print(
            f"    {kind:<12} {len(own):>6} requests  p50 {p(own, 50):>5.0f} ms  p99 {p(own, 99):>5.0f} ms"
        )
    return len(errors)


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
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}"],
            cwd=REPO, env=os.environ | app | PRODUCTION, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            mix = requests_mix(cookie, references)
            for _ in range(100):
                try:
                    asyncio.run(fetch(port, f"twente.{BASE_DOMAIN}", "/healthz", ""))
                    break
                except OSError:
                    time.sleep(0.2)
            asyncio.run(closed_loop(port, mix, 3))  # warm every worker
            print(f"gunicorn workers: {os.environ.get('WEB_CONCURRENCY', 'as configured')}, "
                  f"{os.cpu_count()} cores, client on the same machine")  # fmt: skip
            most, failed = measured(
                f"closed loop, {CONCURRENCY} in flight",
                closed_loop(port, mix, SECONDS),
                server.pid,
                name,
            )
            for rate in (TARGET_RATE, round(most * 0.7)):
                failed += measured(
                    f"open loop at {rate:.0f}/s",
                    open_loop(port, mix, SECONDS, rate),
                    server.pid,
                    name,
                )[1]
            if failed:
                # A redirect or an error page is fast: such figures measure nothing.
                sys.exit(f"{failed} answers were not 200: the figures above do not count")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
