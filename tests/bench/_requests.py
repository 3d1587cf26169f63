"""Requests through Django's full path in the benchmark's own process, measured as CPU:
the process's own (user + system, all threads) and its PostgreSQL backend's (from
/proc), per request, beside the wall time and the machine's load.

Imported from the scripts' own folder (`import _requests`, before Django's code is on
the path), so that a script measuring the code of another checkout (main's, for the
"before": `measure_before`) measures it with this checkout's measurement. Queries run
in the one backend: the benchmark database has parallel query off, or the CPU of
PostgreSQL's parallel workers would go uncounted.
"""

import os
import statistics
import subprocess
import sys
import time

from _measure import cpu_seconds, load

NO_PARALLEL = "max_parallel_workers_per_gather = 0"


def setup_django() -> None:
    """Django in this process, with the settings and database the environment names."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldpunt.settings")
    import django

    django.setup()


def measure_before(script: str, base: str) -> None:
    """Runs `script --measure` with the code of the checkout `base` (main's) on the
    database seeded here, from that checkout: importing Celery puts the working
    directory first on sys.path, so run from here "before" ran this checkout's code."""
    subprocess.run(
        [sys.executable, script, "--measure"],
        env=os.environ | {"BENCH_CODE": base},
        check=True,
        cwd=base,
    )


def backend_seconds() -> float:
    """CPU used so far by this process's PostgreSQL backend."""
    from django.db import connection

    connection.ensure_connection()
    return cpu_seconds(connection.connection.info.backend_pid)


def sampled(request, n: int) -> dict[str, list[float]]:
    """Runs `request()` n times; per run: wall, this process's CPU and the backend's (ms)."""
    samples: dict[str, list[float]] = {"wall": [], "django": [], "postgres": []}
    for _ in range(n):
        backend = backend_seconds()
        cpu, wall = time.process_time(), time.perf_counter()
        request()
        samples["wall"].append((time.perf_counter() - wall) * 1000)
        samples["django"].append((time.process_time() - cpu) * 1000)
        samples["postgres"].append((backend_seconds() - backend) * 1000)
    return samples


def header(width: int = 48) -> str:
    return (
        f"{'':<{width}} {'CPU/request ms (django + postgres)':>38}  {'wall ms':>15}\n"
        f"{'request':<{width}} {'median':>8} {'max':>7} {'mean':>7} {'= dj + pg':>13}"
        f"  {'median':>7} {'max':>7}"
    )


def line(label: str, samples: dict[str, list[float]], width: int = 48) -> str:
    """Median and max of n (n < 200: no percentiles), and the mean split in its parts."""
    cpu = [dj + pg for dj, pg in zip(samples["django"], samples["postgres"], strict=True)]
    n = len(cpu)
    mean_dj, mean_pg = statistics.mean(samples["django"]), statistics.mean(samples["postgres"])
    return (
        f"{label:<{width}} {statistics.median(cpu):>8.0f} {max(cpu):>7.0f} {mean_dj + mean_pg:>7.0f}"
        f" {mean_dj:>6.0f} +{mean_pg:>5.0f}  {statistics.median(samples['wall']):>7.0f}"
        f" {max(samples['wall']):>7.0f}  max of {n}; {load()}"
    )


def get(client, url: str, n: int, label: str, width: int = 48, prepare=None) -> str:
    """`url` once to warm up (it must answer 200), then n times measured; `prepare`
    runs before each (unmeasured), e.g. to empty a cache."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)

    def request() -> None:
        client.get(url)

    if prepare is None:
        return line(label, sampled(request, n), width)
    samples: dict[str, list[float]] = {"wall": [], "django": [], "postgres": []}
    for _ in range(n):
        prepare()
        for key, values in sampled(request, 1).items():
            samples[key] += values
    return line(label, samples, width)
