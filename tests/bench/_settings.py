"""Production settings for the load benchmark, with static files served without a manifest.

`collectstatic` with DEBUG=0 does not yet build the manifest (issue 12, item 2);
everything else is as in production.
"""

from meldpunt.settings import *  # noqa: F403
from meldpunt.settings import STORAGES

STORAGES = STORAGES | {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
}
