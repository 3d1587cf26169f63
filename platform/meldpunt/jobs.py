"""The state of a long job that a worker runs, shared by every such job: a heartbeat while
it runs, and what becomes of a job whose worker died (queued again while it has an
attempt left, else failed, so that a person can try again)."""

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import tenant_context
from kombu.exceptions import OperationalError


class JobStatus(models.TextChoices):
    QUEUED = "wachtrij", _("in de wachtrij")
    RUNNING = "bezig", _("wordt gemaakt")
    DONE = "klaar", _("klaar")
    FAILED = "mislukt", _("mislukt")


class JobFailure(models.TextChoices):
    WORKER_STOPPED = "onderbroken", _("de verwerking stopte onverwacht, ook na een nieuwe poging")
    ERROR = "fout", _("er ging iets mis bij het maken")


class Job(models.Model):
    """What a long job's row carries; the job's own model adds what it makes, and names
    in `task` the Celery task that does the job given its primary key."""

    Status = JobStatus
    task: str = ""

    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("voortgang (procent)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    # Times a worker died under the job: the screen says it was resumed, or why it failed.
    interruptions = models.PositiveSmallIntegerField(_("onderbrekingen"), default=0)
    # The last sign of life: when it was queued, or its worker's last heartbeat.
    heartbeat_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=12, choices=JobFailure.choices, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)


JobModel = TypeVar("JobModel", bound=Job)


def heartbeat_interval() -> float:
    return settings.JOB_HEARTBEAT_SECONDS


def stalled_before() -> datetime:
    """A job without a sign of life since then has no worker (any more)."""
    return timezone.now() - timedelta(seconds=settings.JOB_STALLED_AFTER_SECONDS)


class Heartbeat(threading.Thread):
    """Writes the job's heartbeat every few seconds from beside the work, on a connection
    of its own in the same region's schema, until stopped: a long step (a PDF) keeps
    the job alive, and a killed worker stops it."""

    def __init__(self, job: Job) -> None:
        super().__init__(daemon=True, name=f"heartbeat-{job._meta.label}-{job.pk}")
        self.job, self.tenant = job, connection.tenant
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            # The region itself, not its schema's name: with region roles a connection
            # reaches a region's tables only as the region's role.
            with tenant_context(self.tenant):
                while not self.stopped.wait(heartbeat_interval()):
                    type(self.job).objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
        finally:
            connections.close_all()  # this thread's own connection

    def stop(self) -> None:
        self.stopped.set()
        self.join()


def run(model: type[JobModel], pk: int, work: Callable[[JobModel], dict[str, Any]]) -> bool:
    """Claim the queued job `pk` and do `work` on it with a heartbeat; `work` returns the
    fields the finished job keeps. A job that another worker claimed, or that is done or
    failed, is left alone (False): a message the broker delivers twice makes one job."""
    claimed = model.objects.filter(pk=pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        attempts=F("attempts") + 1,
        heartbeat_at=timezone.now(),
        failure="",
    )
    if not claimed:
        return False
    job = model.objects.get(pk=pk)
    heartbeat = Heartbeat(job)
    heartbeat.start()
    try:
        kept = work(job)
    except Exception:
        model.objects.filter(pk=pk).update(
            status=JobStatus.FAILED, failure=JobFailure.ERROR, finished_at=timezone.now()
        )
        raise
    finally:
        heartbeat.stop()
    model.objects.filter(pk=pk).update(
        status=JobStatus.DONE, progress=100, finished_at=timezone.now(), **kept
    )
    return True


def report_progress(job: Job, percent: int) -> None:
    type(job).objects.filter(pk=job.pk).update(progress=percent, heartbeat_at=timezone.now())


@dataclass
class Recovered:
    requeued: list[int] = field(default_factory=list)  # never reached a worker
    resumed: list[int] = field(default_factory=list)  # its worker died; tried again
    failed: list[int] = field(default_factory=list)  # its worker died on the last attempt


def queue(job: Job) -> None:
    """Hand the job to a worker; with the broker down it stays queued and the beat's
    round (recover_all) tries again."""
    with contextlib.suppress(OperationalError):
        import_string(job.task).delay(job.pk)


def job_models() -> list[type[Job]]:
    return [model for model in apps.get_models() if issubclass(model, Job)]


def recover_all() -> dict[str, Recovered]:
    """The beat's round over every kind of job in the current region."""
    return {model._meta.label: recover(model) for model in job_models()}


def recover(model: type[JobModel]) -> Recovered:
    """The beat's round over `model`: a queued job that no worker took is queued again;
    a running job without a heartbeat lost its worker, and is queued again while it has
    an attempt left, or else failed. Each change is one conditional update, so two
    rounds at once change a job once."""
    recovered = Recovered()
    bound = stalled_before()
    silent = model.objects.filter(heartbeat_at__lt=bound)
    for job in silent.filter(status=JobStatus.QUEUED):
        model.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
        queue(job)
        recovered.requeued.append(job.pk)
    for job in silent.filter(status=JobStatus.RUNNING):
        still_silent = Q(pk=job.pk, status=JobStatus.RUNNING, heartbeat_at__lt=bound)
        if job.attempts < settings.JOB_MAX_ATTEMPTS:
            if model.objects.filter(still_silent).update(
                status=JobStatus.QUEUED,
                interruptions=F("interruptions") + 1,
                heartbeat_at=timezone.now(),
            ):
                queue(job)
                recovered.resumed.append(job.pk)
        elif model.objects.filter(still_silent).update(
            status=JobStatus.FAILED,
            failure=JobFailure.WORKER_STOPPED,
            interruptions=F("interruptions") + 1,
            finished_at=timezone.now(),
        ):
            recovered.failed.append(job.pk)
    return recovered


def retry(job: Job) -> bool:
    """A failed job queued again from the start, with its attempts counted afresh."""
    return bool(
        type(job)
        .objects.filter(pk=job.pk, status=JobStatus.FAILED)
        .update(
            status=JobStatus.QUEUED,
            progress=0,
            attempts=0,
            failure="",
            finished_at=None,
            heartbeat_at=timezone.now(),
        )
    )
