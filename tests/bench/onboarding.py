"""Onboarding against migrating a schema, as regions grow to 1,000; then a no-op deploy.

On a database of its own (created here, dropped afterwards) regions are
onboarded up to each checkpoint (BENCH_REGIONS, default 1,100,300,1000). At
each checkpoint ONBOARD_SAMPLES more regions are onboarded and timed (the
blueprint, the preset configuration and the first administrator, in one
transaction) and MIGRATE_SAMPLES fresh schemas are migrated from scratch and
timed (what a region would cost without the template; dropped again), each
on a fresh connection. At the end `manage.py migrate_schemas` runs once with
nothing due, as a deploy would, timed from the outside including Python's
start-up.
"""

import os
import statistics
import subprocess
import sys
import time

from _database import REPO, bench_database, role_env, setup_django

CHECKPOINTS = [int(n) for n in os.environ.get("BENCH_REGIONS", "1,100,300,1000").split(",")]
ONBOARD_SAMPLES = int(os.environ.get("BENCH_ONBOARD_SAMPLES", "5"))
MIGRATE_SAMPLES = int(os.environ.get("BENCH_MIGRATE_SAMPLES", "3"))


def onboard(number: int) -> float:
    from django.db import connections

    from tenants.services.onboarding import onboard_region

    if number % 50 == 0:
        # A web worker's connection lives a minute (CONN_MAX_AGE), not a thousand onboardings:
        # PostgreSQL's per-connection catalogue caches would otherwise grow with every region.
        connections.close_all()

    slug = f"bench-{number:04d}"
    started = time.perf_counter()
    onboard_region(
        slug=slug,
        name=slug,
        domain=f"{slug}.bench.localhost",
        admin_email=f"beheer@{slug}.bench",
        invite_admin=False,
    )
    return time.perf_counter() - started


def migrate_fresh_schema(number: int) -> float:
    from django.core.management import call_command
    from django.db import connection

    schema = f"vers_{number:04d}"
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {schema}")
    call_command("migrate_schemas", schema_name=schema, interactive=False, verbosity=0)
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA {schema} CASCADE")
    return elapsed


def main() -> None:
    with bench_database("bench") as name:
        owner = role_env(name, "owner")
        subprocess.run(
            [sys.executable, "manage.py", "migrate_schemas", "--noinput", "-v", "0"],
            cwd=REPO, env=os.environ | owner | {"PYTHONPATH": "platform", "DEBUG": "1"}, check=True,
        )  # fmt: skip
        setup_django(owner)
        from django.db import connections

        print(f"{'regions':>8} {'onboard median s':>17} {'max s':>6} {'migrate median s':>17} "
              f"{'max s':>6} {'speed-up':>9} {'fill s/region':>14}", flush=True)  # fmt: skip
        made = 0
        for checkpoint in CHECKPOINTS:
            fill_started = time.perf_counter()
            filled = 0
            while made < checkpoint:
                onboard(made)
                made += 1
                filled += 1
            fill = (time.perf_counter() - fill_started) / filled if filled else 0.0
            onboarded, migrated = [], []
            for _ in range(ONBOARD_SAMPLES):
                connections.close_all()  # each sample on a fresh connection, as both methods get
                onboarded.append(onboard(made))
                made += 1
            for number in range(MIGRATE_SAMPLES):
                connections.close_all()
                migrated.append(migrate_fresh_schema(made + number))
            onboard_median, migrate_median = (
                statistics.median(onboarded),
                statistics.median(migrated),
            )
            print(
                f"{checkpoint:>8} {onboard_median:>17.3f} {max(onboarded):>6.3f} "
                f"{migrate_median:>17.3f} {max(migrated):>6.3f} "
                f"{migrate_median / onboard_median:>8.1f}x {fill:>14.3f}",
                flush=True,
            )
        connections.close_all()
        started = time.perf_counter()
        deploy = subprocess.run(
            [sys.executable, "manage.py", "migrate_schemas", "--noinput"],
            cwd=REPO, env=os.environ | owner | {"PYTHONPATH": "platform", "DEBUG": "1"},
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        print(
            f"no-op deploy (migrate_schemas) with {made} regions: "
            f"{time.perf_counter() - started:.1f} s ({deploy.stdout.strip().splitlines()[-1]})"
        )


if __name__ == "__main__":
    main()
