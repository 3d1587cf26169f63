"""A report sent through the API's public channel while Redis is down is kept and its
confirmation delivered once Redis is back: a real gunicorn, a real Redis of the test's
own that is stopped and started again, and a real worker."""

import json
import time

import pytest

from tests.conftest import SERVED_REGION_HOST
from tests.meldpunt.test_redis_outage import in_twente, mail_with
from tests.serving import OwnRedis, PlainClient, celery_worker, gunicorn

pytestmark = pytest.mark.worker
REPORTER = "api-melder@example.org"


def test_a_report_through_the_api_while_redis_is_down_is_delivered_afterwards(
    served_database, tmp_path
):
    redis = OwnRedis()
    redis.start()
    mail_dir = tmp_path / "mail"
    env = served_database | {
        "REDIS_URL": redis.url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    log = tmp_path / "gunicorn.log"
    worker = None
    try:
        with gunicorn(env, log, host=SERVED_REGION_HOST) as port:
            reporter = PlainClient(port, SERVED_REGION_HOST)
            redis.stop()
            fetched = reporter.get("/api/v1/openbaar/formuliertoken/")
            assert fetched.status == 200, fetched.text
            token = json.loads(fetched.text)["token"]
            time.sleep(3.5)  # a person's pace
            sent = reporter.post_json(
                "/api/v1/openbaar/meldingen/",
                {
                    "token": token,
                    "form_code": "meldformulier",
                    "reporter_type": "ouder",
                    "concern": "Mijn zoon wordt steeds opgehaald door een auto.",
                    "reporter_email": REPORTER,
                    "feedback_preference": "email",
                    "persons": [{"role": "slachtoffer"}],
                },
            )
            assert sent.status == 201, sent.text
            code = json.loads(sent.text)["code"]
            assert "Redis cache unreachable" in log.read_text()
            assert not list(mail_dir.glob("*.log")) or REPORTER not in "".join(
                path.read_text() for path in mail_dir.glob("*.log")
            )

            redis.start()
            worker = celery_worker(env)
            # What the beat sends every minute to every region.
            in_twente(env, "from meldpunt.tasks import deliver_outbox\ndeliver_outbox.delay()")
            delivered = mail_with(mail_dir, f"To: {REPORTER}", seconds=60)
            assert code in delivered
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        if redis.answers():
            redis.stop()
    assert "Traceback" not in log.read_text(), log.read_text()
