"""Nothing is lost while Redis is down: with a real Redis stopped, a reporter files a
report and follows it up, a guesser is still held back, a staff member signs in with
password and code and asks for a new password. Once Redis is back, the outbox delivers
what waited: the reporter's confirmation and the password link.

Redis is the server's own (a free port), so stopping it stops no one else's; the
server is a real gunicorn on the served database.
"""

import re
import time
from pathlib import Path

import pyotp
import pytest

from tests.conftest import SERVED_REGION_HOST
from tests.serving import OwnRedis, PlainClient, celery_worker, gunicorn, run_in_schema

pytestmark = pytest.mark.worker
STAFF_EMAIL = "medewerker.storing@twente.test"
STAFF_PASSWORD = "een-lang-wachtwoord-tijdens-storing"
FORM = "/melden/meldformulier/"


def in_twente(env: dict[str, str], code: str) -> str:
    return run_in_schema(env, "twente", code)


def create_staff_member(env: dict[str, str]) -> pyotp.TOTP:
    secret = pyotp.random_base32()
    in_twente(env, f"""
from allauth.mfa.totp.internal.auth import TOTP
from accounts.services import invite_user
user = invite_user({STAFF_EMAIL!r}, role_codes=["medewerker"])
user.set_password({STAFF_PASSWORD!r})
user.save()
TOTP.activate(user, {secret!r})
print("ok")
""")  # fmt: skip
    return pyotp.TOTP(secret)


def report_fields(token: str) -> dict:
    return {
        "token": token,
        "reporter_type": "ouder",
        "concern": "Mijn dochter krijgt dure cadeaus van een veel oudere vriend.",
        "reporter_email": "melder@example.org",
        "feedback_preference": "email",
        "persoon-TOTAL_FORMS": "1",
        "persoon-INITIAL_FORMS": "0",
        "persoon-MIN_NUM_FORMS": "0",
        "persoon-MAX_NUM_FORMS": "5",
        "persoon-0-role": "slachtoffer",
        "website": "",
    }


def mail_with(mail_dir: Path, text: str, seconds: float = 0) -> str:
    deadline = time.monotonic() + seconds
    while True:
        for path in mail_dir.glob("*.log"):
            if text in (content := path.read_text()):
                return content
        assert time.monotonic() < deadline, f"no mail with {text!r}"
        time.sleep(0.3)


def test_reports_follow_up_and_sign_in_work_while_redis_is_down(served_database, tmp_path):
    redis = OwnRedis()
    redis.start()
    mail_dir = tmp_path / "mail"
    env = served_database | {
        "REDIS_URL": redis.url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    totp = create_staff_member(env)
    log = tmp_path / "gunicorn.log"
    worker = None
    try:
        with gunicorn(env, log, host=SERVED_REGION_HOST) as port:
            reporter = PlainClient(port, SERVED_REGION_HOST)
            opened = reporter.get(FORM)  # the form was opened while all was well
            token = re.search(r'name="token" value="([^"]+)"', opened.text).group(1)
            opened_at = time.monotonic()
            redis.stop()

            time.sleep(max(0, 3.5 - (time.monotonic() - opened_at)))  # a person's pace
            sent = reporter.post(FORM, report_fields(token))
            assert sent.status == 302, sent.text
            received = reporter.get("/melden/ontvangen/").text
            code = re.search(r'id="meldcode">([^<]+)<', received).group(1)
            secret = re.search(r'id="geheime-code">([^<]+)<', received).group(1)

            assert reporter.post("/melding/volgen/", {"code": code, "secret": secret}).status == 302
            status = reporter.get("/melding/volgen/status/")
            assert status.status == 200 and code in status.text

            # The limits hold without Redis: PostgreSQL keeps the count.
            guesser = PlainClient(port, SERVED_REGION_HOST, source="127.0.0.3")
            guesser.get("/melding/volgen/")
            guesses = [
                guesser.post("/melding/volgen/", {"code": code, "secret": f"GOK-{n}"}).status
                for n in range(6)
            ]
            assert guesses == [400] * 5 + [429]

            staff = PlainClient(port, SERVED_REGION_HOST)
            staff.get("/accounts/login/")
            password = staff.post(
                "/accounts/login/", {"login": STAFF_EMAIL, "password": STAFF_PASSWORD}
            )
            assert password.status == 302 and password.location == "/accounts/2fa/authenticate/"
            second = staff.post("/accounts/2fa/authenticate/", {"code": totp.now()})
            assert second.status == 302 and second.location == "/"
            assert staff.get("/").status == 200

            forgetful = PlainClient(port, SERVED_REGION_HOST)
            forgetful.get("/accounts/password/reset/")
            reset = forgetful.post("/accounts/password/reset/", {"email": STAFF_EMAIL})
            assert reset.status == 302

            # The reporter's confirmation and the password link wait in the outbox.
            waiting = "print(sorted(m.subject for m in OutboxMessage.objects.filter(sent_at=None)))"
            subjects = in_twente(env, f"from meldpunt.models import OutboxMessage\n{waiting}")
            assert "'Uw melding bij meldpunt Twente is ontvangen'" in subjects
            assert "'[Meldpunt] Nieuw wachtwoord'" in subjects
            assert "Redis cache unreachable" in log.read_text()

            redis.start()
            worker = celery_worker(env)
            # What the beat sends every minute to every region.
            in_twente(env, "from meldpunt.tasks import deliver_outbox\ndeliver_outbox.delay()")
            delivered = mail_with(mail_dir, "To: melder@example.org", seconds=60)
            assert code in delivered
            assert f"http://{SERVED_REGION_HOST}:8000/accounts/password/reset/key/" in mail_with(
                mail_dir, f"To: {STAFF_EMAIL}", seconds=60
            )
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        if redis.answers():
            redis.stop()
    assert "Traceback" not in log.read_text(), log.read_text()
