"""`make bench`: process oversight in a region with 100,000 cases.

Runs on a database of its own (parallel query off, so that every query's CPU is in the
measured backend). The region is seeded by case_list.py's `seed()` and then given in
SQL what the oversight signals look at: screening outcomes, information requests with
answer-by dates (some passed, some answered), feedback on most reports, reporters'
messages, and plans with actions (some overdue); then every case's last activity and
what it waits on are derived from that history (`recompute_last_activity`,
`recompute_waiting`), as the seed's bulk insert passed the receivers that keep them.

A signed-in procesregisseur asks for the home page (every signal and the open cases per
step) with the counts' cache emptied before each request (a case changed: the uncached
path) and as it usually is (cached), and the case list of each signal, through
Django's full request path, each BENCH_REPEAT times; and the counting of the signals
alone. Printed per request: CPU (this process + its PostgreSQL backend) median, max
and mean, and wall time, with the load. With BENCH_BASE set to a checkout of main, the
same is first measured with main's code on the same database ("before").
"""

import os
import sys
import time
from pathlib import Path

import _requests as bench

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CODE = Path(os.environ.get("BENCH_CODE", REPO))  # whose code the pages run
sys.path[:0] = [str(CODE), str(CODE / "platform")]
REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))
BASE = os.environ.get("BENCH_BASE", "")
KEEP = os.environ.get("BENCH_KEEP_DATABASE") == "1"  # to study query plans afterwards
MEASURE_ONLY = "--measure" in sys.argv  # in a checkout's code, on a seeded database


def main() -> None:
    if MEASURE_ONLY:
        bench.setup_django()
        measure(f"before (main's code at {CODE})")
        return
    from tests.bench._database import bench_database, role_env

    with bench_database("bench_oversight", keep=KEEP) as name:
        # case_list's seed puts the region at bench.localhost, under the default BASE_DOMAIN.
        os.environ.update(role_env(name, "owner") | {"DEBUG": "1"})
        bench.setup_django()
        from django.core.management import call_command
        from django.db import connection, connections

        from tests.bench.case_list import seed

        with connection.cursor() as cursor:
            cursor.execute(f"ALTER DATABASE {name} SET {bench.NO_PARALLEL}")
        connections.close_all()
        call_command("migrate_schemas", interactive=False, verbosity=0)
        region, _user, _references = seed()
        add_oversight_history(region)
        connections.close_all()
        analyse_as_administrator(name)
        if BASE:
            bench.measure_before(__file__, BASE)
        measure("after (this checkout)")
        connections.close_all()


def add_oversight_history(region) -> None:
    """What the signals read beyond the statistics' history, in set-based SQL, and a
    signed-up procesregisseur."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import connection
    from django_tenants.utils import tenant_context

    from accounts.services import invite_user
    from meldpunt.encryption import encrypt
    from workflow.activity import activity_sources, recompute_last_activity
    from workflow.waiting import recompute_waiting

    started = time.perf_counter()
    with tenant_context(region):
        director = invite_user("procesregisseur@bench.test", role_codes=["procesregisseur"])
        TOTP.activate(director, "JBSWY3DPEHPK3PXP")
        text = encrypt("Dank voor uw melding.")
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO workflow_screeningoutcome "
                "(casus_id, recorded_by_id, recorded_at, outcome, advice) "
                "SELECT id, %s, opened_at + interval '3 days', "
                "(ARRAY['ja','vermoeden','nee','onvoldoende'])[1 + id %% 4], '' "
                "FROM workflow_casus WHERE id %% 10 < 7",
                [director.pk],
            )
            cursor.execute(
                "INSERT INTO workflow_informationrequest (casus_id, recorded_by_id, recorded_at, "
                "partner_id, subject, question, answer, answered_via, close_reason, closed_at, "
                "shared_fields, legal_basis, legal_basis_text, answer_by) "
                "SELECT c.id, %s, c.opened_at + interval '4 days', p.id, '', %s, '', '', '', "
                "CASE WHEN c.id %% 7 = 0 THEN NULL ELSE c.opened_at + interval '6 days' END, "
                "'[]', 'convenant', '', (c.opened_at + (c.id %% 20) * interval '1 day')::date "
                "FROM workflow_casus c JOIN LATERAL (SELECT id FROM configuratie_partner "
                "ORDER BY id OFFSET c.id %% 5 LIMIT 1) p ON true WHERE c.id %% 10 < 3",
                [director.pk, text],
            )
            cursor.execute(
                "INSERT INTO workflow_feedback (casus_id, report_id, recorded_by_id, recorded_at, text) "
                "SELECT r.casus_id, r.id, %s, r.submitted_at + interval '5 days', %s "
                "FROM workflow_report r WHERE r.id %% 10 < 6",
                [director.pk, text],
            )
            cursor.execute(
                "INSERT INTO workflow_reportermessage (casus_id, report_id, direction, text, sent_at) "
                "SELECT r.casus_id, r.id, 'antwoord', %s, r.submitted_at + interval '6 days' "
                "FROM workflow_report r WHERE r.id %% 20 = 0",
                [text],
            )
            cursor.execute(
                "INSERT INTO workflow_planofapproach "
                "(casus_id, recorded_by_id, recorded_at, version, goals, revision_reason) "
                "SELECT id, %s, opened_at + interval '10 days', 1, %s, '' "
                "FROM workflow_casus WHERE id %% 10 < 3",
                [director.pk, text],
            )
            cursor.execute(
                "INSERT INTO workflow_planaction "
                "(plan_id, position, description, chain, due_on, status, outcome, owner_name) "
                "SELECT p.id, n, %s, 'zorg', (p.recorded_at + (p.id %% 90) * interval '1 day')::date, "
                "(ARRAY['open','lopend','gereed'])[1 + (p.id + n) %% 3], '', '' "
                "FROM workflow_planofapproach p CROSS JOIN generate_series(1, 2) n",
                [text],
            )
        # What the engine and the services keep for every case, derived from the history.
        recompute_last_activity(activity_sources())
        recompute_waiting()
    print(f"Added oversight history in {time.perf_counter() - started:.0f} s")


def analyse_as_administrator(name: str) -> None:
    """Fresh planner statistics for every table, the history added above included: inside
    the region the connection takes the region's role, which owns no table, so a VACUUM
    there skips every one."""
    import psycopg2

    from tests.bench._database import ADMIN_ENV

    base_url = ADMIN_ENV.get("DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/meldpunt")
    connection = psycopg2.connect(base_url.rsplit("/", 1)[0] + f"/{name}")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def measure(title: str) -> None:
    from django.conf import settings
    from django.test import Client
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from meldpunt.cache import renew_version
    from tenants.models import Region
    from workflow.oversight import CASES, OVERSIGHT_SIGNALS, count_signals

    settings.DEBUG = False  # as in production: no query log kept per request
    region = Region.objects.get(slug="bench")
    client = Client(HTTP_HOST="bench.localhost")

    def case_changed() -> None:
        with tenant_context(region):
            renew_version(CASES)

    with tenant_context(region):
        director = User.objects.get(email="procesregisseur@bench.test")
        client.force_login(director)
        counts = {found.code: found.count for found in count_signals(director)}

        def count() -> None:
            renew_version(CASES)
            count_signals(director)

        counting = bench.sampled(count, REPEAT)
    print(f"\n{title}, n={REPEAT} each\nSignal counts: {counts}\n{bench.header()}")
    print(bench.line("counting every signal, uncached (one query)", counting), flush=True)
    print(bench.get(client, "/", REPEAT, "home page, uncached", prepare=case_changed), flush=True)
    print(bench.get(client, "/", REPEAT, "home page, counts cached"), flush=True)
    for code in OVERSIGHT_SIGNALS:
        print(bench.get(client, f"/casussen/?signaal={code}", REPEAT, f"case list, {code}"))


if __name__ == "__main__":
    main()
