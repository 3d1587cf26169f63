"""Cases and reports for tests, made through the same services the screens use."""

from django_tenants.utils import tenant_context

from workflow.models import Casus
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
    data = report_data(*persons, **({"channel": "telefoon", "form_code": ""} | fields))
    return reports.record_intake(data, actor=actor, link_to=link_to).report.casus


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
