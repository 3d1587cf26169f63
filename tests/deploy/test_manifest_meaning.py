"""What the rendered manifests mean once applied, over every overlay: who may talk to whom.

test_manifests.py checks that each manifest is well-formed; this module evaluates the
NetworkPolicies as Kubernetes does, against the pods the render makes — our workloads
and the pods the CloudNativePG operator makes for the Cluster and the Pooler, with the
labels the operator gives them — and against the cluster's own pods we rely on (DNS,
the ingress controller, Prometheus, the operator). Then: pinned images, the image's
uid, TRUSTED_PROXIES, the ingress body limit and where secrets live.
"""

import copy
import ipaddress
import re
from dataclasses import dataclass, field

import pytest
from django.conf import settings

from tests.conftest import REPO
from tests.deploy.test_manifests import OVERLAYS, render
from workflow.services.documents import MAX_BYTES as DOCUMENT_LIMIT

# The image's user, as deploy/Dockerfile makes it: the manifests must run as the same.
IMAGE_UID = int(re.search(r"useradd --uid (\d+)", (REPO / "deploy/Dockerfile").read_text())[1])
# Images run as the user their own image declares (redis: 999 in the official image).
# clamav: the official image's clamav user (Alpine's first system user, 100).
IMAGE_UIDS = {"meldpunt": IMAGE_UID, "redis": 999, "clamav": 100}
VERSION_TAG = re.compile(r":v?\d+\.\d+(\.\d+)?([-.][0-9A-Za-z.]+)*$|@sha256:[0-9a-f]{64}$")
SECRET_NAMES = re.compile(r"PASSWORD|SECRET|TOKEN|DSN|_KEY", re.IGNORECASE)
# A multipart upload carries the form's other fields and its boundaries besides the file.
FORM_OVERHEAD = 256 * 1024


@dataclass
class Pod:
    name: str
    namespace: str
    labels: dict[str, str]
    ports: set[int] = field(default_factory=set)


# Pods outside our namespace that the policies name, with the labels their installations give.
CLUSTER_PODS = [
    Pod("kube-dns", "kube-system", {"k8s-app": "kube-dns"}, {53}),
    Pod("ingress-nginx-controller", "ingress-nginx", {"app.kubernetes.io/name": "ingress-nginx"}),
    Pod("prometheus", "monitoring", {"app.kubernetes.io/name": "prometheus"}),
    Pod("cnpg-operator", "cnpg-system", {"app.kubernetes.io/name": "cloudnative-pg"}),
]


def matches(selector: dict | None, labels: dict[str, str]) -> bool:
    """Kubernetes' label selector: matchLabels and matchExpressions, all of them."""
    selector = selector or {}
    if any(labels.get(key) != value for key, value in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        key, operator = expression["key"], expression["operator"]
        values = expression.get("values", [])
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and key in labels and labels[key] in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


def workload_pods(manifests: dict, namespace: str) -> list[Pod]:
    """Our workloads' pods and the operator's, with the labels each really carries."""
    pods = []
    for (kind, name), document in manifests.items():
        if kind in {"Deployment", "StatefulSet", "Job"}:
            template = document["spec"]["template"]
            ports = {
                port["containerPort"]
                for container in template["spec"]["containers"]
                for port in container.get("ports", [])
            }
            pods.append(Pod(name, namespace, template["metadata"]["labels"], ports))
        elif kind == "Cluster":
            # The operator labels what it makes itself; the Cluster's own labels stay on it.
            inherited = document["spec"].get("inheritedMetadata", {}).get("labels", {})
            common = inherited | {"cnpg.io/cluster": name}
            for role in ("primary", "replica"):
                pods.append(
                    Pod(
                        f"{name}-{role}",
                        namespace,
                        common | {"cnpg.io/podRole": "instance", "cnpg.io/instanceRole": role},
                        {5432, 8000, 9187},
                    )
                )
            pods.append(Pod(f"{name}-initdb", namespace, common | {"cnpg.io/jobRole": "initdb"}))
        elif kind == "Pooler":
            template_labels = document["spec"].get("template", {}).get("metadata", {})
            pods.append(
                Pod(
                    name,
                    namespace,
                    template_labels.get("labels", {})
                    | {
                        "cnpg.io/cluster": document["spec"]["cluster"]["name"],
                        "cnpg.io/poolerName": name,
                        "cnpg.io/podRole": "pooler",
                    },
                    {5432, 9127},
                )
            )
    return pods


def namespace_labels(namespace: str) -> dict[str, str]:
    return {"kubernetes.io/metadata.name": namespace}


def peer_matches(peer: dict, policy_namespace: str, pod: Pod) -> bool:
    if "ipBlock" in peer:
        # Pod addresses are private: an ipBlock here opens the way out of the cluster only.
        network = ipaddress.ip_network(peer["ipBlock"]["cidr"])
        return network.prefixlen == 0 and not peer["ipBlock"].get("except")
    if "namespaceSelector" in peer:
        in_namespace = matches(peer["namespaceSelector"], namespace_labels(pod.namespace))
    else:
        in_namespace = pod.namespace == policy_namespace
    return in_namespace and matches(peer.get("podSelector"), pod.labels)


def port_matches(rule: dict, port: int, protocol: str) -> bool:
    ports = rule.get("ports")
    return not ports or any(
        p.get("port") in (None, port) and p.get("protocol", "TCP") == protocol for p in ports
    )


def policies(manifests: dict) -> list[dict]:
    return [document for (kind, _), document in manifests.items() if kind == "NetworkPolicy"]


def allowed(policies: list[dict], direction: str, pod: Pod, other: Pod, port: int, proto: str):
    """Whether `pod`'s policies let traffic go to (Egress) or come from (Ingress) `other`."""
    selecting = [
        policy
        for policy in policies
        if policy["metadata"]["namespace"] == pod.namespace
        and direction in policy["spec"].get("policyTypes", ["Ingress"])
        and matches(policy["spec"]["podSelector"], pod.labels)
    ]
    if not selecting:
        return True
    key, peers_key = direction.lower(), "to" if direction == "Egress" else "from"
    return any(
        port_matches(rule, port, proto)
        and (
            not rule.get(peers_key)
            or any(
                peer_matches(peer, policy["metadata"]["namespace"], other)
                for peer in rule[peers_key]
            )
        )
        for policy in selecting
        for rule in policy["spec"].get(key, [])
    )


def connects(manifests: dict, source: Pod, target: Pod, port: int, proto: str = "TCP") -> bool:
    rules = policies(manifests)
    return allowed(rules, "Egress", source, target, port, proto) and allowed(
        rules, "Ingress", target, source, port, proto
    )


def namespace_of(manifests: dict) -> str:
    return next(name for kind, name in manifests if kind == "Namespace")


def everyone(manifests: dict) -> list[Pod]:
    return workload_pods(manifests, namespace_of(manifests)) + CLUSTER_PODS


def pod(manifests: dict, name: str) -> Pod:
    return next(p for p in everyone(manifests) if p.name == name)


def selector_problems(manifests: dict) -> list[str]:
    """Every policy's selectors that select no pod that exists in the render or the cluster."""
    namespace = namespace_of(manifests)
    pods = everyone(manifests)
    problems = []
    for policy in policies(manifests):
        name = policy["metadata"]["name"]
        own = [p for p in pods if p.namespace == namespace]
        if not any(matches(policy["spec"]["podSelector"], p.labels) for p in own):
            problems.append(f"{name}: its podSelector selects no pod")
        for rule in policy["spec"].get("ingress", []) + policy["spec"].get("egress", []):
            for peer in rule.get("from", []) + rule.get("to", []):
                if "ipBlock" not in peer and not any(
                    peer_matches(peer, namespace, p) for p in pods
                ):
                    problems.append(f"{name}: the peer {peer} is no pod")
    return problems


@pytest.fixture(scope="module", params=OVERLAYS)
def manifests(request) -> dict[tuple[str, str], dict]:
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in render(request.param)}


def test_every_pod_reaches_dns(manifests):
    dns = pod(manifests, "kube-dns")
    for source in workload_pods(manifests, namespace_of(manifests)):
        for protocol in ("UDP", "TCP"):
            assert connects(manifests, source, dns, 53, protocol), (source.name, protocol)


def test_every_policy_selects_pods_that_exist(manifests):
    assert selector_problems(manifests) == []


def test_a_selector_on_a_label_no_workload_carries_is_caught(manifests):
    changed = copy.deepcopy(manifests)
    web_policy = changed[("NetworkPolicy", "web-from-ingress-and-prometheus")]
    web_policy["spec"]["podSelector"] = {"matchLabels": {"app.kubernetes.io/component": "webb"}}
    assert selector_problems(changed) == [
        "web-from-ingress-and-prometheus: its podSelector selects no pod"
    ]


def test_common_labels_on_the_policies_would_cut_off_dns_and_postgres(manifests):
    # What kustomize's commonLabels did: a label on our pods and in every selector,
    # NetworkPolicies' included, while the operator's pods and kube-dns never carry it.
    changed = copy.deepcopy(manifests)
    for (kind, _), document in changed.items():
        if kind in {"Deployment", "StatefulSet", "Job"}:
            document["spec"]["template"]["metadata"]["labels"]["part-of"] = "meldpunt"
    for policy in policies(changed):
        policy["spec"]["podSelector"].setdefault("matchLabels", {})["part-of"] = "meldpunt"
        for rule in policy["spec"].get("ingress", []) + policy["spec"].get("egress", []):
            for peer in rule.get("from", []) + rule.get("to", []):
                if "podSelector" in peer:
                    peer["podSelector"].setdefault("matchLabels", {})["part-of"] = "meldpunt"
    assert selector_problems(changed)
    web = pod(changed, "meldpunt-web")
    assert not connects(changed, web, pod(changed, "kube-dns"), 53, "UDP")
    assert not connects(changed, web, pod(changed, "meldpunt-db-pooler"), 5432)


@pytest.mark.parametrize(
    ("source", "target", "port"),
    [
        ("ingress-nginx-controller", "meldpunt-web", 8000),
        ("prometheus", "meldpunt-web", 9100),
        ("meldpunt-web", "meldpunt-db-pooler", 5432),
        ("meldpunt-worker", "meldpunt-db-pooler", 5432),
        ("meldpunt-beat", "meldpunt-db-pooler", 5432),
        ("meldpunt-db-pooler", "meldpunt-db-primary", 5432),
        ("meldpunt-migrate", "meldpunt-db-primary", 5432),
        ("meldpunt-db-replica", "meldpunt-db-primary", 5432),
        ("cnpg-operator", "meldpunt-db-primary", 8000),
        ("cnpg-operator", "meldpunt-db-pooler", 9127),
        ("prometheus", "meldpunt-db-primary", 9187),
        ("meldpunt-web", "meldpunt-redis", 6379),
        ("meldpunt-worker", "meldpunt-redis", 6379),
        ("meldpunt-beat", "meldpunt-redis", 6379),
        ("meldpunt-web", "meldpunt-clamav", 3310),
        ("meldpunt-worker", "meldpunt-clamav", 3310),
    ],
)
def test_the_platform_s_connections_are_allowed(manifests, source, target, port):
    assert connects(manifests, pod(manifests, source), pod(manifests, target), port)


@pytest.mark.parametrize(
    ("source", "target", "port"),
    [
        ("ingress-nginx-controller", "meldpunt-db-pooler", 5432),
        ("meldpunt-web", "meldpunt-db-primary", 5432),
        ("meldpunt-migrate", "meldpunt-redis", 6379),
        ("ingress-nginx-controller", "meldpunt-worker", 8000),
        ("meldpunt-redis", "meldpunt-db-pooler", 5432),
        ("meldpunt-beat", "meldpunt-clamav", 3310),
        ("ingress-nginx-controller", "meldpunt-clamav", 3310),
        ("meldpunt-clamav", "meldpunt-db-pooler", 5432),
    ],
)
def test_what_has_no_business_is_denied(manifests, source, target, port):
    assert not connects(manifests, pod(manifests, source), pod(manifests, target), port)


def images(manifests: dict) -> list[str]:
    found = []
    for (kind, _), document in manifests.items():
        if kind in {"Deployment", "StatefulSet", "Job"}:
            found += [c["image"] for c in document["spec"]["template"]["spec"]["containers"]]
        elif kind == "Cluster":
            found.append(document["spec"]["imageName"])
        elif kind == "Pooler":
            found += [c["image"] for c in document["spec"]["template"]["spec"]["containers"]]
    return found


def test_every_image_is_pinned_and_each_overlay_has_its_own_tag():
    tags = {}
    for overlay in OVERLAYS:
        manifests = {(d["kind"], d["metadata"]["name"]): d for d in render(overlay)}
        for image in images(manifests):
            assert VERSION_TAG.search(image), f"{overlay}: {image} is not pinned to a version"
        (app,) = {image for image in images(manifests) if "/meldpunt/" in image}
        tags[overlay] = app.rsplit(":", 1)[1]
    assert len(set(tags.values())) == len(OVERLAYS), tags


def image_name(image: str) -> str:
    """Ours ("registry/meldpunt/platform:tag") or another's repository name ("redis")."""
    if "/meldpunt/" in image:
        return "meldpunt"
    return image.rsplit("/", 1)[-1].split("@")[0].split(":")[0]


def test_every_container_runs_as_its_image_s_user_with_a_read_only_root(manifests):
    for (kind, name), document in manifests.items():
        if kind not in {"Deployment", "StatefulSet", "Job"}:
            continue
        spec = document["spec"]["template"]["spec"]
        for container in spec["containers"]:
            context = spec.get("securityContext", {}) | container.get("securityContext", {})
            image = image_name(container["image"])
            assert context.get("runAsUser") == IMAGE_UIDS[image], (name, container["name"])
            assert context.get("runAsNonRoot") is True, name
            assert context.get("readOnlyRootFilesystem") is True, name
            assert context.get("allowPrivilegeEscalation") is False, name


def settings_of(manifests: dict) -> dict[str, str]:
    (data,) = [doc["data"] for (kind, _), doc in manifests.items() if kind == "ConfigMap"]
    return data


def test_trusted_proxies_are_set(manifests):
    networks = [n.strip() for n in settings_of(manifests).get("TRUSTED_PROXIES", "").split(",")]
    assert networks and all(ipaddress.ip_network(n) for n in networks if n) and networks != [""]


def test_the_ingress_takes_a_whole_document(manifests):
    limit = manifests[("Ingress", "meldpunt")]["metadata"]["annotations"][
        "nginx.ingress.kubernetes.io/proxy-body-size"
    ]
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", limit.lower()).groups()
    size = int(number) * {"": 1, "k": 2**10, "m": 2**20, "g": 2**30}[unit]
    # One number: what the ingress lets through is what the application reads.
    assert size == settings.REQUEST_BODY_MAX_BYTES
    assert size >= DOCUMENT_LIMIT + FORM_OVERHEAD


def test_no_secret_sits_in_a_config_map(manifests):
    for key, value in settings_of(manifests).items():
        assert not SECRET_NAMES.search(key), key
        assert not re.search(r"://[^/@\s]*:[^/@\s]*@", value), key


def test_server_settings_live_on_the_server_not_in_the_clients(manifests):
    parameters = manifests[("Cluster", "meldpunt-db")]["spec"]["postgresql"]["parameters"]
    assert parameters["jit"] == "off"
    for (kind, _), document in manifests.items():
        if kind in {"Deployment", "StatefulSet", "Job"}:
            for container in document["spec"]["template"]["spec"]["containers"]:
                assert all(env["name"] != "PGOPTIONS" for env in container.get("env", []))


def test_the_database_and_its_pooler_have_resources_and_backups_use_the_plugin(manifests):
    cluster = manifests[("Cluster", "meldpunt-db")]["spec"]
    assert cluster["resources"]["requests"]["memory"] and cluster["resources"]["limits"]["memory"]
    assert "backup" not in cluster
    (archiver,) = [p for p in cluster["plugins"] if p.get("isWALArchiver")]
    assert archiver["name"] == "barman-cloud.cloudnative-pg.io"
    assert ("ObjectStore", archiver["parameters"]["barmanObjectName"]) in manifests
    nightly = manifests[("ScheduledBackup", "meldpunt-db-nightly")]["spec"]
    assert (nightly["method"], nightly["pluginConfiguration"]["name"]) == (
        "plugin",
        archiver["name"],
    )
    (pgbouncer,) = manifests[("Pooler", "meldpunt-db-pooler")]["spec"]["template"]["spec"][
        "containers"
    ]
    assert pgbouncer["resources"]["requests"]["cpu"] and pgbouncer["resources"]["limits"]["memory"]


def test_the_autoscaler_owns_the_web_count_and_a_drain_can_proceed(manifests):
    autoscaler = manifests[("HorizontalPodAutoscaler", "meldpunt-web")]["spec"]
    target = manifests[("Deployment", autoscaler["scaleTargetRef"]["name"])]
    assert "replicas" not in target["spec"]
    budget = manifests[("PodDisruptionBudget", "meldpunt-web")]["spec"]
    assert matches(budget["selector"], target["spec"]["template"]["metadata"]["labels"])
    if "minAvailable" in budget:
        assert budget["minAvailable"] < autoscaler["minReplicas"]
    else:
        assert budget["maxUnavailable"] >= 1


def test_one_beat_that_cannot_overlap_and_a_worker_probe_without_the_broker(manifests):
    beat = manifests[("StatefulSet", "meldpunt-beat")]["spec"]
    assert beat["replicas"] == 1 and ("Deployment", "meldpunt-beat") not in manifests
    worker = manifests[("Deployment", "meldpunt-worker")]["spec"]["template"]["spec"]
    probe = " ".join(worker["containers"][0]["livenessProbe"]["exec"]["command"])
    assert "meldpunt.worker_liveness" in probe and "inspect" not in probe
