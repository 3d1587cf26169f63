"""What every benchmark prints with its figures: true percentiles, the load average, and
the CPU that requests cost in gunicorn's workers and in PostgreSQL's backends."""

import math
import os
import threading
from pathlib import Path

MIN_SAMPLES = 200  # fewer, and a p99 is the second-largest value: not a percentile
TICK = os.sysconf("SC_CLK_TCK")


def load() -> str:
    """The machine's load average (1, 5, 15 min) and its cores, to print beside a figure."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def percentile(values: list[float], q: float) -> float | None:
    """The nearest-rank percentile (a value that was measured), or None with too few."""
    if len(values) < MIN_SAMPLES:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def ms(value: float | None) -> str:
    return f"{value * 1000:.0f} ms" if value is not None else f"n<{MIN_SAMPLES}"


def proc_stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU of a process, from /proc; None once it has gone."""
    fields = proc_stat(pid)
    return None if fields is None else (int(fields[11]) + int(fields[12])) / TICK


def reaped_children_seconds(pid: int) -> float:
    """CPU of a process's children that ended and were waited for (cutime + cstime)."""
    fields = proc_stat(pid)
    return 0.0 if fields is None else (int(fields[13]) + int(fields[14])) / TICK


def child_pids(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in children.read_text().split()] if children.exists() else []


class CpuMeter:
    """CPU that gunicorn's workers and the database's backends use from start() to stop().

    Workers: the live ones' counters plus what the master reaped of those that ended
    (less what they had used before the start). Backends: PostgreSQL's pids of the
    database, read every 0.1 s and once more at the end, so a connection that was
    recycled during the run (CONN_MAX_AGE) counts up to its last reading; the number
    of those is reported.
    """

    def __init__(self, master_pid: int, database: str, dsn: dict) -> None:
        self.master, self.database, self.dsn = master_pid, database, dsn

    def backend_pids(self, cursor) -> list[int]:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'",
            [self.database],
        )
        return [row[0] for row in cursor.fetchall()]

    def start(self) -> None:
        import psycopg2

        self.workers_before = {pid: cpu_seconds(pid) or 0.0 for pid in child_pids(self.master)}
        self.reaped_before = reaped_children_seconds(self.master)
        self.connection = psycopg2.connect(**self.dsn)
        self.connection.autocommit = True
        with self.connection.cursor() as cursor:
            self.backends_before = {
                pid: cpu_seconds(pid) or 0.0 for pid in self.backend_pids(cursor)
            }
        self.backends_last = dict(self.backends_before)
        self.stopping = threading.Event()
        self.sampler = threading.Thread(target=self.sample_until_stopped, daemon=True)
        self.sampler.start()

    def sample(self, cursor) -> None:
        for pid in self.backend_pids(cursor):
            if (used := cpu_seconds(pid)) is not None:
                self.backends_last[pid] = used

    def sample_until_stopped(self) -> None:
        with self.connection.cursor() as cursor:
            while not self.stopping.wait(0.1):
                self.sample(cursor)

    def stop(self) -> dict[str, float]:
        """Seconds of CPU: 'workers', 'database', and 'backends ended' (a count)."""
        self.stopping.set()
        self.sampler.join()
        with self.connection.cursor() as cursor:
            self.sample(cursor)
            live = set(self.backend_pids(cursor))
        self.connection.close()
        workers_now = {pid: cpu_seconds(pid) for pid in child_pids(self.master)}
        gone = set(self.workers_before) - {pid for pid, used in workers_now.items() if used}
        workers = (
            sum(
                used - self.workers_before.get(pid, 0.0)
                for pid, used in workers_now.items()
                if used
            )
            + reaped_children_seconds(self.master)
            - self.reaped_before
            - sum(self.workers_before[pid] for pid in gone)
        )
        database = sum(
            used - self.backends_before.get(pid, 0.0) for pid, used in self.backends_last.items()
        )
        return {
            "workers": workers,
            "database": database,
            "backends ended": len(set(self.backends_last) - live),
        }
