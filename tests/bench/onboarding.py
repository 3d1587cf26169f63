"""Onboarding against migrating a schema, as regions grow to 1,000; then a no-op deploy
and the weight of a region in the catalogue.

Regions are onboarded up to each checkpoint (BENCH_REGIONS, default 1,100,300,1000) by
one process per core (BENCH_FILL_PROCESSES). At each checkpoint ONBOARD_SAMPLES more
regions are onboarded and timed (the blueprint, the preset configuration and the first
administrator, in one transaction) and MIGRATE_SAMPLES fresh schemas are migrated from
scratch and timed (what a region would cost without the template; dropped again), each
on a fresh connection. Then `manage.py migrate_schemas` runs with nothing due, as a
deploy would, timed from the outside including Python's start-up: twice, the first
compiling the bytecode that an image has compiled. Then the relations and megabytes of
an empty region (the template schema) and the catalogue's size.

The database (`<database>_onboarding`) is kept between runs: onboarding a thousand
regions, and dropping them again, take most of an hour on two shared cores, so a run
onboards only what the kept database lacks (checkpoints it already passed are skipped)
and the run stays within 15 minutes. BENCH_FRESH=1 starts from an empty database and
drops it at the end: its schemas one by one (short transactions that neither hold
thousands of locks nor leave DROP DATABASE to sync every file first), then the database,
each timed. Every figure with the load average.
"""

import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import time

from _database import REPO, bench_database, role_env, setup_django
from _measure import load

FRESH = os.environ.get("BENCH_FRESH") == "1"
CHECKPOINTS = [int(n) for n in os.environ.get("BENCH_REGIONS", "1,100,300,1000").split(",")]
ONBOARD_SAMPLES = int(os.environ.get("BENCH_ONBOARD_SAMPLES", "5"))
MIGRATE_SAMPLES = int(os.environ.get("BENCH_MIGRATE_SAMPLES", "1"))
# The regions between checkpoints are onboarded by one process per core: the run's time
# is mostly this fill, and onboardings of different regions do not wait for each other.
FILL_PROCESSES = int(os.environ.get("BENCH_FILL_PROCESSES", str(os.cpu_count() or 1)))


def fill_region(number: int) -> None:
    """Onboards a region between checkpoints, beside another process doing the same.

    Two onboardings at once can collide where the blueprint's function grants the region's
    role USAGE on the public schema (both update that schema's privileges: PostgreSQL's
    "tuple concurrently updated"); the collided one is onboarded again (its whole
    transaction rolled back), up to five times."""
    from django.db import InternalError

    for attempt in range(5):
        try:
            onboard(number)
            return
        except InternalError as error:
            if "tuple concurrently updated" not in str(error) or attempt == 4:
                raise
            time.sleep(0.1 * (number % 7))  # apart from the other process this time


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
    with bench_database("onboarding", keep=not FRESH) as name:
        owner = role_env(name, "owner")
        subprocess.run(
            [sys.executable, "manage.py", "migrate_schemas", "--noinput", "-v", "0"],
            cwd=REPO, env=os.environ | owner | {"PYTHONPATH": "platform", "DEBUG": "1"}, check=True,
        )  # fmt: skip
        setup_django(owner)
        from django.db import connections

        print(f"{'regions':>8} {'onboard median s':>17} {'max s':>6} {'migrate median s':>17} "
              f"{'max s':>6} {'speed-up':>9} {'fill s/region':>14}", flush=True)  # fmt: skip
        from tenants.models import Region

        # Kept by an earlier run: numbered bench-0000 onwards (a number may be missing
        # where an earlier run stopped), so new ones start after the highest.
        slugs = list(Region.objects.regions().values_list("slug", flat=True))
        made = len(slugs)
        number = 1 + max((int(slug[6:]) for slug in slugs if slug.startswith("bench-")), default=-1)
        if made:
            print(f"kept from an earlier run: {made} regions (BENCH_FRESH=1 starts again)")
        for checkpoint in [point for point in CHECKPOINTS if point >= made] or [made]:
            fill_started = time.perf_counter()
            filled = max(0, checkpoint - made)
            if filled:
                connections.close_all()  # a forked process opens its own
                with multiprocessing.get_context("fork").Pool(FILL_PROCESSES) as pool:
                    pool.map(fill_region, range(number, number + filled), chunksize=10)
                made, number = checkpoint, number + filled
            fill = (time.perf_counter() - fill_started) / filled if filled else 0.0
            onboarded, migrated = [], []
            for _ in range(ONBOARD_SAMPLES):
                connections.close_all()  # each sample on a fresh connection, as both methods get
                onboarded.append(onboard(number))
                made, number = made + 1, number + 1
            for sample in range(MIGRATE_SAMPLES):
                connections.close_all()
                migrated.append(migrate_fresh_schema(number + sample))
            onboard_median, migrate_median = (
                statistics.median(onboarded),
                statistics.median(migrated),
            )
            print(
                f"{checkpoint:>8} {onboard_median:>17.3f} {max(onboarded):>6.3f} "
                f"{migrate_median:>17.3f} {max(migrated):>6.3f} "
                f"{migrate_median / onboard_median:>8.1f}x {fill:>14.3f}  {load()}",
                flush=True,
            )
        connections.close_all()
        env = os.environ | owner | {"PYTHONPATH": "platform", "DEBUG": "1"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for when in ("cold", "warm"):
            no_op_deploy(made, env, when)
        print_weight()
        if FRESH:
            drop_region_schemas()
        dropping = time.perf_counter()
    if FRESH:
        print(f"clean-up: database dropped in {time.perf_counter() - dropping:.0f} s  {load()}")


def no_op_deploy(regions: int, env: dict[str, str], when: str) -> None:
    """`manage.py migrate_schemas` with nothing due, timed from the outside."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    deploy = subprocess.run(
        [sys.executable, "manage.py", "migrate_schemas", "--noinput"],
        cwd=REPO, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(
        f"no-op deploy (migrate_schemas, {when}) with {regions} regions: {wall:.1f} s "
        f"({cpu:.1f} s CPU in Python; goal under 5 s) "
        f"({deploy.stdout.strip().splitlines()[-1]})  {load()}",
        flush=True,
    )


def print_weight() -> None:
    """Relations and MB of an empty region (the template schema, with its TOAST tables),
    and the catalogue's size."""
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "WITH own AS (SELECT c.oid, c.relkind, c.reltoastrelid FROM pg_class c"
            "  WHERE c.relnamespace = %s::regnamespace),"
            " toast AS (SELECT reltoastrelid AS oid FROM own WHERE reltoastrelid <> 0"
            "  UNION ALL SELECT i.indexrelid FROM pg_index i"
            "  JOIN own ON i.indrelid = own.reltoastrelid),"
            " every AS (SELECT oid FROM own UNION ALL SELECT oid FROM toast)"
            " SELECT count(*),"
            "  (SELECT count(*) FROM own WHERE relkind = 'r'),"
            "  (SELECT count(*) FROM own WHERE relkind = 'i'),"
            "  (SELECT count(*) FROM own WHERE relkind = 'S'),"
            "  (SELECT count(*) FROM toast),"
            "  sum(pg_relation_size(oid, 'main') + pg_relation_size(oid, 'fsm')"
            "   + pg_relation_size(oid, 'vm')) / 1048576.0"
            " FROM every",
            [settings.TENANT_BASE_SCHEMA],
        )
        relations, tables, indexes, sequences, toast, megabytes = cursor.fetchone()
        cursor.execute(
            "SELECT (SELECT count(*) FROM pg_class),"
            " pg_total_relation_size('pg_attribute') / 1048576.0"
        )
        classes, attribute_megabytes = cursor.fetchone()
    print(
        f"an empty region: {relations} relations ({tables} tables, {indexes} indexes, "
        f"{sequences} sequences, {toast} TOAST tables and indexes), {megabytes:.2f} MB; "
        f"the catalogue: {classes} rows in pg_class, pg_attribute {attribute_megabytes:.0f} MB"
        f"  {load()}",
        flush=True,
    )


def drop_region_schemas() -> None:
    from django.db import connection

    from tenants.models import Region

    started = time.perf_counter()
    schemas = list(Region.objects.regions().values_list("schema_name", flat=True))
    with connection.cursor() as cursor:
        for schema in schemas:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    connection.close()
    print(
        f"clean-up: {len(schemas)} schemas dropped in {time.perf_counter() - started:.0f} s"
        f"  {load()}",
        flush=True,
    )


if __name__ == "__main__":
    main()
