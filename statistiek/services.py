"""Recording prevention activities and advice: each save asks the policy and writes an
audit line with what changed (the free texts go, encrypted, into the line's changes)."""

from typing import Any

from django.db import transaction

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from statistiek.models import AdviceRequest, PreventionActivity


def stored(model, instance):
    """The row as it is in the database, locked: a form may have changed the instance."""
    if instance is None or instance.pk is None:
        return None
    return model.objects.select_for_update().get(pk=instance.pk)


def changes_of(instance, data: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    changes = {}
    for field, new in data.items():
        old = getattr(instance, field, None) if instance.pk else None
        if field == "partners":
            old = sorted(p.pk for p in instance.partners.all()) if instance.pk else []
            new = sorted(p.pk for p in new)
        if old != new:
            changes[field] = (str(old) if old is not None else None, str(new))
    return changes


@transaction.atomic
def save_activity(
    *, actor: User, data: dict[str, Any], activity: PreventionActivity | None = None
) -> PreventionActivity:
    require(actor, Action.RECORD_PREVENTION)
    activity = stored(PreventionActivity, activity) or PreventionActivity(recorded_by=actor)
    changes = changes_of(activity, data)
    created = activity.pk is None
    partners = data.pop("partners", None)
    for field, value in data.items():
        setattr(activity, field, value)
    activity.save()
    if partners is not None:
        activity.partners.set(partners)
    record(
        AuditAction.CREATE if created else AuditAction.CHANGE,
        user=actor,
        target=activity,
        grounds="preventie",
        changes=changes,
    )
    return activity


@transaction.atomic
def save_advice(
    *, actor: User, data: dict[str, Any], advice: AdviceRequest | None = None
) -> AdviceRequest:
    """Advice without a report; once it became a report, it may point to that case."""
    require(actor, Action.RECORD_PREVENTION)
    advice = stored(AdviceRequest, advice) or AdviceRequest(recorded_by=actor)
    if data.get("casus") is not None:
        data["became_report"] = True
    changes = changes_of(advice, data)
    created = advice.pk is None
    for field, value in data.items():
        setattr(advice, field, value)
    advice.save()
    record(
        AuditAction.CREATE if created else AuditAction.CHANGE,
        user=actor,
        target=advice,
        case_id=advice.casus.reference if advice.casus_id else "",
        grounds="advies",
        changes=changes,
    )
    return advice
