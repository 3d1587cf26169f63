"""The weekly log review finds exactly the unusual access of the week, and tells the
privacy officer by an e-mail that holds nothing but a link."""

import json
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context

from audit.models import AuditAction, AuditEntry
from meldpunt.models import OutboxMessage
from privacy.models import FindingKind, ReviewFinding
from privacy.services.review import build_review, last_week, weekly_review
from tests.audit.backdating import insert_backdated
from tests.factories import reported_case
from tests.frontend.privacy.test_privacy_screens import reauthenticate
from workflow.models import StepTransition

MONDAY = timezone.make_aware(datetime(2026, 11, 2))  # Amsterdam time


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return MONDAY + timedelta(days=day, hours=hour, minutes=minute)


def line(user, action: str, when: datetime, case_id: str = "", detail: dict | None = None) -> None:
    """An audit line at a moment of our choosing (the database stamps its own time)."""
    insert_backdated(
        "INSERT INTO audit_auditentry (at, user_id, user_email, role, on_behalf_of, action,"
        " object_type, object_id, case_id, person_id, grounds, detail)"
        " VALUES (%s, %s, %s, %s, '', %s, %s, '', %s, '', 'casusbehandeling', %s)",
        [
            when,
            user.pk,
            user.email,
            ", ".join(sorted(user.role_codes())),
            action,
            "workflow.Casus" if action == AuditAction.VIEW else "",
            case_id,
            json.dumps(detail or {}),
        ],
    )


def found(review) -> set[tuple[str, str, str]]:
    return {(f.kind, f.user_email, f.case_id) for f in review.findings.all()}


def test_the_review_finds_exactly_the_unusual_access(twente, make_user):
    staff = [make_user(twente, "medewerker") for _ in range(3)]
    busy = make_user(twente, "medewerker")
    director = make_user(twente, "procesregisseur")
    with tenant_context(twente):
        cases = [reported_case(f"Persoon {n}").reference for n in range(14)]
        StepTransition.objects.update(at=MONDAY - timedelta(days=1))  # all in intake since Sunday
        screening = reported_case("In screening")
        first = StepTransition.objects.get(casus=screening)
        StepTransition.objects.filter(pk=first.pk).update(at=MONDAY - timedelta(days=2))
        StepTransition.objects.create(
            casus=screening,
            from_step=first.to_step,
            to_step=screening.definition.steps.get(code="screening"),
            at=MONDAY - timedelta(days=1),
        )
        for user in staff:
            for reference in cases[:2]:
                line(user, AuditAction.VIEW, at(1, 10), reference)
        for reference in cases:
            line(busy, AuditAction.VIEW, at(1, 11), reference)
        line(staff[0], AuditAction.VIEW, at(5, 23, 30), cases[2])  # Saturday night
        line(staff[1], AuditAction.VIEW, at(1, 10, 30), screening.reference)  # not linked
        line(director, AuditAction.VIEW, at(1, 10, 40), screening.reference)  # oversight
        person_search = {"zoekopdracht": "persoon of school"}
        line(
            staff[2], AuditAction.SEARCH, at(2, 14), detail=person_search | {"casussen": [cases[4]]}
        )
        line(
            staff[2], AuditAction.SEARCH, at(2, 15), detail=person_search | {"casussen": [cases[5]]}
        )
        line(staff[2], AuditAction.VIEW, at(2, 15, 5), cases[5])
        line(staff[2], AuditAction.SEARCH, at(2, 16), detail=person_search | {"casussen": []})
        line(
            staff[2],
            AuditAction.SEARCH,
            at(2, 17),
            detail={"zoekopdracht": "code", "casussen": [cases[6]]},
        )
        line(staff[0], AuditAction.VIEW, at(8, 3), cases[7])  # next week: not in this review

        review = build_review(MONDAY, MONDAY + timedelta(days=7))

        assert found(review) == {
            (FindingKind.MANY_CASES, busy.email, ""),
            (FindingKind.OUTSIDE_HOURS, staff[0].email, cases[2]),
            (FindingKind.NOT_LINKED, staff[1].email, screening.reference),
            (FindingKind.SEARCH_WITHOUT_FOLLOW_UP, staff[2].email, ""),
        }
        many = review.findings.get(kind=FindingKind.MANY_CASES)
        assert many.detail == {"casussen": 14, "mediaan": 3}
        search = review.findings.get(kind=FindingKind.SEARCH_WITHOUT_FOLLOW_UP)
        assert search.at == at(2, 14)
        assert build_review(MONDAY, MONDAY + timedelta(days=7)) == review  # once per week


def test_last_week_runs_monday_to_monday_in_amsterdam():
    start, end = last_week(timezone.make_aware(datetime(2026, 11, 11, 9)))
    assert (start, end) == (MONDAY, MONDAY + timedelta(days=7))


def test_the_officer_gets_a_link_only_and_checks_a_finding_off(twente, make_user, logged_in):
    officer = logged_in(twente, "privacyofficer")
    staff = make_user(twente, "medewerker")
    with tenant_context(twente):
        start, _end = last_week()
        line(staff, AuditAction.VIEW, start + timedelta(days=5, hours=23), "2026-00001")
        review = weekly_review()
        mails = [m for m in OutboxMessage.objects.all() if m.to == officer.user.email]
        assert len(mails) == 1
        body = mails[0].body
        assert f"/gegevensbescherming/logcontrole/{review.pk}/" in body
        assert staff.email not in body and "2026-00001" not in body
        weekly_review()  # the same week again: no second e-mail
        assert len([m for m in OutboxMessage.objects.all() if m.to == officer.user.email]) == 1
        finding = review.findings.get(kind=FindingKind.OUTSIDE_HOURS)
    reauthenticate(officer)
    page = officer.get(reverse("privacy:review", args=[review.pk]))
    assert page.status_code == 200 and staff.email in page.content.decode()
    url = reverse("privacy:check_finding", args=[finding.pk])
    assert officer.post(url, {f"bevinding-{finding.pk}-note": ""}).status_code == 400
    note = "Navraag gedaan: dienst in het weekend."
    assert officer.post(url, {f"bevinding-{finding.pk}-note": note}).status_code == 302
    with tenant_context(twente):
        checked = ReviewFinding.objects.get(pk=finding.pk)
        assert checked.checked_by_id == officer.user.pk and checked.note == note
        assert AuditEntry.objects.filter(
            user_id=officer.user.pk, action=AuditAction.CHANGE, object_type="privacy.ReviewFinding"
        ).exists()


def test_the_beat_runs_the_privacy_tasks_in_every_region(twente, settings):
    from privacy import tasks

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "privacy.tasks.purge_sent_email",
        "privacy.tasks.apply_retention",
        "privacy.tasks.review_access",
    } <= scheduled
    assert not any(
        "tenant_schemas" in entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"].startswith("privacy.")
    )
    with tenant_context(twente):
        assert tasks.apply_retention() == {"casussen": 0, "contactgegevens": 0, "bewaarplicht": 0}
        assert tasks.purge_sent_email() == 0
        assert tasks.review_access() == 0
