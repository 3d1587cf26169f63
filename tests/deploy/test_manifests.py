"""Every Kustomize overlay renders, and each manifest is valid for Kubernetes, offline.

Kubernetes' own kinds are checked with kubernetes-validate's bundled schemas
(strict: an unknown field fails). CloudNativePG's kinds are checked against
the subset of their CRD schema in schemas/ (see the note there). Then what
the platform relies on: session pooling, one beat, probes, and which role
each process connects as.
"""

import os
import shutil
import subprocess
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

from tests.conftest import REPO

K8S = REPO / "deploy" / "k8s"
KUBERNETES_VERSION = "1.30.0"
CRD_SCHEMAS = yaml.safe_load(
    (Path(__file__).parent / "schemas" / "postgresql.cnpg.io-v1.yaml").read_text()
)
OVERLAYS = sorted(path.name for path in (K8S / "overlays").iterdir() if path.is_dir())


def render(overlay: str) -> list[dict]:
    kubectl = os.environ.get("KUBECTL") or shutil.which("kubectl")
    assert kubectl, "kubectl is missing: `make test` installs Debian's kubernetes-client"
    result = subprocess.run(
        [kubectl, "kustomize", str(K8S / "overlays" / overlay)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return [document for document in yaml.safe_load_all(result.stdout) if document]


@pytest.fixture(scope="module", params=OVERLAYS)
def manifests(request) -> dict[tuple[str, str], dict]:
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in render(request.param)}


def test_there_are_staging_and_production_overlays():
    assert {"staging", "production"} <= set(OVERLAYS)


def test_every_manifest_is_valid(manifests):
    for (kind, name), document in manifests.items():
        if document["apiVersion"].split("/")[0].endswith("cnpg.io"):
            jsonschema.validate(
                document, CRD_SCHEMAS[kind] | {"definitions": CRD_SCHEMAS["definitions"]}
            )
        else:
            kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
        assert document["metadata"].get("namespace") or kind == "Namespace", (kind, name)


def test_an_invalid_manifest_is_caught(manifests):
    web = manifests[("Deployment", "meldpunt-web")]
    broken = web | {"spec": web["spec"] | {"replicas": "twee"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)
    pooler = manifests[("Pooler", "meldpunt-db-pooler")]
    misspelt = pooler | {"spec": pooler["spec"] | {"poolmode": "session"}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            misspelt, CRD_SCHEMAS["Pooler"] | {"definitions": CRD_SCHEMAS["definitions"]}
        )


def container(manifests, kind: str, name: str) -> dict:
    return manifests[(kind, name)]["spec"]["template"]["spec"]["containers"][0]


def database_url(spec: dict) -> str:
    return next(env["value"] for env in spec["env"] if env["name"] == "DATABASE_URL")


def test_the_pooler_keeps_sessions_and_the_app_connects_through_it(manifests):
    assert manifests[("Pooler", "meldpunt-db-pooler")]["spec"]["pgbouncer"]["poolMode"] == "session"
    for kind, name in (
        ("Deployment", "meldpunt-web"),
        ("Deployment", "meldpunt-worker"),
        ("StatefulSet", "meldpunt-beat"),
    ):
        url = database_url(container(manifests, kind, name))
        assert url.startswith("postgres://meldpunt_app:") and "@meldpunt-db-pooler:" in url
    migrate = database_url(container(manifests, "Job", "meldpunt-migrate"))
    assert migrate.startswith("postgres://meldpunt_owner:")
    roles = manifests[("Cluster", "meldpunt-db")]["spec"]["managed"]["roles"]
    assert [(r["name"], r["superuser"], r["inherit"]) for r in roles] == [
        ("meldpunt_app", False, False)
    ]


def test_web_is_probed_and_scaled_and_beat_runs_once(manifests):
    web = container(manifests, "Deployment", "meldpunt-web")
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert (
        manifests[("HorizontalPodAutoscaler", "meldpunt-web")]["spec"]["scaleTargetRef"]["name"]
        == "meldpunt-web"
    )
    beat = manifests[("StatefulSet", "meldpunt-beat")]["spec"]
    assert beat["replicas"] == 1
    assert manifests[("NetworkPolicy", "default-deny")]["spec"]["podSelector"] == {}
    assert (
        manifests[("ScheduledBackup", "meldpunt-db-nightly")]["spec"]["cluster"]["name"]
        == "meldpunt-db"
    )
