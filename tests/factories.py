"""Cases and reports for tests, made through the same services the screens use."""

from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import User
from configuratie.models import CovenantStatus, Partner, WorkflowDefinition
from workflow import intake
from workflow.models import AgendaItem, Casus, Meeting
from workflow.services import records, reports


def person(name: str = "", **fields) -> reports.PersonData:
    return reports.PersonData(role=fields.pop("role", "slachtoffer"), name=name, **fields)


def report_data(*persons: reports.PersonData, **fields) -> reports.ReportData:
    values = {
        "form_code": "meldformulier",
        "channel": "webformulier",
        "reporter_type": "ouder",
        "concern": "Zorgen over mijn kind.",
    } | fields
    return reports.ReportData(persons=list(persons), **values)


def public_report(*persons: reports.PersonData, **fields) -> reports.Submitted:
    """A report through the public form; call inside the region's tenant context."""
    return reports.submit_report(report_data(*persons, **fields), submission_token=None)


def reported_case(name: str = "", **person_fields) -> Casus:
    return public_report(person(name, **person_fields)).report.casus


def intake_case(actor, *persons: reports.PersonData, link_to: Casus | None = None, **fields):
    """A report taken by staff: a new case, or one more report on `link_to`."""
    data = report_data(*persons, **({"channel": "telefoon", "form_code": first_form()} | fields))
    return reports.record_intake(data, actor=actor, link_to=link_to).report.casus


def first_form() -> str:
    """The code of the first report form the current region offers."""
    return intake.offered_forms().values_list("code", flat=True).first()


def evaluate(casus: Casus, actor, rating: str = "onbekend"):
    """An evaluation answering every question of the region with `rating`."""
    questions = records.evaluation_questions()
    return records.record_evaluation(
        casus, actor=actor, answers={}, ratings={q.code: rating for q in questions}
    )


def evaluation_post(region, rating: str = "nee") -> dict[str, str]:
    """The evaluation task's form data, every question of `region` answered with `rating`."""
    with tenant_context(region):
        return {f"kort_{q.code}": rating for q in records.evaluation_questions()}


def sign_covenants(region) -> None:
    with tenant_context(region):
        Partner.objects.update(
            covenant_status=CovenantStatus.SIGNED, covenant_signed_on=timezone.localdate()
        )


def case_in_step(region, step: str, staff: User, name: str = "Sanne de Vries") -> Casus:
    """A case put in `step` of the active version (test set-up, not a move)."""
    with tenant_context(region):
        casus = intake_case(staff, person(name, birth_year=2010))
        definition = WorkflowDefinition.objects.get(status="actief")
        Casus.objects.filter(pk=casus.pk).update(current_step=definition.steps.get(code=step))
        casus.refresh_from_db()
        return casus


def meeting_with(region, casus: Casus, attendees: list[User], kind: str) -> AgendaItem:
    with tenant_context(region):
        meeting = Meeting.objects.create(
            kind=kind, starts_at=timezone.now(), created_by=attendees[0]
        )
        meeting.attendees.set(attendees)
        return AgendaItem.objects.create(meeting=meeting, casus=casus)
