"""The retention and the review as jobs (meldpunt.jobs): each run is a row with a
heartbeat, resumed by the beat when its worker died, and run again on request when it
failed."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from meldpunt import jobs
from privacy.models import PrivacyRun
from privacy.services import retention, review

# Who may see a kind of run and start it again: who looks after what it does.
ACTIONS = {
    PrivacyRun.Kind.RETENTION: Action.CONFIGURE_RETENTION,
    PrivacyRun.Kind.REVIEW: Action.REVIEW_ACCESS,
}


def apply_retention(run: PrivacyRun) -> dict[str, Any]:
    done = retention.apply_retention()
    return {
        "outcome": {
            "casussen": len(done.cases),
            "contactgegevens": len(done.reporter_contacts),
            "bewaarplicht": len(done.held),
        }
    }


def review_access(run: PrivacyRun) -> dict[str, Any]:
    made = review.weekly_review()
    return {"outcome": {"bevindingen": made.findings.count()}}


WORK: dict[str, Callable[[PrivacyRun], dict[str, Any]]] = {
    PrivacyRun.Kind.RETENTION: apply_retention,
    PrivacyRun.Kind.REVIEW: review_access,
}


def start(kind: str) -> PrivacyRun:
    """A new run of `kind`, done at once by the worker that started it (the beat's)."""
    run = PrivacyRun.objects.create(kind=kind)
    perform(run.pk)
    run.refresh_from_db()
    return run


def perform(pk: int) -> bool:
    """Do the run `pk` if it is waiting (a first try, a resumption or a retry)."""
    kind = PrivacyRun.objects.values_list("kind", flat=True).get(pk=pk)
    return jobs.run(PrivacyRun, pk, WORK[kind])


def latest(kind: str) -> PrivacyRun | None:
    return PrivacyRun.objects.filter(kind=kind).first()


def last_finished(kind: str) -> PrivacyRun | None:
    """The run of `kind` that last finished its work, for 'last ran on'."""
    return (
        PrivacyRun.objects.filter(kind=kind, status=PrivacyRun.Status.DONE)
        .order_by("-finished_at")
        .first()
    )


@transaction.atomic
def request_run(kind: str, *, actor: User) -> PrivacyRun:
    """A run started from its screen, done by a worker once this transaction commits;
    not while another of its kind waits or runs."""
    require(actor, ACTIONS[kind])
    runs = PrivacyRun.objects.select_for_update().filter(kind=kind)
    if runs.filter(status__in=[PrivacyRun.Status.QUEUED, PrivacyRun.Status.RUNNING]).exists():
        raise ValidationError(_("Deze taak wacht al of wordt al uitgevoerd."))
    run = PrivacyRun.objects.create(kind=kind)
    record(AuditAction.CREATE, user=actor, target=run, detail={"gestart": kind})
    transaction.on_commit(lambda: jobs.queue(run))
    return run


@transaction.atomic
def retry_run(run: PrivacyRun, *, actor: User) -> PrivacyRun:
    """A failed run started again from the beginning, once this transaction commits."""
    require(actor, ACTIONS[run.kind])
    if not jobs.retry(run):
        raise ValidationError(_("Alleen een mislukte taak kan opnieuw worden gestart."))
    record(AuditAction.CHANGE, user=actor, target=run, detail={"opnieuw": run.kind})
    transaction.on_commit(lambda: jobs.queue(run))
    return run
