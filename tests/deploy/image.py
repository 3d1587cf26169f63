"""The container image built from deploy/Dockerfile with podman, and its processes run.

No image registry is reachable in CI, so the base is Debian bookworm made by
mmdebstrap and imported into podman; the tarball is cached between runs (a week at
most, so the base takes Debian's security updates). `podman run` cannot set
RLIMIT_NOFILE in this sandbox, so a process of the image runs in its mounted
filesystem instead: read-only, in a mount namespace of its own with /proc, /dev and a
/tmp of the test's, chrooted, as the image's USER with the image's environment and
working directory, on the host's network.
"""

import json
import os
import shlex
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.serving import REPO

CACHE = Path(os.environ.get("MELDPUNT_IMAGE_CACHE", "/var/cache/meldpunt-image"))
BASE_TARBALL = CACHE / "bookworm-minbase.tar"
BASE_IMAGE = "localhost/meldpunt-base:bookworm-minbase"
IMAGE = "localhost/meldpunt:ci"
BASE_MAX_AGE_SECONDS = 7 * 24 * 3600
# The host's certificates, for a build whose network re-signs TLS (the Dockerfile's CA_BUNDLE).
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")


def podman(*args: str) -> str:
    return subprocess.run(
        ["podman", *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def has_image(name: str) -> bool:
    return subprocess.run(["podman", "image", "exists", name]).returncode == 0


def base_image() -> str:
    """The bookworm minbase in podman, made again when the cached tarball is a week old."""
    stale = (
        not BASE_TARBALL.exists()
        or time.time() - BASE_TARBALL.stat().st_mtime > BASE_MAX_AGE_SECONDS
    )
    if stale:
        CACHE.mkdir(parents=True, exist_ok=True)
        # mmdebstrap reads the output's format from its name unless told: a name without
        # ".tar" became a directory.
        partial = BASE_TARBALL.with_name(f"partial-{BASE_TARBALL.name}")
        subprocess.run(
            [
                "mmdebstrap",
                "--quiet",
                "--variant=minbase",
                "--format=tar",
                "bookworm",
                str(partial),
            ],
            check=True,
        )
        partial.rename(BASE_TARBALL)
    if stale or not has_image(BASE_IMAGE):
        podman("import", str(BASE_TARBALL), BASE_IMAGE)
    return BASE_IMAGE


def build() -> str:
    """deploy/Dockerfile built on the local base (podman's layer cache makes a rebuild quick)."""
    arguments = ["--build-arg", f"BASE={base_image()}"]
    if HOST_CA_BUNDLE.exists():
        arguments += [
            "--volume", f"{HOST_CA_BUNDLE}:/run/build-ca.crt:ro",
            "--build-arg", "CA_BUNDLE=/run/build-ca.crt",
        ]  # fmt: skip
    subprocess.run(
        ["podman", "build", "--isolation", "chroot", "--format", "docker", "--file", "deploy/Dockerfile",
         "--tag", IMAGE, *arguments, "."],
        cwd=REPO, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return IMAGE


@contextmanager
def mounted(image: str) -> Iterator[Path]:
    root = Path(podman("image", "mount", image))
    try:
        yield root
    finally:
        podman("image", "unmount", image)


def inspected(image: str) -> dict:
    (found,) = json.loads(podman("image", "inspect", image))
    return found


def configuration(image: str) -> dict:
    return inspected(image)["Config"]


def start(
    image: str, root: Path, tmp: Path, command: list[str], env: dict[str, str], log: Path
) -> subprocess.Popen:
    """`command` (the image's CMD if empty) as the image would run it; the caller stops it.

    The process keeps its pid through every exec, so the Popen's pid is the command's."""
    config = configuration(image)
    environment = dict(item.split("=", 1) for item in config.get("Env", [])) | env
    user = config.get("User") or "0"
    inside = [
        "env", "-i", "--chdir", config.get("WorkingDir") or "/",
        *(f"{key}={value}" for key, value in environment.items()), *(command or config["Cmd"]),
    ]  # fmt: skip
    at = shlex.quote(str(root))
    script = (
        "set -e; "
        f"mount -t proc proc {at}/proc; "
        f"mount --rbind /dev {at}/dev; "
        f"mount --bind {shlex.quote(str(tmp))} {at}/tmp; "  # noqa: S108 (inside the image)
        f"exec chroot --userspec={user} {at} {shlex.join(inside)}"
    )
    with log.open("a") as output:
        return subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
            stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip


def run(image: str, root: Path, tmp: Path, command: list[str], env: dict[str, str]) -> str:
    """A command of the image to its end; returns what it printed."""
    log = tmp / f"run-{time.monotonic_ns()}.log"
    process = start(image, root, tmp, command, env, log)
    code = process.wait(timeout=300)
    output = log.read_text()
    assert code == 0, output
    return output


def uids_of_tree(pid: int) -> set[int]:
    """The real uids of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    uids, todo = set(), [pid]
    while todo:
        current = todo.pop()
        status = Path(f"/proc/{current}/status").read_text()
        uids.add(
            int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])
        )
        todo += children.get(current, [])
    return uids
