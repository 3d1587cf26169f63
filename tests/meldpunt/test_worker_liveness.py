"""A worker's liveness probe: a Redis outage restarts no worker, a worker whose loop stopped fails.

A real prefork worker on a Redis of the test's own; the probe runs as the Kubernetes
manifest runs it (deploy/k8s/base/worker.yaml), in a process of its own.
"""

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.serving import REPO, OwnRedis

pytestmark = pytest.mark.worker
STALE_AFTER = 4


def probe(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from meldpunt.worker_liveness import probe; probe()"],
        cwd=REPO, env=env, capture_output=True, text=True,
    )  # fmt: skip


def passes_within(env: dict[str, str], seconds: float) -> subprocess.CompletedProcess:
    deadline = time.monotonic() + seconds
    while (result := probe(env)).returncode != 0 and time.monotonic() < deadline:
        time.sleep(0.5)
    return result


def test_the_probe_follows_the_event_loop_and_forgives_a_missing_broker(tmp_path):
    redis = OwnRedis()
    redis.start()
    env = os.environ | {
        "PYTHONPATH": "platform",
        "DEBUG": "1",
        "REDIS_URL": redis.url,
        "WORKER_HEARTBEAT_FILE": str(tmp_path / "heartbeat"),
        "WORKER_HEARTBEAT_STALE_AFTER": str(STALE_AFTER),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "meldpunt", "worker", "--concurrency", "1",
         "--without-gossip", "--without-mingle"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert passes_within(env, 60).returncode == 0

        redis.stop()
        time.sleep(STALE_AFTER * 2)
        during_outage = probe(env)
        assert during_outage.returncode == 0, during_outage.stdout

        redis.start()
        assert "turned" in passes_within(env, 30).stdout  # the loop runs again

        worker.send_signal(signal.SIGSTOP)  # a loop that stopped turning, broker up
        time.sleep(STALE_AFTER + 2)
        stopped = probe(env)
        assert stopped.returncode == 1 and "broker is reachable" in stopped.stdout
        worker.send_signal(signal.SIGCONT)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        redis.stop()
