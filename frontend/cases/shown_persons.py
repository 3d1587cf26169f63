"""The persons of each report on the case page, each line written here once per person:
the template's nodes for one person (a dozen conditions, translations and an address)
cost more than the line."""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from frontend.addresses import address_pattern, for_case
from workflow.models import InvolvedPerson, Report
from workflow.selectors import CaseFile

# A person's key in the correction address reversed once, replaced by each person's own.
PERSON_PLACEHOLDER = 987654321


def person_line(person: InvolvedPerson, number: int, correct: str | None) -> SafeString:
    """What the page says of a person; `correct`: the correction address's pattern, when
    the reader may correct; `number`: the person's place in the report."""
    role = str(person.get_role_display())
    parts = [f"{escape(capfirst(role))}: {escape(person.name or _('(naam onbekend)'))}"]
    if person.age:
        parts.append(f", {person.age} {escape(_('jaar'))}")
    if person.birth_year:
        parts.append(f", {escape(_('geboren'))} {person.birth_year}")
    if person.gender:
        parts.append(f", {escape(str(person.get_gender_display()))}")
    if person.municipality:
        parts.append(f", {escape(str(person.get_municipality_display()))}")
    if person.school:
        parts.append(f", {escape(person.school)}")
    if correct is not None:
        url = correct.replace(str(PERSON_PLACEHOLDER), str(person.pk), 1)
        parts.append(
            f' <a class="utrecht-link" href="{escape(url)}">{escape(_("Gegevens corrigeren"))}'
            f'<span class="meldpunt-visually-hidden"> ({escape(role)} {number})</span></a>'
        )
    return mark_safe(f'<p class="utrecht-paragraph">{"".join(parts)}</p>')  # noqa: S308 # nosec B308 B703 - every text above is escaped


def reports_with_persons(
    case_file: CaseFile, may_correct: bool
) -> list[tuple[Report, list[SafeString]]]:
    correct = (
        for_case(
            address_pattern("privacy:correct_person", pk=PERSON_PLACEHOLDER),
            case_file.casus.reference,
        )
        if may_correct
        else None
    )
    return [
        (
            report,
            [
                person_line(person, number, correct)
                for number, person in enumerate(report.persons.all(), start=1)
            ],
        )
        for report in case_file.reports
    ]
