"""What the audit chain costs: audit lines per second with the chain trigger and without it.

On a database of its own (migrated, dropped afterwards), in the public schema's log:
lines written inside the database alone (a loop of INSERTs in one statement: the
trigger's own cost), one per statement through `record()` (each its own transaction,
as a request writes them), and 50 per statement through `record_many()` (a case file
read). Each in ROUNDS rounds of BENCH_AUDIT_LINES lines that alternate between the
chain trigger lifted (what the log cost before it) and in place, the median of each
reported, so the load of a shared machine falls on both alike. Then
BENCH_AUDIT_WRITERS threads write at once, each on its own connection, after which
the chain must be intact; last, how long checking the whole chain takes.
"""

import os
import statistics
import threading
import time

from _database import bench_database, role_env, setup_django

LINES = int(os.environ.get("BENCH_AUDIT_LINES", "1000"))
ROUNDS = 5
WRITERS = int(os.environ.get("BENCH_AUDIT_WRITERS", "4"))
PER_STATEMENT = 50


def chain_trigger(enabled: bool) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE audit_auditentry {'ENABLE' if enabled else 'DISABLE'} "
            "TRIGGER audit_auditentry_chain"
        )


def in_the_database(count: int) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            f"DO $$ BEGIN FOR n IN 1..{int(count)} LOOP INSERT INTO audit_auditentry (user_email,"
            " role, on_behalf_of, action, object_type, object_id, case_id, person_id, grounds,"
            " detail) VALUES ('', '', '', 'view', '', '', '', '', 'bench', '{}'); END LOOP;"
            " END $$"
        )
        return count / (time.perf_counter() - started)


def one_by_one(count: int) -> float:
    from audit.models import AuditAction
    from audit.services import record

    started = time.perf_counter()
    for number in range(count):
        record(AuditAction.VIEW, case_id=f"2026-{number:05d}", grounds="bench")
    return count / (time.perf_counter() - started)


def many_at_once(count: int) -> float:
    from audit.models import AuditAction
    from audit.services import record_many

    started = time.perf_counter()
    for _ in range(count // PER_STATEMENT):
        persons = [str(person) for person in range(PER_STATEMENT)]
        record_many(AuditAction.VIEW, person_ids=persons, case_id="2026-00001", grounds="bench")
    return count / (time.perf_counter() - started)


def concurrently(count: int) -> float:
    from django.db import connection

    def write() -> None:
        one_by_one(count // WRITERS)
        connection.close()

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return count / (time.perf_counter() - started)


def main() -> None:
    with bench_database("auditketen") as name:
        setup_django(role_env(name, "owner"))
        from django.core.management import call_command

        from audit.chain import verify_chain

        call_command("migrate_schemas", "--shared", interactive=False, verbosity=0)
        print(f"{LINES} lines each; 2 shared cores, so compare the columns, not the machines")
        print(f"{'':32}{'without chain':>16}{'with chain':>14}")
        lifted = 0
        for label, measure in (
            ("inside the database only", in_the_database),
            ("one line per statement", one_by_one),
            (f"{PER_STATEMENT} lines per statement", many_at_once),
        ):
            rates: dict[bool, list[float]] = {False: [], True: []}
            for _ in range(ROUNDS):
                for enabled in (False, True):
                    chain_trigger(enabled)
                    rates[enabled].append(measure(LINES))
            lifted += ROUNDS * LINES
            before, after = statistics.median(rates[False]), statistics.median(rates[True])
            print(f"{label:32}{before:>12.0f} /s{after:>12.0f} /s  ({after / before:.0%})")
        chain_trigger(True)
        print(f"{WRITERS} writers at once, with chain: {concurrently(LINES):.0f} lines/s")
        started = time.perf_counter()
        report = verify_chain()
        took = time.perf_counter() - started
        # The lines written with the trigger lifted stand outside the chain, as forged ones would.
        print(f"check of {report.lines} lines: {took:.2f} s; {report.broken} outside the chain")
        assert report.broken == lifted, "the chained lines do not form one unbroken chain"


if __name__ == "__main__":
    main()
