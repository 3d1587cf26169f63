"""The layers point one way (pyproject.toml, [tool.importlinter]), and a Celery worker
imports only modules that hold tasks."""

import os
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
# The only modules Celery's autodiscovery may import (`<app>.tasks`): the import
# contract "workers-without-screens" keeps the screens and the API out of them.
TASK_MODULES = {
    "meldpunt.tasks",
    "accounts.tasks",
    "workflow.tasks",
    "privacy.tasks",
    "statistiek.tasks",
}


def test_every_import_follows_the_contracts() -> None:
    environment = os.environ | {"PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")])}
    linted = subprocess.run(
        [Path(sys.executable).with_name("lint-imports"), "--no-cache"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_only_task_modules_are_named_tasks() -> None:
    """Celery's autodiscovery imports every installed app's `tasks` module into every
    worker: a module of another kind under that name drags its imports along."""
    named_tasks = {
        f"{config.name}.tasks"
        for config in apps.get_app_configs()
        if find_spec(f"{config.name}.tasks") is not None
    }
    assert named_tasks == TASK_MODULES
