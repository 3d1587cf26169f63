"""The Celery app. Tasks run in the schema of the region that queued them."""

import os

from tenant_schemas_celery.app import CeleryApp

from meldpunt.worker_liveness import Heartbeat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldpunt.settings")

app = CeleryApp("meldpunt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The liveness probe of deploy/k8s/base/worker.yaml reads the file this step touches.
app.steps["worker"].add(Heartbeat)
