"""A Celery worker's liveness probe that does not go through the broker.

The worker's event loop touches a file every few seconds (`Heartbeat`, a worker
bootstep); `probe()` exits non-zero when the file has gone stale, so
a worker whose loop stopped turning is restarted. Celery also stops that loop while it
waits to reconnect to an unreachable broker; restarting then would only restart every
worker of the cluster during a Redis outage, so a stale file with the broker's port
closed passes.
"""

import os
import socket
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from celery import bootsteps

# The pod's own /tmp (an emptyDir; the root filesystem is read-only), shared with nobody.
HEARTBEAT_FILE = Path(
    os.environ.get("WORKER_HEARTBEAT_FILE", "/tmp/worker-heartbeat")  # noqa: S108 # nosec B108
)
STALE_AFTER_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_STALE_AFTER", "120"))
HEARTBEAT_SECONDS = min(10.0, STALE_AFTER_SECONDS / 4)


class Heartbeat(bootsteps.StartStopStep):
    """Touches HEARTBEAT_FILE from the worker's event loop (its timer runs in the loop)."""

    requires = {"celery.worker.components:Hub"}

    def __init__(self, worker, **kwargs) -> None:
        super().__init__(worker, **kwargs)
        self.entry = None

    def start(self, worker) -> None:
        touch()
        self.entry = worker.timer.call_repeatedly(HEARTBEAT_SECONDS, touch)

    def stop(self, worker) -> None:
        if self.entry is not None:
            self.entry.cancel()
        HEARTBEAT_FILE.unlink(missing_ok=True)


def touch() -> None:
    HEARTBEAT_FILE.touch()


def broker_reachable(url: str, timeout: float = 2.0) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout):
            return True
    except OSError:
        return False


def alive(now: float | None = None) -> tuple[bool, str]:
    """Whether the probe passes, and why."""
    try:
        age = (now or time.time()) - HEARTBEAT_FILE.stat().st_mtime
    except FileNotFoundError:
        return False, f"no heartbeat file {HEARTBEAT_FILE}"
    if age <= STALE_AFTER_SECONDS:
        return True, f"event loop turned {age:.0f} s ago"
    if not broker_reachable(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")):
        return True, f"event loop waits for the unreachable broker ({age:.0f} s)"
    return False, f"event loop stopped {age:.0f} s ago while the broker is reachable"


def probe() -> None:
    """The exec probe: `python3 -c 'from meldpunt.worker_liveness import probe; probe()'`."""
    passed, reason = alive()
    print(reason)
    sys.exit(0 if passed else 1)
