"""`make bench`: runs every benchmark script in this folder in turn, and says how loaded the machine was.

A benchmark is a script `tests/bench/<name>.py` with a `main()`; files starting
with an underscore are helpers, and this runner is not a benchmark. Add a
script and `make bench` runs it; `make bench BENCH=load` runs one.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> int:
    chosen = os.environ.get("BENCH", "")
    scripts = sorted(
        path
        for path in HERE.glob("*.py")
        if not path.name.startswith("_") and path.name != "run.py"
        and (not chosen or path.stem in chosen.split(","))
    )  # fmt: skip
    failed = []
    for script in scripts:
        print(f"\n=== {script.stem}  (load before: {uptime()})", flush=True)
        started = time.monotonic()
        if subprocess.run([sys.executable, str(script)], cwd=HERE.parents[1]).returncode:
            failed.append(script.stem)
        print(
            f"=== {script.stem} took {time.monotonic() - started:.0f} s  (load after: {uptime()})"
        )
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
