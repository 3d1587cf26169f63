"""The nightly retention and the weekly review run as jobs (meldpunt.jobs), like the
yearly report: a run whose worker died (its row left "bezig" with a silent heartbeat,
as a killed worker leaves it) is resumed by the beat's round while it has an attempt
left, else marked failed; the retention screen says which and runs it again on request.
The worker-kill itself is proven with real workers in
tests/statistiek/test_annual_report_worker_crash.py."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context

from audit.models import AuditAction, AuditEntry
from meldpunt.celery import app
from meldpunt.tasks import recover_jobs
from privacy import tasks
from privacy.models import PrivacyRun


@pytest.fixture
def tasks_run_here() -> Iterator[None]:
    """Queued tasks run in this process (Celery's eager mode) instead of on a broker."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def left_by_a_dead_worker(kind: str, attempts: int) -> PrivacyRun:
    silent_since = timezone.now() - timedelta(hours=1)
    return PrivacyRun.objects.create(
        kind=kind, status=PrivacyRun.Status.RUNNING, attempts=attempts, heartbeat_at=silent_since
    )


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_beat_tasks_record_each_run_with_its_outcome(twente):
    with tenant_context(twente):
        assert tasks.apply_retention() == {"casussen": 0, "contactgegevens": 0, "bewaarplicht": 0}
        tasks.review_access()
        runs = {run.kind: run for run in PrivacyRun.objects.all()}
        assert {kind: run.status for kind, run in runs.items()} == {
            "bewaartermijnen": "klaar",
            "logcontrole": "klaar",
        }
        assert runs["logcontrole"].outcome == {"bevindingen": 0}
        assert all(run.attempts == 1 and run.finished_at for run in runs.values())


def test_a_run_whose_worker_died_is_resumed_and_the_screen_says_so(
    twente, logged_in, tasks_run_here
):
    admin = logged_in(twente, "regiobeheerder")
    with tenant_context(twente):
        run = left_by_a_dead_worker(PrivacyRun.Kind.RETENTION, attempts=1)
        assert recover_jobs() == {
            "privacy.PrivacyRun": {"wachtrij": 0, "hervat": 1, "mislukt": 0},
            "statistiek.AnnualReport": {"wachtrij": 0, "hervat": 0, "mislukt": 0},
        }
        run.refresh_from_db()
        assert (run.status, run.attempts, run.interruptions) == ("klaar", 2, 1)
    page = text(admin.get(reverse("privacy:retention")))
    assert "Bewaartermijnen toepassen, gestart" in page and ": klaar." in page
    assert "De verwerking stopte onverwacht en is hervat." in page


def test_a_run_that_died_on_its_last_attempt_fails_visibly_and_runs_again_on_request(
    twente, logged_in, tasks_run_here, django_capture_on_commit_callbacks
):
    admin = logged_in(twente, "regiobeheerder")
    with tenant_context(twente):
        run = left_by_a_dead_worker(PrivacyRun.Kind.RETENTION, attempts=2)
        recover_jobs()
        run.refresh_from_db()
        assert (run.status, run.failure) == ("mislukt", "onderbroken")
    failed = text(admin.get(reverse("privacy:retention")))
    assert "Mislukt: de verwerking stopte onverwacht, ook na een nieuwe poging." in failed
    retry_url = reverse("privacy:retry_run", args=[run.pk])
    assert f'action="{retry_url}"' in failed

    with django_capture_on_commit_callbacks() as after_commit:
        retried = admin.post(retry_url)
    # The request's commit would run these in the region; the test's transaction holds them
    # until the request has handed its connection back to the public schema.
    with tenant_context(twente):
        for callback in after_commit:
            callback()
    assert retried.status_code == 302 and retried["Location"] == reverse("privacy:retention")
    with tenant_context(twente):
        run.refresh_from_db()
        assert (run.status, run.attempts) == ("klaar", 1)
        assert AuditEntry.objects.filter(
            action=AuditAction.CHANGE, object_type="privacy.PrivacyRun", user_id=admin.user.pk
        ).exists()
    assert "Mislukt:" not in text(admin.get(reverse("privacy:retention")))


def test_only_who_looks_after_the_retention_may_run_it_again(twente, logged_in):
    analyst = logged_in(twente, "analist")
    with tenant_context(twente):
        run = left_by_a_dead_worker(PrivacyRun.Kind.RETENTION, attempts=2)
    assert analyst.post(reverse("privacy:retry_run", args=[run.pk])).status_code == 403
