"""`make bench`: the case list and the case page of a region with 100,000 cases.

Runs on a database of its own: one region (the Twente preset) gets BENCH_CASES cases
with reports, people (encrypted names with their blind indexes), step histories,
priorities, deadlines and coordinators, spread as a year of work would leave them.
Then a signed-in medewerker asks, through Django's full request path (middleware,
policy, audit lines, templates), for the default list, each filter, name searches,
page 10 and a case page; each BENCH_REPEAT times. Prints median and slowest per request,
with the machine's load.
"""

import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CASES = int(os.environ.get("BENCH_CASES", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
KEEP = os.environ.get("BENCH_KEEP_DATABASE") == "1"  # to study query plans afterwards
BATCH = 5000
FIRST_NAMES = [
    "Sanne",
    "Lotte",
    "Noa",
    "Emma",
    "Yara",
    "Amira",
    "Daan",
    "Milan",
    "Sem",
    "Fleur",
    "Julia",
    "Bo",
    "Eva",
    "Lisa",
    "Anna",
    "Sara",
    "Tess",
    "Zoë",
    "Mila",
    "Nora",
    "Liv",
    "Evi",
    "Saar",
    "Roos",
    "Lynn",
    "Isa",
    "Fenna",
    "Jasmijn",
    "Nina",
    "Lieke",
    "Ilse",
    "Iris",
    "Femke",
    "Esmee",
    "Naomi",
    "Aya",
    "Ines",
    "Luna",
    "Lina",
    "Hanna",
    "Jesse",
    "Levi",
    "Finn",
    "Luuk",
    "Thijs",
    "Bram",
    "Lucas",
    "Mees",
    "Noah",
    "Ruben",
    "Stijn",
    "Jayden",
    "Ryan",
    "Omar",
    "Adam",
    "Mohamed",
    "Youssef",
    "Ayoub",
    "Bilal",
    "Ilias",
]
SURNAMES = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "de Boer",
    "El Amrani",
    "Yilmaz",
    "van Dijk",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Berg",
    "van der Heijden",
    "Schouten",
    "van Beek",
    "Willems",
    "van Vliet",
    "van de Ven",
    "Hoekstra",
    "Maas",
    "Verhoeven",
    "Koster",
    "van Dam",
    "van der Wal",
    "Prins",
    "Blom",
    "Huisman",
    "Peeters",
    "de Jong",
    "Kaya",
    "Demir",
    "Öztürk",
    "Bouzid",
    "Haddou",
    "Benali",
    "El Idrissi",
    "Ait Said",
    "Nguyen",
    "Tran",
    "Santos",
    "da Silva",
    "Kowalski",
    "Nowak",
    "Popescu",
    "Ivanov",
]
SCHOOLS = [f"School {number}" for number in range(300)]
# Enschede, Hengelo, Almelo, Oldenzaal, Borne: the busiest of the preset's working area.
TWENTE_MUNICIPALITIES = ["GM0153", "GM0153", "GM0164", "GM0141", "GM0173", "GM0147"]


def follow_code(number: int) -> str:
    """A report code in the real format (M-XXXX-XXXX), unique per number."""
    from workflow.services.reports import CODE_ALPHABET

    letters = ""
    for _ in range(8):
        number, digit = divmod(number, len(CODE_ALPHABET))
        letters += CODE_ALPHABET[digit]
    return f"M-{letters[:4]}-{letters[4:]}"


def main() -> None:
    base_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/meldpunt"
    )
    name = base_url.rsplit("/", 1)[1] + "_bench_cases"
    os.environ["DATABASE_URL"] = base_url.rsplit("/", 1)[0] + f"/{name}"
    database = [sys.executable, str(REPO / "deploy" / "dev" / "create_database.py"), name]
    subprocess.run([*database, "--recreate"], check=True)
    try:
        sys.path[:0] = [str(REPO), str(REPO / "platform")]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldpunt.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate_schemas", interactive=False, verbosity=0)
        region, user, references = seed()
        measure(region, user, references)
        from django.db import connections

        connections.close_all()
    finally:
        if not KEEP:
            subprocess.run([*database, "--drop"], check=True)


def seed():
    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from accounts.services import invite_user
    from configuratie.models import DefinitionStatus, Priority, WorkflowDefinition
    from meldpunt.encryption import encrypt
    from tenants.models import Preset
    from tenants.services.onboarding import onboard_region
    from workflow.models import Casus, InvolvedPerson, Report, StepTransition

    started = time.perf_counter()
    region = onboard_region(
        slug="bench",
        name="Bench",
        domain="bench.localhost",
        admin_email="beheer@bench.test",
        preset=Preset.TWENTE,
        invite_admin=False,
    ).region
    rng = random.Random(20261125)
    with tenant_context(region):
        user = invite_user("medewerker@bench.test", role_codes=["medewerker"])
        coordinator = invite_user("coordinator@bench.test", role_codes=["casuscoordinator"])
        TOTP.activate(user, "JBSWY3DPEHPK3PXP")
        definition = WorkflowDefinition.objects.get(status=DefinitionStatus.ACTIVE)
        steps = list(definition.steps.all())
        start = next(step for step in steps if step.is_start)
        priorities = [None, *Priority.objects.all()]
        now = timezone.now()
        concern = encrypt("Zij heeft sinds kort een veel oudere vriend en krijgt dure cadeaus.")
        references = []
        for offset in range(0, CASES, BATCH):
            cases = []
            for number in range(offset, min(offset + BATCH, CASES)):
                opened = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
                step = rng.choice(steps)
                entered = opened + (now - opened) * rng.random()
                completed = rng.random() < 0.3
                priority = rng.choice(priorities)
                days = step.deadline_days_for(priority.code if priority else None)
                cases.append(
                    Casus(
                        reference=f"{opened:%Y}-{number + 1:06d}",
                        definition=definition,
                        current_step=step,
                        priority=priority,
                        case_type=rng.choice(["slachtoffer", "dader", "beide", ""]),
                        coordinator=coordinator if rng.random() < 0.2 else None,
                        opened_at=opened,
                        step_entered_at=entered,
                        deadline_at=None
                        if completed or days is None
                        else entered + timedelta(days=days),
                        closed_at=entered if completed else None,
                        completed_at=entered if completed else None,
                    )
                )
            Casus.objects.bulk_create(cases)
            references += [casus.reference for casus in cases]
            reports = [
                Report(
                    casus=casus,
                    form_code="meldformulier",
                    channel="webformulier",
                    reporter_type=rng.choice(["burger", "ouder", "professional", "betrokkene"]),
                    concern=concern,
                    submitted_at=casus.opened_at,
                    follow_code=follow_code(casus.pk),
                    follow_secret_hash="0" * 64,
                )
                for casus in cases
            ]
            # The same token for every report: encrypting 100,000 times tells nothing here.
            Report.objects.bulk_create(reports)
            persons = []
            for report in reports:
                for role in ["slachtoffer"] + (["dader"] if rng.random() < 0.4 else []):
                    person = InvolvedPerson(
                        report=report,
                        role=role,
                        name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                        birth_year=rng.randint(2004, 2014),
                        municipality=rng.choice(TWENTE_MUNICIPALITIES),
                        school=rng.choice(SCHOOLS),
                    )
                    person.set_indexes()
                    persons.append(person)
            InvolvedPerson.objects.bulk_create(persons)
            StepTransition.objects.bulk_create(
                StepTransition(casus=casus, from_step=None, to_step=start, at=casus.opened_at)
                for casus in cases
            )
            print(f"  seeded {offset + len(cases)} cases", file=sys.stderr)
    # What autovacuum does to tables this size; outside the region, as the connection's own
    # role: the region's role owns no table, so VACUUM skipped every one (no statistics,
    # and plans that expect 66 open cases of 70,000).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"Seeded {CASES} cases in {time.perf_counter() - started:.0f} s")
    return region, user, references


def measure(region, user, references) -> None:
    from django.conf import settings
    from django.test import Client
    from django_tenants.utils import tenant_context

    from tests.bench._measure import load as load_average
    from workflow.models import InvolvedPerson

    # Requests as in production: DEBUG off (no query log kept per request).
    settings.DEBUG = False
    client = Client(HTTP_HOST="bench.localhost")
    with tenant_context(region):
        client.force_login(user)
        person = InvolvedPerson.objects.filter(role="slachtoffer").first()
    first, *rest = person.name.split()
    requests = {
        "list, default (open, by deadline)": "/casussen/",
        "list, page 10": "/casussen/?pagina=10",
        "list, step = screening": "/casussen/?step=screening",
        "list, priority = acuut": "/casussen/?priority=acuut",
        "list, case type = dader": "/casussen/?case_type=dader",
        "list, overdue": "/casussen/?overdue=on",
        "list, mine (coordinator)": "/casussen/?mine=on",
        "list, finished": "/casussen/?status=afgerond",
        "list, all, by opened": "/casussen/?status=alle&order=-geopend",
        "list, by case code": "/casussen/?order=casus",
        "search, full name": f"/casussen/?q={person.name}",
        "search, first name": f"/casussen/?q={first}",
        "search, surname": f"/casussen/?q={' '.join(rest)}",
        "search, name and birth year": f"/casussen/?q={first} {person.birth_year}",
        "search, case code": f"/casussen/?q={references[len(references) // 2]}",
        "search, report code": f"/casussen/?q={follow_code(len(references) // 4)}",
        "case page": f"/casussen/{references[len(references) // 3]}/",
    }
    load = os.getloadavg()
    print(f"\nMachine: {os.cpu_count()} cores, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{'request':<38} {'median ms':>10} {'max ms':>8}  (n={REPEAT} each)")
    for label, url in requests.items():
        assert client.get(url).status_code == 200, url  # warm up, and it must work
        durations = []
        for _ in range(REPEAT):
            started = time.perf_counter()
            client.get(url)
            durations.append((time.perf_counter() - started) * 1000)
        # The slowest of REPEAT, not a "p95" of 30 (tests/bench/_measure.py).
        print(
            f"{label:<38} {statistics.median(durations):>10.1f} {max(durations):>8.1f}  {load_average()}"
        )
    load = os.getloadavg()
    print(f"Load afterwards: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
