"""gunicorn as configured serves probes and exposes Prometheus metrics on a port of its own."""

import os
import subprocess
import sys
import time
import urllib.request

from tests.conftest import REPO, free_port


def get(port: int, path: str, host: str = "127.0.0.1") -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (loopback)
        return response.status, response.read().decode()


def test_metrics_of_every_worker_are_served_on_the_metrics_port(tmp_path, settings):
    web, metrics = free_port(), free_port()
    env = os.environ | {
        "DEBUG": "1",
        "PYTHONPATH": "platform",
        "WEB_CONCURRENCY": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),  # made by gunicorn
        "METRICS_PORT": str(metrics),
        "LOG_FORMAT": "json",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py",
         "--bind", f"127.0.0.1:{web}"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                assert get(web, "/healthz", host="10.0.0.7:8000")[0] == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        for _ in range(5):
            get(web, "/healthz", host="10.0.0.7:8000")
        status, body = get(metrics, "/metrics")
        assert status == 200
        counted = [
            float(line.split()[-1])
            for line in body.splitlines()
            if line.startswith("django_http_requests_before_middlewares_total ")
        ]
        assert counted and counted[0] >= 6  # summed over both workers
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    access_lines = [line for line in output.splitlines() if '"message": "request"' in line]
    assert access_lines and all('"path": "/healthz"' in line for line in access_lines)
    assert "10.0.0.7" not in output and "127.0.0.1" not in "".join(access_lines)
