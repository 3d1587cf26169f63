"""`make bench`: the statistics page of a region with 100,000 cases, and the national
benchmark page with 1,000 regions' aggregates.

Runs on a database of its own. The region is seeded by case_list.py's `seed()` (cases,
reports, people, a first step), then given in SQL what the statistics count beyond
that: a step history with a stay per case, screening outcomes, risk assessments,
information requests with answers and evaluations. The national side gets 1,000
regions (rows only, no schemas: the benchmark reads only their names) with two years
of quarterly figures. A signed-in analist and a national administrator then ask for
the pages through Django's full request path, each BENCH_REPEAT times; prints median
and the slowest per page, with the machine's load.
"""

import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(REPO / "platform")]
REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))
REGIONS = int(os.environ.get("BENCH_REGIONS", "1000"))
KEEP = os.environ.get("BENCH_KEEP_DATABASE") == "1"  # to study query plans afterwards


def main() -> None:
    base_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/meldpunt"
    )
    name = base_url.rsplit("/", 1)[1] + "_bench_statistics"
    os.environ["DATABASE_URL"] = base_url.rsplit("/", 1)[0] + f"/{name}"
    database = [sys.executable, str(REPO / "deploy" / "dev" / "create_database.py"), name]
    subprocess.run([*database, "--recreate"], check=True)
    try:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldpunt.settings")
        import django

        django.setup()
        from django.core.management import call_command

        from tests.bench.case_list import seed

        call_command("migrate_schemas", interactive=False, verbosity=0)
        region, _user, _references = seed()
        analist = add_statistics_history(region)
        admin = add_national_benchmark()
        measure(region, analist, admin)
        from django.db import connections

        connections.close_all()
    finally:
        if not KEEP:
            subprocess.run([*database, "--drop"], check=True)


def add_statistics_history(region):
    """What case_list's seed leaves out, in set-based SQL; returns a signed-up analist."""
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
                "(casus_id, recorded_by_id, recorded_at, partner_id, question, answer, answered_via, "
                "answered_at, closed_at, close_reason, legal_basis, legal_basis_text, shared_fields) "
                "SELECT c.id, %s, c.opened_at + interval '4 days', p.id, %s, a.answer, a.via, "
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
    return analist


def add_national_benchmark():
    """REGIONS regions (rows only) with eight quarters of every metric; returns an admin."""
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
    return admin


def load_average() -> str:
    from tests.bench._measure import load

    return load()


def timed(client, url: str) -> tuple[float, float]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)  # warm up, and it must work
    durations = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        client.get(url)
        durations.append((time.perf_counter() - started) * 1000)
    # With BENCH_REPEAT samples (10 to 30) a p95 would be one of the last two values:
    # the slowest is printed as such (tests/bench/_measure.py: percentiles from 200 up).
    return statistics.median(durations), max(durations)


def measure(region, analist, admin) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import tenant_context

    settings.DEBUG = False  # as in production: no query log kept per request
    region_client = Client(HTTP_HOST="bench.localhost")
    with tenant_context(region):
        region_client.force_login(analist)
    connection.set_schema_to_public()
    national_client = Client(HTTP_HOST="localhost")
    national_client.force_login(admin)
    from statistiek.figures import default_selection

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
    load = os.getloadavg()
    print(f"\nMachine: {os.cpu_count()} cores, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{'page':<45} {'median ms':>10} {'max ms':>8}  (n={REPEAT} each)")
    for label, client, url in pages:
        median, slowest = timed(client, url)
        print(f"{label:<45} {median:>10.1f} {slowest:>8.1f}  {load_average()}")
    load = os.getloadavg()
    print(f"Load afterwards: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
