"""Onboarding against migrating a schema, as regions grow to 1,000; then a no-op deploy
and the weight of a region in the catalogue.

Regions are made up to each checkpoint (BENCH_REGIONS, default 1,100,300,1000). At each
checkpoint ONBOARD_SAMPLES more regions are onboarded through the service and timed (the
blueprint, the preset configuration and the first administrator, in one transaction)
and, at the first and the last, MIGRATE_SAMPLES fresh schemas are migrated from scratch
and timed (what a region would cost without the template; dropped again), each on a
fresh connection. Then
`manage.py migrate_schemas` runs with nothing due, as a deploy would, timed from the
outside including Python's start-up: twice, the first compiling the bytecode that an
image has compiled. Then the relations and megabytes of an empty region (the template
schema) and the catalogue's size.

The regions between checkpoints are made as onboarding makes them, without Python per
region: the blueprint's database function and the Region and Domain rows, FILL_BATCH
regions per transaction, by one process per core (BENCH_FILL_PROCESSES; the function
builds different regions' schemas side by side). They lack the preset's configuration
rows and the first administrator, which change neither the catalogue nor a deploy; the
timed samples have them. A fill in which no batch ends for BENCH_FILL_BATCH_SECONDS (120)
prints the database's sessions and the locks they wait for, and fails: in one run of
`make bench` the fill waited, idle, until the runner's bound.

The catalogue of 1,000 regions is made in a PostgreSQL cluster of the bench's own when
DATABASE_URL's server runs on this machine (`_database.own_cluster`): `initdb` of the
same server version into a temporary folder, as the postgres OS user, with that server's
settings, on a port of its own, started by the bench and stopped after it. Its regions
between checkpoints are made with `fsync = off`: PostgreSQL 15 fsyncs every btree it
builds (nbtsort.c `_bt_load` -> `smgrimmedsync`), about 1 s per region of 254 indexes on
two shared cores whatever the parallelism (30 minutes for 1,000), and that is making the
fixture, not what is measured. Before every timed part (the sampled onboardings through
the service, the migrations of fresh schemas, the no-op deploys) fsync is switched on
(ALTER SYSTEM, reload, CHECKPOINT, and the cluster's files synced), so those figures
include every fsync production pays. The filled regions' tables and indexes are in a
tablespace in memory (/dev/shm); their catalogue rows, and everything the timed parts
create, are on disk. The clean-up stops the cluster and removes its folders: seconds, where
DROP DATABASE of 1,000 regions took 6 minutes and removing the cluster's 290,000 files
from this disk (ext4 with online discard) 5 minutes. The output says which of the two
ran. On a server elsewhere the bench makes `<database>_onboarding` there as before, with
fsync as that server has it, and drops it with its region roles at the end.

By default the run starts from empty and cleans up, timed, and prints the whole run's
time beside its goal of 15 minutes. BENCH_KEEP_DATABASE=1 keeps the cluster's folder
(`<tmp>/<database>_onboarding.cluster`, started again by the next run) or, on a server
elsewhere, the database; the next run then makes only what it lacks (checkpoints it
already passed are skipped). Every figure with the load average.
"""

import multiprocessing
import os
import resource
import signal
import statistics
import subprocess
import sys
import time

from _database import (
    REPO,
    OwnCluster,
    SharedServer,
    bench_database,
    own_cluster,
    role_env,
    setup_django,
)
from _measure import cpu_seconds, load

KEEP = os.environ.get("BENCH_KEEP_DATABASE") == "1"
CHECKPOINTS = [int(n) for n in os.environ.get("BENCH_REGIONS", "1,100,300,1000").split(",")]
ONBOARD_SAMPLES = int(os.environ.get("BENCH_ONBOARD_SAMPLES", "5"))
MIGRATE_SAMPLES = int(os.environ.get("BENCH_MIGRATE_SAMPLES", "1"))
# Regions per transaction when filling: each holds a lock on every
# relation of its regions (about 400 each) until it commits, in a lock table shared
# with every other session of the server (max_locks_per_transaction x connections).
FILL_BATCH = int(os.environ.get("BENCH_FILL_BATCH", "4"))
# The function builds the schemas of different regions side by side; only its grants on
# the public objects wait for one another, briefly.
FILL_PROCESSES = int(os.environ.get("BENCH_FILL_PROCESSES", str(os.cpu_count() or 1)))
# A batch takes a second or two; a fill in which none ends for this long waits on something.
FILL_BATCH_SECONDS = float(os.environ.get("BENCH_FILL_BATCH_SECONDS", "120"))
TABLESPACE = ""  # where the fill's relations go: the cluster's fixtures', or the default


def fill(first: int, count: int) -> float:
    """Makes regions `first` to `first + count - 1` between checkpoints, FILL_BATCH per
    transaction, by one process per core; returns the CPU seconds they took in these
    processes and in their PostgreSQL backends."""
    from django.db import connections

    batches = [
        range(start, min(start + FILL_BATCH, first + count))
        for start in range(first, first + count, FILL_BATCH)
    ]
    connections.close_all()  # a forked process opens its own
    with multiprocessing.get_context("fork").Pool(FILL_PROCESSES) as pool:
        made = pool.imap_unordered(fill_batch, batches)
        seconds = 0.0
        try:
            for _batch in batches:
                seconds += made.next(timeout=FILL_BATCH_SECONDS)
        except multiprocessing.TimeoutError:
            # A pool waits for good when a worker dies or its exception cannot come
            # back: say what the database sessions were doing, and fail.
            print_sessions()
            raise SystemExit(f"the fill of regions from {first}: no batch ended in time") from None
        return seconds


def fill_batch(numbers: range) -> float:
    try:
        return make_batch(numbers)
    except Exception as error:
        # As text: an exception the pool cannot return would leave the fill waiting.
        raise RuntimeError(f"regions {numbers}: {type(error).__name__}: {error}") from None


def print_sessions() -> None:
    """The database's sessions and the locks they wait for (the fill's stuck state)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, state, wait_event_type, wait_event, left(query, 120) "
            "FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        for row in cursor.fetchall():
            print("session", *row, flush=True)
        cursor.execute(
            "SELECT pid, locktype, mode, relation::regclass, objid FROM pg_locks WHERE NOT granted"
        )
        for row in cursor.fetchall():
            print("waits for", *row, flush=True)


def make_batch(numbers: range) -> float:
    """One transaction of the fill: the Region rows, their schemas from the blueprint's
    database function, their Domain rows. Returns its CPU seconds (process and backend)."""
    from django.db import connection, transaction

    from tenants.models import Domain, Region
    from tenants.services.blueprint import FUNCTION
    from tenants.services.onboarding import schema_name_for

    connection.ensure_connection()
    backend = connection.connection.info.backend_pid
    python_before, backend_before = time.process_time(), cpu_seconds(backend)
    slugs = [f"bench-{number:04d}" for number in numbers]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('default_tablespace', %s, true)", [TABLESPACE])
        regions = Region.objects.bulk_create(
            Region(schema_name=schema_name_for(slug), slug=slug, name=slug) for slug in slugs
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count({FUNCTION}(schema)) FROM unnest(%s::text[]) schema",
                [[region.schema_name for region in regions]],
            )
        Domain.objects.bulk_create(
            Domain(domain=f"{region.slug}.bench.localhost", tenant=region, is_primary=True)
            for region in regions
        )
    return time.process_time() - python_before + cpu_seconds(backend) - backend_before


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
    began = time.perf_counter()
    # Stopped by `make bench`'s bound, the clean-up still runs: the cluster's server left
    # the process group when it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with own_cluster("onboarding", keep=KEEP) as cluster:
        print(f"the catalogue is made {cluster.description}  {load()}", flush=True)
        with bench_database("onboarding", keep=KEEP or cluster.removed_whole) as name:
            made = measure(cluster, name)
            cleaning = time.perf_counter()
    if not KEEP:
        what = (
            "the cluster stopped and its folder removed"
            if cluster.removed_whole
            else "the database and the region roles dropped"
        )
        print(f"clean-up ({made} regions): {what} in {time.perf_counter() - cleaning:.0f} s"
              f"  {load()}")  # fmt: skip
    took = time.perf_counter() - began
    kept = "the catalogue kept" if KEEP else "from empty, clean-up included"
    print(
        f"onboarding bench: {took / 60:.1f} min, {kept} (goal: 15 min)  {load()}",
        flush=True,
    )


def measure(cluster: OwnCluster | SharedServer, name: str) -> int:
    """Fills the database `name` to each checkpoint and prints the timed figures; returns
    the number of regions made."""
    global TABLESPACE
    TABLESPACE = cluster.fixture_tablespace
    owner = role_env(name, "owner")
    cluster.fixtures()
    subprocess.run(
        [sys.executable, "manage.py", "migrate_schemas", "--noinput", "-v", "0"],
        cwd=REPO, env=os.environ | owner | {"PYTHONPATH": "platform", "DEBUG": "1"}, check=True,
    )  # fmt: skip
    setup_django(owner)
    from django.db import connections

    print(f"{'regions':>8} {'onboard median s':>17} {'max s':>6} {'migrate median s':>17} "
          f"{'max s':>6} {'speed-up':>9} {'fill s/region':>14} {'CPU s/region':>13} "
          f"{'fsync on s':>11}", flush=True)  # fmt: skip
    from tenants.models import Region

    # Kept by an earlier run: numbered bench-0000 onwards (a number may be missing
    # where an earlier run stopped), so new ones start after the highest.
    slugs = list(Region.objects.regions().values_list("slug", flat=True))
    made = len(slugs)
    number = 1 + max((int(slug[6:]) for slug in slugs if slug.startswith("bench-")), default=-1)
    if made:
        print(f"kept from an earlier run: {made} regions")
    for checkpoint in [point for point in CHECKPOINTS if point >= made] or [made]:
        fill_started = time.perf_counter()
        filled = max(0, checkpoint - made)
        cpu = 0.0
        if filled:
            cluster.fixtures()
            cpu = fill(number, filled) / filled
            made, number = checkpoint, number + filled
        per_region = (time.perf_counter() - fill_started) / filled if filled else 0.0
        # What follows is timed: with every fsync production pays, and nothing of the
        # fill's still being written.
        switching = time.perf_counter()
        cluster.measured()
        switched = time.perf_counter() - switching
        onboarded, migrated = [], []
        for _ in range(ONBOARD_SAMPLES):
            connections.close_all()  # each sample on a fresh connection, as both methods get
            onboarded.append(onboard(number))
            made, number = made + 1, number + 1
        # Migrating a schema takes half a minute and more: at the first and the last
        # checkpoint only, which show whether it grows with the catalogue.
        if checkpoint in (CHECKPOINTS[0], CHECKPOINTS[-1]):
            for sample in range(MIGRATE_SAMPLES):
                connections.close_all()
                migrated.append(migrate_fresh_schema(number + sample))
        onboard_median = statistics.median(onboarded)
        migrate = (
            f"{statistics.median(migrated):>17.3f} {max(migrated):>6.3f} "
            f"{statistics.median(migrated) / onboard_median:>8.1f}x"
            if migrated
            else f"{'-':>17} {'-':>6} {'-':>9}"
        )
        print(
            f"{checkpoint:>8} {onboard_median:>17.3f} {max(onboarded):>6.3f} {migrate} "
            f"{per_region:>14.3f} {cpu:>13.3f} {switched:>11.1f}  {load()}",
            flush=True,
        )
    connections.close_all()
    env = os.environ | owner | {"PYTHONPATH": "platform", "DEBUG": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for when in ("cold", "warm"):
        no_op_deploy(made, env, when)
    print_weight()
    return made


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


if __name__ == "__main__":
    main()
