"""`make bench`: runs every benchmark script in this folder in turn, and says how loaded the machine was.

A benchmark is a script `tests/bench/<name>.py` with a `main()`; files starting
with an underscore are helpers, and this runner is not a benchmark. Add a
script and `make bench` runs it; `make bench BENCH=load` runs one.

The run is bounded: a script still running after BENCH_SCRIPT_MINUTES (15) is stopped
with everything it started and counts as failed; the total is printed beside the goal of
25 minutes on two cores, with the load average.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT_SECONDS = float(os.environ.get("BENCH_SCRIPT_MINUTES", "15")) * 60


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def run_bounded(script: Path) -> int:
    """Runs a benchmark in a process group of its own; returns its exit status."""
    process = subprocess.Popen(
        [sys.executable, str(script)], cwd=HERE.parents[1], start_new_session=True
    )
    try:
        return process.wait(timeout=SCRIPT_SECONDS)
    except subprocess.TimeoutExpired:
        print(f"=== {script.stem}: stopped after {SCRIPT_SECONDS / 60:.0f} min", flush=True)
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()
        return 1


def main() -> int:
    chosen = os.environ.get("BENCH", "")
    scripts = sorted(
        path
        for path in HERE.glob("*.py")
        if not path.name.startswith("_") and path.name != "run.py"
        and (not chosen or path.stem in chosen.split(","))
    )  # fmt: skip
    failed = []
    began = time.monotonic()
    for script in scripts:
        print(f"\n=== {script.stem}  (load before: {uptime()})", flush=True)
        started = time.monotonic()
        if run_bounded(script):
            failed.append(script.stem)
        print(
            f"=== {script.stem} took {time.monotonic() - started:.0f} s  (load after: {uptime()})"
        )
    print(f"\nall took {(time.monotonic() - began) / 60:.1f} min (goal 25)  ({uptime()})")
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
