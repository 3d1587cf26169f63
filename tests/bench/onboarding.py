"""`make bench`: how long onboarding a region takes as the number of regions grows.

Runs on a database of its own (created, migrated and dropped here), onboards
regions in batches and prints the time per region for each batch, so a
regression (onboarding that grows with the number of regions) shows as a rising
column. Cloning the template schema is what keeps it flat.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BATCHES = int(os.environ.get("BENCH_BATCHES", "4"))
BATCH_SIZE = int(os.environ.get("BENCH_BATCH_SIZE", "10"))


def main() -> None:
    base_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/meldpunt"
    )
    name = base_url.rsplit("/", 1)[1] + "_bench"
    os.environ["DATABASE_URL"] = base_url.rsplit("/", 1)[0] + f"/{name}"
    database = [sys.executable, str(REPO / "deploy" / "dev" / "create_database.py"), name]
    subprocess.run([*database, "--recreate"], check=True)
    try:
        sys.path[:0] = [str(REPO), str(REPO / "platform")]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldpunt.settings")
        import django
        from django.core.management import call_command

        django.setup()
        from tenants.services.onboarding import onboard_region

        call_command("migrate_schemas", interactive=False, verbosity=0)
        print(f"{'regions before':>15} {'median s':>9} {'max s':>7}")
        for batch in range(BATCHES):
            durations = []
            for index in range(BATCH_SIZE):
                slug = f"bench-{batch:02d}-{index:02d}"
                started = time.perf_counter()
                onboard_region(
                    slug=slug,
                    name=slug,
                    domain=f"{slug}.bench.localhost",
                    admin_email=f"beheer@{slug}.bench",
                    invite_admin=False,
                )
                durations.append(time.perf_counter() - started)
            print(
                f"{batch * BATCH_SIZE:>15} {statistics.median(durations):>9.3f} {max(durations):>7.3f}"
            )
        from django.db import connections

        connections.close_all()
    finally:
        subprocess.run([*database, "--drop"], check=True)


if __name__ == "__main__":
    main()
