"""The folder platform/ must never shadow the standard library's `platform`."""

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_platform_is_the_standard_library_inside_the_configured_project():
    import platform

    import django

    django.setup()  # already done by pytest-django; harmless, makes the point explicit
    assert Path(platform.__file__).parent == Path(sys.modules["os"].__file__).parent
    assert platform.system() == "Linux"


def test_platform_is_the_standard_library_under_manage_py():
    code = "import platform, os; print(platform.__file__); print(platform.system())"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin"},
    )
    module_file, system = result.stdout.split()[-2:]
    assert not module_file.startswith(str(REPO))
    assert system == "Linux"
