"""Mail is never lost and never jams, end to end: a real gunicorn and Celery worker send
through a real SMTP server (aiosmtpd) that the test stops, starts again, and makes
refuse one recipient. A regiobeheerder invites a colleague through the screen while the
server is down and sees no error; the invitation arrives, once, when it is back. A
refused invitation shows up as failed mail in Beheer and arrives after a retry."""

import json
import re
import time
from pathlib import Path

import pyotp
import pytest

from tests.conftest import SERVED_REGION_HOST
from tests.serving import (
    OwnRedis,
    OwnSmtpServer,
    PlainClient,
    celery_worker,
    gunicorn,
    run_in_schema,
)

pytestmark = pytest.mark.worker
ADMIN_EMAIL = "beheerder.mailstoring@twente.test"
ADMIN_PASSWORD = "een-lang-wachtwoord-voor-de-beheerder"
COLLEAGUE = "nieuwe.collega@twente.test"
REFUSED = "geweigerd@twente.test"
INVITATION_LINK = re.compile(
    r"http://twente\.meldpunt\.test(:\d+)?/accounts/password/reset/key/\S+"
)


def in_twente(env: dict[str, str], code: str) -> str:
    return run_in_schema(env, "twente", code)


def create_administrator(env: dict[str, str]) -> tuple[pyotp.TOTP, str]:
    """A regiobeheerder with password and second factor; returns it and the analist role's pk."""
    secret = pyotp.random_base32()
    analist = in_twente(env, f"""
from allauth.mfa.totp.internal.auth import TOTP
from accounts.models import Role
from accounts.services import invite_user
user = invite_user({ADMIN_EMAIL!r}, role_codes=["regiobeheerder"])
user.set_password({ADMIN_PASSWORD!r})
user.save()
TOTP.activate(user, {secret!r})
print(Role.objects.get(code="analist").pk)
""")  # fmt: skip
    return pyotp.TOTP(secret), analist


def sign_in(port: int, totp: pyotp.TOTP) -> PlainClient:
    client = PlainClient(port, SERVED_REGION_HOST)
    client.get("/accounts/login/")
    password = client.post("/accounts/login/", {"login": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert password.location == "/accounts/2fa/authenticate/", password.text
    assert client.post("/accounts/2fa/authenticate/", {"code": totp.now()}).status == 302
    return client


def invite(admin: PlainClient, email: str, role: str) -> None:
    admin.get("/gebruikers/nieuw/")
    sent = admin.post("/gebruikers/nieuw/", {"email": email, "full_name": "Collega", "roles": role})
    assert (sent.status, sent.location) == (302, "/gebruikers/"), sent.text
    listed = admin.get("/gebruikers/")
    assert listed.status == 200 and f"Uitnodiging verstuurd naar {email}" in listed.text


def outbox_state(env: dict[str, str]) -> list[list]:
    """[to, status, attempts, last error] of every message in Twente's outbox."""
    printed = in_twente(
        env,
        "import json\nfrom meldpunt.models import OutboxMessage\n"
        "print(json.dumps(sorted([m.to, m.status, m.attempts, m.last_error]"
        " for m in OutboxMessage.objects.all())))",
    )
    return json.loads(printed)


def wait_for_state(env: dict[str, str], wanted, seconds: float = 60) -> list[list]:
    deadline = time.monotonic() + seconds
    while not wanted(state := outbox_state(env)):
        assert time.monotonic() < deadline, state
        time.sleep(0.5)
    return state


def test_mail_made_while_the_server_is_down_arrives_and_a_refused_one_can_be_retried(
    served_database, tmp_path: Path
):
    redis, smtp = OwnRedis(), OwnSmtpServer()
    redis.start()
    env = served_database | smtp.env | {"REDIS_URL": redis.url, "OUTBOX_FIRST_RETRY_SECONDS": "1"}
    totp, analist = create_administrator(env)
    log = tmp_path / "gunicorn.log"
    worker = celery_worker(env)
    try:
        with gunicorn(env, log, host=SERVED_REGION_HOST) as port:
            admin = sign_in(port, totp)

            # The mail server is down: the invitation waits, the screen says it was sent.
            invite(admin, COLLEAGUE, analist)
            forgetful = PlainClient(port, SERVED_REGION_HOST)
            forgetful.get("/accounts/password/reset/")
            assert forgetful.post("/accounts/password/reset/", {"email": ADMIN_EMAIL}).status == 302
            state = wait_for_state(
                env,
                lambda rows: {row[0] for row in rows if row[2] >= 1} >= {COLLEAGUE, ADMIN_EMAIL},
            )
            ours = [row for row in state if row[0] in {COLLEAGUE, ADMIN_EMAIL}]
            assert {(row[1], row[3]) for row in ours} == {("waiting", "ConnectionRefusedError")}

            smtp.start()
            time.sleep(4.5)  # the pause after at most two attempts (1 s, then 2 s)
            in_twente(env, "from meldpunt.tasks import deliver_outbox\ndeliver_outbox.delay()")
            (invitation,) = smtp.wait_for(COLLEAGUE)
            assert INVITATION_LINK.search(invitation.body), invitation.body
            (reset,) = smtp.wait_for(ADMIN_EMAIL)
            assert "/accounts/password/reset/key/" in reset.body
            wait_for_state(env, lambda rows: {row[1] for row in rows} == {"sent"})  # the
            # served region's first invitation, waiting since onboarding, went out too

            # Refused for good: failed at once, shown in Beheer, sent again after a retry.
            smtp.refuse(REFUSED)
            invite(admin, REFUSED, analist)
            wait_for_state(env, lambda rows: any(row[1] == "failed" for row in rows))
            screen = admin.get("/beheer/mislukte-mail/")
            assert screen.status == 200
            assert "g…@twente.test" in screen.text and "SMTPRecipientsRefused 550" in screen.text
            assert REFUSED not in screen.text
            pk = re.search(r'name="bericht" value="(\d+)"', screen.text).group(1)
            smtp.handler.refused.clear()
            assert admin.post("/beheer/mislukte-mail/", {"bericht": pk}).status == 302
            (retried,) = smtp.wait_for(REFUSED)
            assert INVITATION_LINK.search(retried.body)
            assert "Er is geen mislukte e-mail." in admin.get("/beheer/mislukte-mail/").text

            time.sleep(2)  # nothing arrives twice
            assert [len(smtp.received_by(to)) for to in (COLLEAGUE, ADMIN_EMAIL, REFUSED)] == [
                1,
                1,
                1,
            ]
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        if smtp.running:
            smtp.stop()
        redis.stop()
    assert "Traceback" not in log.read_text(), log.read_text()
