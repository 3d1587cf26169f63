"""deploy/compose.yaml gives each service only what it needs, pins its images and checks health."""

import re

import yaml

from tests.conftest import REPO

COMPOSE = yaml.safe_load((REPO / "deploy" / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
APPLICATION = ("web", "worker", "beat")


def test_web_worker_and_beat_get_the_app_role_and_no_other_password():
    for name in APPLICATION:
        service = SERVICES[name]
        assert "env_file" not in service, name
        environment = service["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://meldpunt_app:"), name
        text = yaml.safe_dump(environment)
        assert "POSTGRES_PASSWORD" not in text and "DATABASE_OWNER_PASSWORD" not in text, name
    assert SERVICES["migrate"]["environment"]["DATABASE_URL"].startswith(
        "postgres://meldpunt_owner:"
    )
    assert "EMAIL_HOST_PASSWORD" in SERVICES["worker"]["environment"]
    assert "EMAIL_HOST_PASSWORD" not in SERVICES["web"]["environment"]


def test_images_are_pinned_and_services_are_health_checked():
    for name in ("db", "redis", "clamav"):
        assert re.search(r":\d+\.\d+(\.\d+)?(-|$)", SERVICES[name]["image"]), name
        assert SERVICES[name]["healthcheck"]["test"], name
    assert SERVICES["worker"]["healthcheck"]["test"]
    # web inherits the image's own check.
    assert "HEALTHCHECK" in (REPO / "deploy" / "Dockerfile").read_text()
    assert SERVICES["web"]["read_only"] is True
