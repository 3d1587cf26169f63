"""Production settings for the load benchmark, with static files served without a manifest.

`make bench` collects static files as `make run` does, without the manifest that the
production image builds; everything else is as in production.
"""

from meldpunt.settings import *  # noqa: F403
from meldpunt.settings import STORAGES

STORAGES = STORAGES | {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
}
