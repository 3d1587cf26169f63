"""gunicorn settings shared by `make run`, the browser tests, the bench and the container image.

With PROMETHEUS_MULTIPROC_DIR set (the Kubernetes web Deployment sets it),
every worker writes its django-prometheus metrics there and the master serves
them all on METRICS_PORT: a port of its own, never on the public domains.
Logs are JSON lines without personal data unless LOG_FORMAT=text.
"""

import multiprocessing
import os
import sys
from pathlib import Path

pythonpath = "platform"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "platform"))
wsgi_app = "meldpunt.wsgi"
workers = int(os.environ.get("WEB_CONCURRENCY", min(4, multiprocessing.cpu_count() * 2)))
timeout = 30
# The sync worker that stamps each request with the kernel's arrival time
# (meldpunt/arrival.py): a request that waited too long for it is refused with a 503
# (meldpunt/overload.py) instead of being served to a client that has left.
worker_class = "meldpunt.arrival.ArrivalStampingWorker"
# Connections waiting for a worker, bounded: beyond this the kernel takes no more and
# the client's TCP retries, rather than queueing minutes of work nobody waits for.
backlog = 512
# Bodies larger than Django's limits are refused there; this caps header abuse.
limit_request_field_size = 8190
accesslog = "-"
# No client address and no query string in the access log: they may identify a reporter.
access_log_format = '"%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss'
# Makes only the atoms that format and the JSON lines use (meldpunt/logs.py).
logger_class = "meldpunt.logs.AccessLogger"
control_socket_disable = True
# The scheme (X-Forwarded-Proto) is believed from these proxies only; Django reads the
# client address from X-Forwarded-For by the same list (TRUSTED_PROXIES in the README).
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "")

METRICS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
METRICS_PORT = int(os.environ.get("METRICS_PORT", "9100"))

if os.environ.get("LOG_FORMAT", "text" if os.environ.get("DEBUG") == "1" else "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"no_personal_data": {"()": "meldpunt.logs.PersonalDataFilter"}},
        "formatters": {"json": {"()": "meldpunt.logs.JsonLogFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["no_personal_data"],
                "stream": "ext://sys.stdout",
            }
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }


def on_starting(server) -> None:
    if METRICS_DIR:
        Path(METRICS_DIR).mkdir(parents=True, exist_ok=True)
        # Files of a previous run would add dead workers' counts to the new ones.
        for stale in Path(METRICS_DIR).glob("*.db"):
            stale.unlink()


def when_ready(server) -> None:
    if METRICS_DIR:
        from prometheus_client import CollectorRegistry, multiprocess, start_http_server

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        start_http_server(METRICS_PORT, registry=registry)


def child_exit(server, worker) -> None:
    if METRICS_DIR:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
