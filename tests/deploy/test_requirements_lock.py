"""The image installs deploy/requirements.lock (`make lock`): it must say what pyproject.toml says.

Checked offline: every dependency of pyproject.toml is pinned in the lock at a version
its range allows, the lock pins nothing as ours that pyproject.toml no longer asks for,
and every pin carries its hashes (pip installs it with --require-hashes).
"""

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
LOCK = (REPO / "deploy" / "requirements.lock").read_text()
# One entry per pin: `name==version \` then its hashes, then `# via` lines.
ENTRIES = re.split(r"\n(?=[A-Za-z0-9])", LOCK.split("\n", 2)[2].strip())


def pins() -> dict[str, tuple[str, str]]:
    found = {}
    for entry in ENTRIES:
        name, version = re.match(r"([A-Za-z0-9._-]+)==([^\s\\;]+)", entry).groups()
        found[canonicalize_name(name)] = (version, entry)
    return found


def test_every_dependency_is_pinned_within_its_range():
    pinned = pins()
    for line in PROJECT["dependencies"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is not in the lock: run `make lock`"
        version = pinned[name][0]
        assert requirement.specifier.contains(version), f"{name}=={version} is not {line}"


def test_the_lock_asks_for_nothing_pyproject_dropped():
    ours = {canonicalize_name(Requirement(line).name) for line in PROJECT["dependencies"]}
    direct = {
        name
        for name, (_, entry) in pins().items()
        if re.search(r"#\s+(via\s+)?meldpunt-platform \(pyproject\.toml\)", entry)
    }
    assert direct == ours, "run `make lock`"


def test_every_pin_carries_its_hashes():
    for name, (_, entry) in pins().items():
        assert "--hash=sha256:" in entry, name
