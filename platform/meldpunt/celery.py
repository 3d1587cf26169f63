"""The Celery app. Tasks run in the schema of the region that queued them."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldpunt.settings")

app = CeleryApp("meldpunt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
