"""The reports on the case page with their persons, written here once per report and
person: the template's nodes for one report (its blocktranslations, dates and labels,
and per person a dozen conditions, translations and an address) cost more than the
HTML."""

import functools
from typing import Any

from django.db.models import Field, Model
from django.template.defaultfilters import linebreaksbr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from configuratie.gemeenten import name_of
from configuratie.models import CatalogueKind
from frontend.addresses import address_pattern, for_case
from frontend.cases.dates import long_date_time
from workflow.labels import Labels
from workflow.models import InvolvedPerson, Report
from workflow.selectors import CaseFile

# A person's key in the correction address reversed once, replaced by each person's own.
PERSON_PLACEHOLDER = 987654321


@functools.cache
def choice_labels(field: Field) -> dict[Any, Any]:
    """A field's fixed choices by value (labels lazy: translated when shown)."""
    return dict(field.flatchoices)


def shown_choice(record: Model, name: str) -> str:
    """`record.get_<name>_display()` in the current language, without its walk over every
    choice on each call (a field with fixed choices only)."""
    value = getattr(record, name)
    return str(choice_labels(type(record)._meta.get_field(name)).get(value, value))


def person_line(person: InvolvedPerson, number: int, correct: str | None) -> SafeString:
    """What the page says of a person; `correct`: the correction address's pattern, when
    the reader may correct; `number`: the person's place in the report."""
    role = shown_choice(person, "role")
    # The texts are translated outside the f-strings, where makemessages finds them.
    name = person.name or _("(naam onbekend)")
    parts = [f"{escape(capfirst(role))}: {escape(name)}"]
    if person.age:
        years = _("jaar")
        parts.append(f", {person.age} {escape(years)}")
    if person.birth_year:
        born = _("geboren")
        parts.append(f", {escape(born)} {person.birth_year}")
    if person.gender:
        gender = shown_choice(person, "gender")
        parts.append(f", {escape(gender)}")
    if person.municipality:
        parts.append(f", {escape(name_of(person.municipality))}")
    if person.school:
        parts.append(f", {escape(person.school)}")
    if correct is not None:
        # From the right: the person's key comes after the case code, which may hold
        # the placeholder's digits.
        before, _placeholder, after = correct.rpartition(str(PERSON_PLACEHOLDER))
        url = f"{before}{person.pk}{after}"
        correct_text = _("Gegevens corrigeren")
        parts.append(
            f' <a class="utrecht-link" href="{escape(url)}">{escape(correct_text)}'
            f'<span class="meldpunt-visually-hidden"> ({escape(role)} {number})</span></a>'
        )
    return mark_safe(f'<p class="utrecht-paragraph">{"".join(parts)}</p>')  # noqa: S308 # nosec B308 B703 - every text above is escaped


def report_article(report: Report, labels: Labels, persons: list[SafeString]) -> SafeString:
    """A report as the page shows it, in an <article>, its persons' lines in it."""
    pk = report.pk
    submitted = long_date_time(report.submitted_at)
    heading = _("Melding %(code)s, %(date)s") % {
        "code": escape(report.follow_code),
        "date": escape(submitted),
    }
    who = escape(shown_choice(report, "reporter_type"))
    if report.reporter_organisation:
        who += f" ({escape(report.reporter_organisation)})"
    who += "; " + (
        escape(_("anoniem")) if report.anonymous else escape(report.reporter_name or "—")
    )
    if report.reporter_email:
        who += f", {escape(report.reporter_email)}"
    if report.reporter_phone:
        who += f", {escape(report.reporter_phone)}"
    who += ". " + _("Via %(channel)s; terugkoppeling: %(preference)s.") % {
        "channel": escape(labels.of(CatalogueKind.CHANNEL, report.channel)),
        "preference": escape(shown_choice(report, "feedback_preference")),
    }
    if report.form_code:
        who += " " + _("Formulier: %(form)s.") % {
            "form": escape(labels.of(CatalogueKind.REPORT_FORM, report.form_code))
        }
    signals_text = _("Signalen")
    signals = (
        f'<p class="utrecht-paragraph">{escape(signals_text)}: '
        f"{', '.join(escape(label) for label in labels.signals(report.signals))}</p>"
        if report.signals
        else ""
    )
    answers = ""
    if report.risk_answers:
        items = "".join(
            '<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">'
            f'{escape(asked.question)}</dt><dd class="utrecht-data-list__item-value">'
            f"{escape(asked.answer)}</dd></div>"
            for asked in labels.reporter_answers(report.risk_answers)
        )
        answers_heading = _("Antwoorden op het risicotaxatieformulier")
        answers = (
            f'\n  <h4 class="utrecht-heading-4">'
            f"{escape(answers_heading)}</h4>\n"
            f'  <dl class="utrecht-data-list">{items}</dl>\n  '
        )
    people = "".join(f"\n  {line}\n  " for line in persons)
    return mark_safe(  # noqa: S308 # nosec B308 B703 - every text above is escaped
        f'<article class="meldpunt-message" aria-labelledby="melding-{pk}">\n'
        f'  <h3 class="utrecht-heading-3" id="melding-{pk}">{heading}</h3>\n'
        f'  <p class="utrecht-paragraph">{who}</p>\n'
        f'  <p class="utrecht-paragraph">{linebreaksbr(report.concern, autoescape=True)}</p>\n'
        f"  {signals}\n"
        f"  {answers}\n"
        f"  {people}\n"
        "</article>"
    )


def report_articles(case_file: CaseFile, labels: Labels, may_correct: bool) -> list[SafeString]:
    correct = (
        for_case(
            address_pattern("privacy:correct_person", pk=PERSON_PLACEHOLDER),
            case_file.casus.reference,
        )
        if may_correct
        else None
    )
    return [
        report_article(
            report,
            labels,
            [
                person_line(person, number, correct)
                for number, person in enumerate(report.persons.all(), start=1)
            ],
        )
        for report in case_file.reports
    ]
