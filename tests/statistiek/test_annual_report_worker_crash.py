"""A yearly report whose worker is killed (SIGKILL) while it runs does not stay "bezig"
for ever: the beat's round resumes it while it has an attempt left and says so on the
page; killed again, it is marked failed with a button that makes it again. A real
gunicorn, a real Redis of the test's own, real Celery workers."""

import os
import re
import signal
import time
from urllib.parse import urlsplit

import psycopg2
import pyotp
import pytest

from tests.conftest import SERVED_REGION_HOST
from tests.serving import OwnRedis, PlainClient, celery_worker, gunicorn, run_in_schema

pytestmark = pytest.mark.worker
ANALYST = "analist.jaarverslag@twente.test"
PASSWORD = "een-lang-wachtwoord-voor-het-jaarverslag"
PAGE = "/statistiek/jaarverslag/"
STALLED_AFTER = 3  # seconds without a heartbeat (JOB_STALLED_AFTER_SECONDS below)


def create_analyst(env: dict[str, str]) -> str:
    return run_in_schema(env, "twente", f"""
import pyotp
from allauth.mfa.totp.internal.auth import TOTP
from accounts.services import invite_user
user = invite_user({ANALYST!r}, role_codes=["analist"])
user.set_password({PASSWORD!r})
user.save()
secret = pyotp.random_base32()
TOTP.activate(user, secret)
print(secret)
""")  # fmt: skip


def report_state(env: dict[str, str]) -> tuple[str, int, int, int]:
    """(status, progress, attempts, interruptions) of the one report, read straight
    from the database."""
    url = urlsplit(env["DATABASE_URL"])
    with (
        psycopg2.connect(
            dbname=url.path.lstrip("/"),
            user=url.username,
            password=url.password,
            host=url.hostname,
            port=url.port or 5432,
        ) as database,
        database.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT status, progress, attempts, interruptions FROM twente.statistiek_annualreport"
        )
        (state,) = cursor.fetchall()
    database.close()
    return state


def wait_for(env: dict[str, str], wanted, seconds: float = 90) -> tuple[str, int, int, int]:
    deadline = time.monotonic() + seconds
    while not wanted(state := report_state(env)):
        assert time.monotonic() < deadline, f"the report stayed {state}"
        time.sleep(0.05)
    return state


def killed_while_running(env: dict[str, str], attempt: int) -> None:
    """A worker takes the report; it is killed while it makes attempt `attempt`."""
    worker = celery_worker(env)
    try:
        wait_for(env, lambda state: state[0] == "bezig" and state[2] == attempt)
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    assert report_state(env)[0] == "bezig"  # no worker left to say otherwise


def beat_round(env: dict[str, str]) -> None:
    """What the beat sends to every region each minute, once the heartbeat is stale."""
    time.sleep(STALLED_AFTER + 1)
    run_in_schema(
        env,
        "twente",
        "from meldpunt.tasks import recover_jobs\nprint(recover_jobs.delay().id)",
    )


def text_of(page) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))


def test_a_report_killed_with_its_worker_is_resumed_then_failed_and_made_again_on_retry(
    served_database, tmp_path
):
    redis = OwnRedis()
    redis.start()
    env = served_database | {
        "REDIS_URL": redis.url,
        "JOB_HEARTBEAT_SECONDS": "0.5",
        "JOB_STALLED_AFTER_SECONDS": str(STALLED_AFTER),
        "JOB_MAX_ATTEMPTS": "2",
    }
    secret = create_analyst(env)
    log = tmp_path / "gunicorn.log"
    worker = None
    try:
        with gunicorn(env, log, host=SERVED_REGION_HOST) as port:
            analyst = PlainClient(port, SERVED_REGION_HOST)
            analyst.get("/accounts/login/")
            analyst.post("/accounts/login/", {"login": ANALYST, "password": PASSWORD})
            analyst.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})
            analyst.get(PAGE)
            assert analyst.post(PAGE, {"year": "2025"}).status == 302

            killed_while_running(env, attempt=1)
            beat_round(env)
            killed_while_running(env, attempt=2)  # the resumed attempt, killed as well
            resumed = text_of(analyst.get(PAGE))
            assert "wordt gemaakt" in resumed
            assert "De verwerking stopte onverwacht en is hervat." in resumed

            worker = celery_worker(env)
            beat_round(env)
            assert wait_for(env, lambda state: state[0] == "mislukt")[3] == 2
            failed = analyst.get(PAGE)
            assert "Mislukt: de verwerking stopte onverwacht, ook na een nieuwe poging." in (
                text_of(failed)
            )
            retry = re.search(r'action="(/statistiek/jaarverslag/\d+/opnieuw/)"', failed.text)
            assert retry, "no retry button"
            assert analyst.post(retry.group(1), {}).status == 302

            assert wait_for(env, lambda state: state[0] == "klaar")[1] == 100
            done = analyst.get(PAGE)
            download = re.search(r'href="(/statistiek/jaarverslag/\d+/pdf/)"', done.text)
            assert download and "De verwerking stopte 2 keer onverwacht" in text_of(done)
            pdf = analyst.request("HEAD", download.group(1))  # the headers of the download
            assert pdf.status == 200 and pdf.headers["Content-Type"] == "application/pdf"
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        redis.stop()
    assert "Traceback" not in log.read_text(), log.read_text()
