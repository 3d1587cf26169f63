"""`make bench`: process oversight in a region with 100,000 cases.

Runs on a database of its own. The region is seeded by case_list.py's `seed()` and
then given in SQL what the oversight signals look at: screening outcomes, information
requests with answer-by dates (some passed, some answered), feedback on most reports,
reporters' messages, and plans with actions (some overdue). A signed-in procesregisseur then asks for the home page (every
signal and the open cases per step) and the case list of each signal, through Django's
full request path, each BENCH_REPEAT times; and counting the signals alone. Prints
median and the slowest, with the machine's load.
"""

import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(REPO / "platform")]


def main() -> None:
    from tests.bench._database import bench_database, role_env

    with bench_database("bench_oversight") as name:
        # case_list's seed puts the region at bench.localhost, under the default BASE_DOMAIN.
        os.environ.update(role_env(name, "owner") | {"DEBUG": "1"})
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldpunt.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        from tests.bench.case_list import seed

        call_command("migrate_schemas", interactive=False, verbosity=0)
        region, _user, _references = seed()
        measure(region, add_oversight_history(region))
        connections.close_all()


def add_oversight_history(region):
    """What the signals read beyond the statistics' history, in set-based SQL; returns
    a signed-up procesregisseur."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import connection
    from django_tenants.utils import tenant_context

    from accounts.services import invite_user
    from meldpunt.encryption import encrypt

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
                "partner_id, question, answer, answered_via, close_reason, closed_at, "
                "shared_fields, legal_basis, legal_basis_text, answer_by) "
                "SELECT c.id, %s, c.opened_at + interval '4 days', p.id, %s, '', '', '', "
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
            cursor.execute("VACUUM ANALYZE")
    print(f"Added oversight history in {time.perf_counter() - started:.0f} s")
    return director


def measure(region, director) -> None:
    from django.conf import settings
    from django.test import Client
    from django_tenants.utils import tenant_context

    from tests.bench.statistics_page import REPEAT, load_average, timed
    from workflow.oversight import OVERSIGHT_SIGNALS, count_signals

    settings.DEBUG = False  # as in production: no query log kept per request
    client = Client(HTTP_HOST="bench.localhost")
    with tenant_context(region):
        client.force_login(director)
        counts = {found.code: found.count for found in count_signals(director)}
        durations = []
        for _ in range(10):
            started = time.perf_counter()
            count_signals(director)
            durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    print(f"\nSignal counts: {counts}")
    load = os.getloadavg()
    print(f"Machine: {os.cpu_count()} cores, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{'request':<45} {'median ms':>10} {'max ms':>8}  (n={REPEAT} each)")
    print(f"{'counting every signal (one query)':<45} {durations[5]:>10.1f} {durations[-1]:>8.1f}")
    pages = [("home page of the procesregisseur", "/")] + [
        (f"case list, signaal={code}", f"/casussen/?signaal={code}") for code in OVERSIGHT_SIGNALS
    ]
    for label, url in pages:
        median, slowest = timed(client, url)
        print(f"{label:<45} {median:>10.1f} {slowest:>8.1f}  {load_average()}")
    load = os.getloadavg()
    print(f"Load afterwards: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
