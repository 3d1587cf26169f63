"""`make bench`: the statistics page of a region with 100,000 cases, and the national
benchmark page with 1,000 regions' aggregates.

Runs on a database of its own (parallel query off, so that every query's CPU is in the
measured backend). The region is seeded by case_list.py's `seed()` (cases, reports,
people, a first step), then given in SQL what the statistics count beyond that: a step
history with a stay per case, screening outcomes, risk assessments, information
requests with answers and evaluations. The national side gets 1,000 regions (rows only,
no schemas: the benchmark reads only their names) with two years of quarterly figures.

A signed-in analist and a national administrator then ask for the pages through
Django's full request path, each BENCH_REPEAT times; printed per request: CPU (this
process + its PostgreSQL backend) median, max and mean, and wall time, with the load.
With BENCH_BASE set to a checkout of main (`git worktree add --detach /tmp/base main`),
the same pages are first measured with main's code on the same database ("before"),
then with this checkout's, after the beat's task has counted the finished months.
"""

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import _requests as bench

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CODE = Path(os.environ.get("BENCH_CODE", REPO))  # whose code the pages run
sys.path[:0] = [str(CODE), str(CODE / "platform")]
REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))
REGIONS = int(os.environ.get("BENCH_REGIONS", "1000"))
BASE = os.environ.get("BENCH_BASE", "")
KEEP = os.environ.get("BENCH_KEEP_DATABASE") == "1"  # to study query plans afterwards
MEASURE_ONLY = "--measure" in sys.argv  # in a checkout's code, on a seeded database


def main() -> None:
    if MEASURE_ONLY:
        bench.setup_django()
        measure(f"before (main's code at {CODE})")
        return
    base_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/meldpunt"
    )
    name = base_url.rsplit("/", 1)[1] + "_bench_statistics"
    os.environ["DATABASE_URL"] = base_url.rsplit("/", 1)[0] + f"/{name}"
    database = [sys.executable, str(REPO / "deploy" / "dev" / "create_database.py"), name]
    subprocess.run([*database, "--recreate"], check=True)
    try:
        bench.setup_django()
        from django.core.management import call_command
        from django.db import connection, connections

        from tests.bench.case_list import seed

        with connection.cursor() as cursor:
            cursor.execute(f"ALTER DATABASE {name} SET {bench.NO_PARALLEL}")
        connections.close_all()
        call_command("migrate_schemas", interactive=False, verbosity=0)
        region, _user, _references = seed()
        add_statistics_history(region)
        add_national_benchmark()
        connections.close_all()
        if BASE:
            bench.measure_before(__file__, BASE)
        count_months(region)
        measure("after (this checkout)")
        connections.close_all()
    finally:
        if not KEEP:
            subprocess.run([*database, "--drop"], check=True)


def add_statistics_history(region) -> None:
    """What case_list's seed leaves out, in set-based SQL, and a signed-up analist."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import connection
    from django_tenants.utils import tenant_context

    from accounts.services import invite_user
    from meldpunt.encryption import encrypt

    started = time.perf_counter()
    with tenant_context(region):
        analist = invite_user("analist@bench.test", role_codes=["analist"])
        TOTP.activate(analist, "JBSWY3DPEHPK3PXP")
        answer = encrypt("Niet bekend.")
        with connection.cursor() as cursor:
            # A stay in the first step, then the case's current step (entered at step_entered_at).
            cursor.execute(
                "INSERT INTO workflow_steptransition (casus_id, from_step_id, to_step_id, at, reason, by_id) "
                "SELECT c.id, s.id, c.current_step_id, c.step_entered_at, '', NULL "
                "FROM workflow_casus c JOIN configuratie_workflowstep s "
                "ON s.definition_id = c.definition_id AND s.is_start "
                "WHERE c.current_step_id <> s.id"
            )
            # Written past the engine: each stay's end from the history, as the migration
            # that added it does (timed: what that migration costs a region this size).
            filled = time.perf_counter()
            cursor.execute(
                "UPDATE workflow_steptransition t SET left_at = n.left_at FROM (SELECT id, "
                "LEAD(at) OVER (PARTITION BY casus_id ORDER BY at, id) AS left_at "
                "FROM workflow_steptransition) n WHERE n.id = t.id AND n.left_at IS NOT NULL"
            )
            print(
                f"Filled {cursor.rowcount} stays' left_at from the history in "
                f"{time.perf_counter() - filled:.1f} s; {bench.load()}"
            )
            cursor.execute(
                "INSERT INTO workflow_screeningoutcome (casus_id, recorded_by_id, recorded_at, outcome, advice) "
                "SELECT id, %s, opened_at + interval '3 days', "
                "(ARRAY['ja','vermoeden','nee','onvoldoende'])[1 + id %% 4], '' "
                "FROM workflow_casus WHERE id %% 10 < 7",
                [analist.pk],
            )
            cursor.execute(
                "INSERT INTO workflow_riskassessment (casus_id, recorded_by_id, recorded_at, answers, "
                "score, level, computed_level, deviation_reason) "
                "SELECT id, %s, opened_at + interval '8 days', '', id %% 12, "
                "(ARRAY['laag','verhoogd','hoog'])[1 + id %% 3], "
                "(ARRAY['laag','verhoogd','hoog'])[1 + id %% 3], '' "
                "FROM workflow_casus WHERE id %% 10 < 4",
                [analist.pk],
            )
            cursor.execute(
                "INSERT INTO workflow_informationrequest "
                "(casus_id, recorded_by_id, recorded_at, partner_id, subject, question, answer, "
                "answered_via, answered_at, closed_at, close_reason, legal_basis, legal_basis_text, "
                "shared_fields) "
                "SELECT c.id, %s, c.opened_at + interval '4 days', p.id, '', %s, a.answer, a.via, "
                "a.at, a.at, '', 'convenant', '', '[]'::jsonb "
                "FROM workflow_casus c CROSS JOIN LATERAL (SELECT "
                "CASE WHEN c.id %% 7 = 0 THEN NULL "
                "ELSE c.opened_at + interval '4 days' + (c.id %% 9) * interval '1 day' END AS at, "
                "CASE WHEN c.id %% 7 = 0 THEN '' ELSE %s END AS answer, "
                "CASE WHEN c.id %% 7 = 0 THEN '' ELSE 'telefoon' END AS via) a "
                "JOIN LATERAL (SELECT id FROM configuratie_partner "
                "ORDER BY id OFFSET c.id %% 5 LIMIT 1) p ON true WHERE c.id %% 10 < 3",
                [analist.pk, answer, answer],
            )
            cursor.execute(
                "INSERT INTO workflow_evaluation (casus_id, recorded_by_id, recorded_at, answers, ratings) "
                "SELECT c.id, %s, c.completed_at, '', jsonb_object_agg(e.code, "
                "(ARRAY['ja','deels','nee','onbekend'])[1 + (c.id + e.id) %% 4]) "
                "FROM workflow_casus c CROSS JOIN configuratie_catalogueentry e "
                "WHERE c.completed_at IS NOT NULL AND e.catalogue = 'evaluatievragen' "
                "GROUP BY c.id",
                [analist.pk],
            )
            cursor.execute("VACUUM ANALYZE")
    print(f"Added step history and records in {time.perf_counter() - started:.0f} s")


def add_national_benchmark() -> None:
    """REGIONS regions (rows only) with eight quarters of every metric, and an admin."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import connection

    from accounts.services import invite_user
    from benchmark.metrics import Metric
    from benchmark.models import BenchmarkFigure
    from statistiek.benchmark import finished_quarters
    from tenants.models import Region

    connection.set_schema_to_public()
    rng = random.Random(1000)
    regions = Region.objects.bulk_create(
        Region(schema_name=f"bench_{n:04d}", slug=f"bench-{n:04d}", name=f"Regio {n:04d}")
        for n in range(REGIONS)
    )
    BenchmarkFigure.objects.bulk_create(
        (
            BenchmarkFigure(
                region=region,
                year=year,
                quarter=quarter,
                metric=metric,
                value=None if rng.random() < 0.1 else float(rng.randint(5, 400)),
            )
            for region in regions
            for year, quarter in finished_quarters()
            for metric in Metric
        ),
        batch_size=10000,
    )
    admin = invite_user("landelijk@bench.test", is_national_admin=True)
    TOTP.activate(admin, "JBSWY3DPEHPK3PXP")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def count_months(region) -> None:
    """What the beat's refresh_monthly_figures does in a region, timed as CPU."""
    from django_tenants.utils import tenant_context

    from statistiek import monthly

    with tenant_context(region):
        backend, cpu, wall = bench.backend_seconds(), time.process_time(), time.perf_counter()
        months = monthly.refresh()
        print(
            f"Counted {months} finished months (region and each municipality): "
            f"{time.perf_counter() - wall:.0f} s wall, CPU {time.process_time() - cpu:.1f} s "
            f"django + {bench.backend_seconds() - backend:.1f} s postgres; {bench.load()}"
        )


def measure(title: str) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from statistiek.figures import default_selection
    from tenants.models import Region

    settings.DEBUG = False  # as in production: no query log kept per request
    region = Region.objects.get(slug="bench")
    region_client = Client(HTTP_HOST="bench.localhost")
    with tenant_context(region):
        region_client.force_login(User.objects.get(email="analist@bench.test"))
    connection.set_schema_to_public()
    national_client = Client(HTTP_HOST="localhost")
    national_client.force_login(User.objects.get(email="landelijk@bench.test"))
    year = default_selection()
    one_municipality = (
        f"/statistiek/?van={year.start}&tot_en_met={year.end}&indeling=kwartaal&gemeente=GM0153"
    )
    pages = [
        ("statistics page (12 months, per month)", region_client, "/statistiek/"),
        ("statistics page, one municipality", region_client, one_municipality),
        ("map page", region_client, "/statistiek/kaart/"),
        (f"national benchmark ({REGIONS} regions)", national_client, "/benchmark/"),
        ("region vs national median", region_client, "/statistiek/benchmark/"),
    ]
    print(f"\n{title}, n={REPEAT} each\n{bench.header()}", flush=True)
    for label, client, url in pages:
        print(bench.get(client, url, REPEAT, label), flush=True)
    if CODE == REPO:
        changed_last_month(region, region_client, bench)


def changed_last_month(region, client, bench) -> None:
    """A change to a case of last month: until the beat counts it again, the page counts
    that month in the cases."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from statistiek import monthly

    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    with tenant_context(region):
        monthly.forget({last_month}, set())
    label = "statistics page, last month changed"
    print(bench.get(client, "/statistiek/", REPEAT, label), flush=True)
    count_months(region)


if __name__ == "__main__":
    main()
