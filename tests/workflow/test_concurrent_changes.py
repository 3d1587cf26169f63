"""Two people acting on one case at the same moment: one moves it through the API while
the other corrects a person in it on the screen. Against a real gunicorn with several
workers and threads, each of 50 races ends with both changes made, one after the
other, and never a 500."""

import json
import threading
from functools import partial

import pyotp

from tests.conftest import SERVED_REGION_HOST
from tests.serving import Page, PlainClient, gunicorn, run_in_schema

RACES = 50
SCREEN_EMAIL = "medewerker.scherm@twente.test"
PASSWORD = "een-lang-wachtwoord-voor-de-race"
CORRECTION = {
    "role": "slachtoffer",
    "name": "Kim de Boer",
    "reason": "invoerfout",
    "explanation": "Achternaam ontbrak.",
}


def prepare(env: dict[str, str]) -> tuple[list[list], str, str]:
    """Cases, each with one person; an API token and a screen user's TOTP secret."""
    printed = run_in_schema(env, "twente", f"""
import json, datetime, pyotp
from django.utils import timezone
from allauth.mfa.totp.internal.auth import TOTP
from accounts.services import create_api_token, invite_user
from workflow.services import reports
api_user = invite_user("medewerker.api@twente.test", role_codes=["medewerker"])
TOTP.activate(api_user, pyotp.random_base32())
_token, key = create_api_token(
    api_user, name="Race", expires_at=timezone.now() + datetime.timedelta(days=1)
)
screen_user = invite_user({SCREEN_EMAIL!r}, role_codes=["medewerker"])
screen_user.set_password({PASSWORD!r})
screen_user.save()
secret = pyotp.random_base32()
TOTP.activate(screen_user, secret)
cases = []
for number in range({RACES}):
    data = reports.ReportData(
        form_code="meldformulier", channel="webformulier", reporter_type="ouder",
        concern="Zorgen om mijn dochter.",
        persons=[reports.PersonData(role="slachtoffer", name=f"Kim {{number}}")],
    )
    casus = reports.submit_report(data, submission_token=None).report.casus
    cases.append([casus.reference, casus.persons.get().pk])
print(json.dumps([cases, key, secret]))
""")  # fmt: skip
    cases, key, secret = json.loads(printed)
    return cases, key, secret


def signed_in(port: int, secret: str) -> PlainClient:
    staff = PlainClient(port, SERVED_REGION_HOST)
    staff.get("/accounts/login/")
    staff.post("/accounts/login/", {"login": SCREEN_EMAIL, "password": PASSWORD})
    assert (
        staff.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()}).location
        == "/"
    )
    return staff


def race(*actions) -> list[Page]:
    """Run `actions` in threads released at the same moment; their pages in order."""
    start = threading.Barrier(len(actions))
    pages: list[Page | None] = [None] * len(actions)

    def run(index: int, action) -> None:
        start.wait()
        pages[index] = action()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return pages


def test_a_move_through_the_api_and_a_correction_on_the_screen_at_once_both_land(
    served_database, tmp_path
):
    cases, key, secret = prepare(served_database)
    env = served_database | {"WEB_CONCURRENCY": "3", "GUNICORN_CMD_ARGS": "--threads 4"}
    log = tmp_path / "gunicorn.log"
    with gunicorn(env, log, host=SERVED_REGION_HOST) as port:
        staff = signed_in(port, secret)
        api = PlainClient(port, SERVED_REGION_HOST, headers={"Authorization": f"Token {key}"})
        outcomes = []
        for reference, person in cases:
            correction = f"/casussen/{reference}/betrokkenen/{person}/corrigeren/"
            staff.get(correction)
            moved, corrected = race(
                partial(api.post_json, f"/api/v1/casussen/{reference}/stap/", {"to": "screening"}),
                partial(staff.post, correction, CORRECTION),
            )
            outcomes.append((reference, moved.status, corrected.status))

        assert [o for o in outcomes if 500 in o[1:]] == []
        assert {(moved, corrected) for _r, moved, corrected in outcomes} == {(200, 302)}
    assert "Traceback" not in log.read_text(), log.read_text()
    steps_and_names = run_in_schema(served_database, "twente", f"""
from workflow.models import InvolvedPerson
references = {[reference for reference, _person in cases]!r}
people = InvolvedPerson.objects.filter(casus__reference__in=references).select_related(
    "casus__current_step"
)
print(sorted({{(p.casus.current_step.code, p.name) for p in people}}))
""")  # fmt: skip
    assert steps_and_names == "[('screening', 'Kim de Boer')]"


def test_two_victims_sent_to_comensha_at_once_leave_the_case_off_the_list(served_database):
    """Two colleagues record each victim's registration as sent at the same moment. Each
    derives what the case waits on (workflow/waiting.py) in its own transaction; the one
    that commits last must see the other's registration, or the case stays on the
    procesregisseur's CoMensha list with both victims registered."""
    still_unregistered = run_in_schema(served_database, "twente", """
import threading, time
import pyotp
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context
from accounts.services import invite_user
from configuratie.models import WorkflowDefinition
from tests.factories import intake_case, person
from tests.workflow.test_comensha import FIELDS
from workflow.models import Casus
from workflow.services import comensha, consent
staff = invite_user("race.comensha@twente.test", role_codes=["medewerker"])
TOTP.activate(staff, pyotp.random_base32())
born = timezone.localdate().year - 19
casus = intake_case(staff, person("Kim A", birth_year=born), person("Kim B", birth_year=born))
melding = WorkflowDefinition.objects.get(status="actief").steps.get(code="melding")
Casus.objects.filter(pk=casus.pk).update(current_step=melding)
prepared = []
for victim in casus.persons.order_by("pk"):
    consent.record_consent(
        victim, actor=staff, purpose="registratie_comensha", given_by="betrokkene",
        given_on=timezone.localdate(), scope="Registratie bij CoMensha.",
    )
    prepared.append(comensha.prepare_registration(victim, actor=staff, **FIELDS))
region = connection.tenant

def send_second():
    with tenant_context(region), transaction.atomic():
        comensha.record_sent(prepared[1], actor=staff)
    connection.close()

with transaction.atomic():
    comensha.record_sent(prepared[0], actor=staff)
    second = threading.Thread(target=send_second)
    second.start()
    # Commit once the second waits for a lock this transaction holds, or has finished.
    for _ in range(400):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            )
            if cursor.fetchone()[0] or not second.is_alive():
                break
        time.sleep(0.05)
second.join()
print(Casus.objects.get(pk=casus.pk).victim_unregistered)
""")  # fmt: skip
    assert still_unregistered == "False"
