"""The API keeps its contract: schemathesis sends generated requests (valid and not)
to every operation of the live schema of a real gunicorn, with the personal API token
of a region's user, and no answer is a server error or differs from what the schema
says (status, content type, body)."""

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest

from tests.conftest import SERVED_REGION_HOST
from tests.serving import OwnRedis, PlainClient, gunicorn, run_in_schema

pytestmark = pytest.mark.worker
EXAMPLES_PER_OPERATION = 60
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
]
# Who sends the requests, and to which operations: staff to all of them (a case of
# Twente exists, a partner has a request and a referral addressed to it); the partner's
# contact and the analist again to what only they reach.
SENDERS = {
    "medewerker": "",
    "partnercontact": "^/api/v1/(partner|meldingen)/",
    "analist": "^/api/v1/statistiek/",
}
# Generated cases each run must reach: more than a thousand over every operation.
MINIMUM_CASES = {"medewerker": 1000, "partnercontact": 150, "analist": 30}
# An operation each reaches (so the token was taken, not refused throughout).
OWN_OPERATIONS = {
    "medewerker": "GET /api/v1/casussen/",
    "partnercontact": "GET /api/v1/partner/inbox/",
    "analist": "GET /api/v1/statistiek/",
}


def sender(env: dict[str, str], role: str) -> str:
    """The API key of a new user of Twente with `role`. Staff have a case to list and
    read; the contact is linked to a partner that a case's request and referral are
    addressed to."""
    return run_in_schema(env, "twente", f"""
from datetime import timedelta
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from accounts.services import create_api_token, invite_user
from configuratie.models import PartnerContact
from tenants.models import Region
from tests.factories import intake_case, person
from tests.frontend.portal.world import partner_world
made_so_far = []
def member(region, *roles):
    made_so_far.append(roles)
    email = f"{{roles[0]}}.{{len(made_so_far)}}.{role}.contract@twente.test"
    made = invite_user(email, role_codes=roles)
    TOTP.activate(made, {pyotp.random_base32()!r})
    return made
user = member(None, {role!r})
if {role!r} == "medewerker":
    intake_case(user, person("Eva Contract", birth_year=2011))
if {role!r} == "partnercontact":
    world = partner_world(Region.objects.get(slug="twente"), member)
    PartnerContact.objects.filter(account=world.contact).update(account=user)
_token, key = create_api_token(user, name="Contract", expires_at=timezone.now() + timedelta(days=1))
print(key)
""")  # fmt: skip


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    """A Redis of the test's own: the thousands of public reports it sends count against
    127.0.0.1 in the cache, and on a shared Redis they would hold back the reporters of
    every other test server for ten minutes."""
    redis = OwnRedis()
    redis.start()
    yield redis
    redis.stop()


@pytest.mark.parametrize("role", list(SENDERS))
def test_generated_requests_get_no_server_error_and_no_answer_outside_the_schema(
    served_database, own_redis, tmp_path, role
):
    key = sender(served_database, role)
    # Thousands of requests a minute: the token's own limit would answer most with 429.
    env = served_database | {"API_TOKEN_RATE": "100000/min", "REDIS_URL": own_redis.url}
    log = tmp_path / "gunicorn.log"
    schema = tmp_path / "schema.json"
    report = tmp_path / "report.json"
    with gunicorn(env, log, host=SERVED_REGION_HOST) as port:
        headers = {"Host": SERVED_REGION_HOST, "Authorization": f"Token {key}"}
        signed_in = PlainClient(port, SERVED_REGION_HOST, headers={"Authorization": f"Token {key}"})
        assert signed_in.get("/api/v1/configuratie/stappen/").status == 200  # the key works
        fetched = PlainClient(port, SERVED_REGION_HOST).get("/api/v1/schema/?format=json")
        assert fetched.status == 200
        schema.write_text(fetched.text)
        run = subprocess.run(
            [
                str(Path(sys.executable).parent / "schemathesis"),
                "run",
                str(schema),
                "--url",
                f"http://127.0.0.1:{port}",
                *[arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")],
                *(["--include-path-regex", SENDERS[role]] if SENDERS[role] else []),
                "--checks",
                ",".join(CHECKS),
                "--phases",
                "examples,coverage,fuzzing",
                "--max-examples",
                str(EXAMPLES_PER_OPERATION),
                "--seed",
                "17",
                # One: Python 3.11's ast.parse is not safe in threads, and hypothesis
                # parses lambdas while it describes strategies.
                "--workers",
                "1",
                "--generation-database",
                "none",
                "--no-color",
                "--report",
                "json",
                "--report-json-path",
                str(report),
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
    assert "Traceback" not in log.read_text(), log.read_text()[-5000:]
    summary = json.loads(report.read_text())
    cases = summary["test_cases"]
    assert cases["errored"] == 0 and cases["with_failures"] == 0
    assert cases["generated"] >= MINIMUM_CASES[role], (cases, run.stdout[-3000:])
    assert OWN_OPERATIONS[role] not in summary["warnings"]["missing_auth"]
