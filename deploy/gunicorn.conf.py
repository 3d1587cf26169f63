"""gunicorn settings shared by `make run`, the browser tests and the container image."""

import multiprocessing
import os

pythonpath = "platform"
wsgi_app = "meldpunt.wsgi"
workers = int(os.environ.get("WEB_CONCURRENCY", min(4, multiprocessing.cpu_count() * 2)))
timeout = 30
# Bodies larger than Django's limits are refused there; this caps header abuse.
limit_request_field_size = 8190
accesslog = "-"
# No query strings in the access log: they may hold a case code.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss'
control_socket_disable = True
# The scheme (X-Forwarded-Proto) is believed from these proxies only; Django reads the
# client address from X-Forwarded-For by the same list (TRUSTED_PROXIES in the README).
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "")
