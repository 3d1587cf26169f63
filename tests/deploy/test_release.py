"""deploy/k8s/release.sh applies in order, waits within bounds and stops on a failed migration.

kubectl is replaced by tests/deploy/fake_kubectl (there is no cluster here): it renders
with the real kubectl and records the kinds each step would apply.
"""

import json
import os
import shutil
import subprocess
import sys
import time

from tests.conftest import REPO

RELEASE = REPO / "deploy" / "k8s" / "release.sh"
FAKE = REPO / "tests" / "deploy" / "fake_kubectl"


def release(tmp_path, job: str, **env: str) -> tuple[subprocess.CompletedProcess, list[dict]]:
    kubectl = os.environ.get("KUBECTL") or shutil.which("kubectl")
    assert kubectl, "kubectl is missing: `make test` installs Debian's kubernetes-client"
    log = tmp_path / "kubectl.log"
    python = os.path.dirname(sys.executable)
    result = subprocess.run(
        ["bash", str(RELEASE), "production"],
        env=os.environ | env | {
            "PATH": f"{FAKE}:{python}:{os.environ['PATH']}",
            "REAL_KUBECTL": kubectl, "FAKE_KUBECTL_LOG": str(log), "FAKE_JOB": job,
        },
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return result, calls


def applied(calls: list[dict]) -> list[list[str]]:
    return [call["apply"] for call in calls if "apply" in call]


def test_namespace_settings_database_migration_then_the_rest(tmp_path):
    result, calls = release(tmp_path, "complete")
    assert result.returncode == 0, result.stderr
    namespace, config, database, migrate, everything = applied(calls)
    assert namespace == ["Namespace"]
    assert config == ["ConfigMap"]
    assert sorted(database) == ["Cluster", "ObjectStore", "Pooler", "ScheduledBackup"]
    assert migrate == ["Job"]
    assert {"Deployment", "StatefulSet", "NetworkPolicy", "Ingress"} <= set(everything)
    waits = [call["other"] for call in calls if "other" in call and "wait" in call["other"]]
    assert waits and all(any(a.startswith("--timeout=") for a in wait) for wait in waits)


def test_a_failed_migration_stops_the_release_with_its_log(tmp_path):
    result, calls = release(tmp_path, "failed")
    assert result.returncode == 1
    assert "the migration Job failed" in result.stderr
    assert ["Job"] in applied(calls) and applied(calls)[-1] == ["Job"]
    assert any("logs" in call.get("other", []) for call in calls)


def test_a_migration_that_never_ends_is_waited_for_within_a_bound(tmp_path):
    seconds = 3
    started = time.monotonic()
    result, calls = release(tmp_path, "running", MIGRATE_TIMEOUT_SECONDS=str(seconds))
    assert result.returncode == 1 and "did not finish within" in result.stderr
    assert time.monotonic() - started < seconds + 30
    assert applied(calls)[-1] == ["Job"]
