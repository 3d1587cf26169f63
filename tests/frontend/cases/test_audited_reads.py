"""Every screen that shows a case's content writes its audit lines (VIEW) for each
request, through the audited selectors; the test lists the case screens from the URL
configuration, so a new one must say here what it shows."""

import pytest
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLResolver
from django_tenants.utils import tenant_context

from audit.models import AuditAction, AuditEntry
from frontend.cases.casework import TASKS
from tests.factories import case_in_step
from workflow.models import InvolvedPerson, PlanAction
from workflow.services import plans

# Case screens that show no content of the case beyond its reference and an empty form,
# or take a POST only.
WITHOUT_CASE_CONTENT = {
    "cases:move",  # POST only
    "cases:complete",  # POST only
    "cases:transfer_propose",  # the counts of the case's parts and an empty form
    *(f"cases:task:{slug}" for slug, task in TASKS.items() if not task.shows_persons),
}
# Shown by their tests where the records they need are made (documents, requests,
# referrals, consents, registrations with CoMensha); each writes its VIEW lines through
# read_document or audit_persons_shown, or (a registration's file) its EXPORT line.
ELSEWHERE = {
    "cases:document",
    "cases:information_request",
    "cases:referral_decision",
    "cases:consent_withdraw",
    "cases:comensha_registration",
    "cases:comensha_download",
}


def case_routes() -> set[str]:
    """The names of the region's pages that take a case's reference."""

    def walk(resolver: URLResolver, namespace: str):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, pattern.namespace or namespace)
            elif "<str:reference>" in str(pattern.pattern) and namespace:
                yield f"{namespace}:{pattern.name}"

    names = set(walk(get_resolver("meldpunt.urls_tenant"), ""))
    return (names - {"cases:task"}) | {f"cases:task:{slug}" for slug in TASKS}


@pytest.fixture
def planned_case(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    casus = case_in_step(twente, "plan_van_aanpak", staff.user)
    with tenant_context(twente):
        plans.write_plan(
            casus,
            actor=staff.user,
            goals="Sanne is veilig en gaat weer naar school.",
            actions=[
                plans.ActionData(
                    description="Gesprek met Sanne en haar moeder", owner_user=staff.user
                )
            ],
        )
        action = PlanAction.objects.get(plan__casus=casus)
        person = InvolvedPerson.objects.get(casus=casus)
    return staff, casus, {"action": action.pk, "person": person.pk}


def content_pages(casus, ids: dict) -> dict[str, str]:
    reference = casus.reference
    pages = {
        "cases:detail": reverse("cases:detail", args=[reference]),
        "cases:plan": reverse("cases:plan", args=[reference]),
        "cases:plan_version": reverse("cases:plan_version", args=[reference, 1]),
        "cases:plan_action": reverse("cases:plan_action", args=[reference, ids["action"]]),
        "cases:comensha": reverse("cases:comensha", args=[reference]),
        "privacy:correct_person": reverse(
            "privacy:correct_person", args=[reference, ids["person"]]
        ),
    }
    for slug, task in TASKS.items():
        if task.shows_persons:
            pages[f"cases:task:{slug}"] = reverse("cases:task", args=[reference, slug])
    return pages


def test_every_case_screen_says_whether_it_shows_case_content(planned_case) -> None:
    _staff, casus, ids = planned_case
    listed = set(content_pages(casus, ids)) | WITHOUT_CASE_CONTENT | ELSEWHERE
    assert case_routes() == listed


def test_every_page_with_case_content_writes_its_audit_lines(twente, planned_case) -> None:
    staff, casus, ids = planned_case
    unaudited = []
    for name, url in content_pages(casus, ids).items():
        with tenant_context(twente):
            before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
        response = staff.get(url)
        assert response.status_code == 200, (name, response.status_code)
        with tenant_context(twente):
            lines = AuditEntry.objects.filter(pk__gt=before, action=AuditAction.VIEW)
            if not lines.filter(case_id=casus.reference, user_id=staff.user.pk).exists():
                unaudited.append(name)
    assert unaudited == []
