"""`make bench`: what acting as the region's own database role costs a request.

On a database of its own with the region Twente, two gunicorn servers (one sync
worker each, production settings) answer the same public page (reading the region's forms): one as the
application role, sending `SET ROLE <region role>; SET search_path = ...` once
per request (as production does), the other as the schemas' owner without an
application role, sending `SET search_path = ...` alone (one role doing
everything, as before region roles). Requests alternate between the two, one
at a time; per request the CPU time of the gunicorn worker and of its
PostgreSQL backend is read from /proc/<pid>/schedstat (nanoseconds). Prints
percentiles of both and of the wall time, the load average, and the round trip
of the statement alone on a plain connection.
"""

import http.client
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
from _database import ADMIN_ENV, BASE_DOMAIN, REPO, bench_database, role_env
from load import PRODUCTION, free_port

sys.path[:0] = [str(REPO), str(REPO / "platform")]
from tenants.services.app_role import region_role_prefix  # noqa: E402

SAMPLES = int(os.environ.get("BENCH_ROLE_SAMPLES", "400"))
STATEMENTS = int(os.environ.get("BENCH_ROLE_STATEMENTS", "3000"))
HOST = f"twente.{BASE_DOMAIN}"
# The public entry of the report form: it reads the region's forms (a redirect when the
# region has one), so every request queries the region's schema, with little rendering.
PAGE = "/melden/"
ANSWERED = (200, 302)


def cpu_ns(pid: int) -> int:
    """Time the process has run on a CPU, in nanoseconds (the scheduler's own count)."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])


def get(port: int) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", PAGE, headers={"Host": HOST, "X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


class Server:
    def __init__(self, label: str, env: dict[str, str], database: str) -> None:
        self.label, self.database, self.port = label, database, free_port()
        self.user = env["DATABASE_URL"].split("//", 1)[1].split(":", 1)[0]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py",
             "--bind", f"127.0.0.1:{self.port}"],
            cwd=REPO, env=os.environ | env | PRODUCTION | {"WEB_CONCURRENCY": "1"},
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.samples: list[tuple[int, int, float]] = []

    def start(self, admin) -> None:
        for _ in range(150):
            try:
                if get(self.port) in ANSWERED:
                    break
            except OSError:
                time.sleep(0.2)
        for _ in range(30):
            assert get(self.port) in ANSWERED, f"{self.label}: {PAGE} does not answer"
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        assert len(children) == 1, f"{self.label}: expected one worker, found {children}"
        self.worker = int(children[0])
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND usename = %s "
                "AND backend_type = 'client backend'",
                [self.database, self.user],
            )
            backends = [row[0] for row in cursor.fetchall()]
        assert len(backends) == 1, f"{self.label}: expected one connection, found {backends}"
        self.backend = backends[0]

    def sample(self) -> None:
        worker, backend, started = cpu_ns(self.worker), cpu_ns(self.backend), time.perf_counter()
        assert get(self.port) in ANSWERED
        self.samples.append(
            (
                cpu_ns(self.worker) - worker,
                cpu_ns(self.backend) - backend,
                time.perf_counter() - started,
            )
        )

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def percentiles(values: list[float]) -> tuple[float, float, float, float]:
    cuts = statistics.quantiles(values, n=100)
    return statistics.median(values), cuts[89], cuts[98], statistics.mean(values)


def print_samples(servers: list[Server]) -> None:
    print(f"{len(servers[0].samples)} requests each of GET {PAGE}, alternating, one at a time")
    print(f"{'':<52} {'median':>8} {'p90':>8} {'p99':>8} {'mean':>8}")
    medians = {}
    for index, what, unit, scale in (
        (0, "gunicorn worker CPU", "µs", 1e-3),
        (1, "PostgreSQL backend CPU", "µs", 1e-3),
        (2, "wall time", "ms", 1e3),
    ):
        for server in servers:
            figures = percentiles([sample[index] * scale for sample in server.samples])
            medians[(index, server.label)] = figures[0]
            print(
                f"{what + ', ' + server.label + ' (' + unit + ')':<52} "
                + " ".join(f"{value:>8.1f}" for value in figures)
            )
    for index, what, unit in ((0, "worker CPU", "µs"), (1, "backend CPU", "µs"), (2, "wall", "ms")):
        difference = medians[(index, servers[0].label)] - medians[(index, servers[1].label)]
        print(f"difference of medians, {what}: {difference:+.1f} {unit}")


def statement_round_trips(app_env: dict[str, str], role: str) -> None:
    """The statement alone: one round trip each, on a plain connection as the app role."""
    connection = psycopg2.connect(app_env["DATABASE_URL"])
    connection.autocommit = True
    statements = {
        "SET search_path": 'SET search_path = "twente","public"',
        "SET ROLE + SET search_path": f'SET ROLE "{role}"; SET search_path = "twente","public"',
    }
    timings: dict[str, list[float]] = {label: [] for label in statements}
    with connection.cursor() as cursor:
        for _ in range(STATEMENTS):
            for label, statement in statements.items():
                started = time.perf_counter()
                cursor.execute(statement)
                timings[label].append((time.perf_counter() - started) * 1e6)
                cursor.execute("RESET ROLE")
    connection.close()
    print(f"\nThe statement alone, {STATEMENTS} round trips each on loopback (µs):")
    for label, values in timings.items():
        median, p90, p99, mean = percentiles(values)
        print(
            f"  {label:<28} median {median:6.1f}  p90 {p90:6.1f}  p99 {p99:6.1f}  mean {mean:6.1f}"
        )


def main() -> None:
    with bench_database("roles") as name:
        owner, app = role_env(name, "owner"), role_env(name, "app")
        dev = os.environ | {"PYTHONPATH": "platform", "DEBUG": "1", "BASE_DOMAIN": BASE_DOMAIN}
        subprocess.run([sys.executable, "manage.py", "migrate_schemas", "--noinput", "-v", "0"],
                       cwd=REPO, env=dev | owner, check=True)  # fmt: skip
        subprocess.run([sys.executable, "manage.py", "onboard_region", "--slug", "twente",
                        "--name", "Twente", "--preset", "twente",
                        "--admin-email", "regiobeheerder@twente.bench"],
                       cwd=REPO, env=dev | app, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        admin = psycopg2.connect(
            ADMIN_ENV.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        )
        admin.autocommit = True
        servers = [
            Server("own region role", app, name),
            Server("one role, no SET ROLE", owner | {"DATABASE_APP_ROLE": ""}, name),
        ]
        try:
            for server in servers:
                server.start(admin)
            load = os.getloadavg()
            print(
                f"Machine: {os.cpu_count()} cores, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
            )
            for _ in range(SAMPLES):
                for server in servers:
                    server.sample()
            print_samples(servers)
        finally:
            for server in servers:
                server.stop()
            admin.close()
        statement_round_trips(app, region_role_prefix(name) + "twente")
        load = os.getloadavg()
        print(f"Load afterwards: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
