"""The case page's reports, their persons and its timeline entries, written in Python,
read exactly as the template wrote them before (its text is kept here as the
reference)."""

from datetime import timedelta

import pytest
from django.template import engines
from django.utils import timezone, translation
from django_tenants.utils import tenant_context

from configuratie.models import CatalogueKind
from frontend.addresses import address_pattern, for_case
from frontend.cases.dates import long_date_time
from frontend.cases.shown_reports import (
    PERSON_PLACEHOLDER,
    person_line,
    report_articles,
)
from frontend.cases.timeline import TimelineEntry
from tests.factories import intake_case, person
from workflow.labels import region_labels
from workflow.models import InvolvedPerson, Report
from workflow.selectors import read_case_file

PERSON = (
    '{% load i18n %}<p class="utrecht-paragraph">{{ person.get_role_display|capfirst }}: '
    '{{ person.name|default:_("(naam onbekend)") }}{% if person.age %}, {{ person.age }} '
    '{% translate "jaar" %}{% endif %}{% if person.birth_year %}, {% translate "geboren" %} '
    "{{ person.birth_year }}{% endif %}{% if person.gender %}, {{ person.get_gender_display }}"
    "{% endif %}{% if person.municipality %}, {{ person.get_municipality_display }}{% endif %}"
    "{% if person.school %}, {{ person.school }}{% endif %}{% if may_correct %} "
    '<a class="utrecht-link" href="{% url \'privacy:correct_person\' reference person.pk %}">'
    '{% translate "Gegevens corrigeren" %}<span class="meldpunt-visually-hidden"> '
    "({{ person.get_role_display }} {{ number }})</span></a>{% endif %}</p>"
)
ENTRY = (
    '{% load tz %}<li><p class="utrecht-paragraph"><strong>{{ entry.at|localtime|date:"j M Y H:i" }}'
    "</strong> · {{ entry.title }}{% if entry.by %} · {{ entry.by }}{% endif %}</p>"
    '{% if entry.text %}<p class="utrecht-paragraph">{{ entry.text|linebreaksbr }}</p>{% endif %}'
    "</li>"
)

# The report's <article> as detail.html wrote it (its persons' loop included); the region's
# words for its channel, form and answers (the filters channel, report_form and
# reporter_answers then) come in the context.
ARTICLE = (
    "{% load i18n tz meldpunt %}"
    + '<article class="meldpunt-message" aria-labelledby="melding-{{ report.pk }}">\n  <h3 class="utrecht-heading-3" id="melding-{{ report.pk }}">{% blocktranslate with code=report.follow_code date=report.submitted_at|localtime|date:"j F Y H:i" %}Melding {{ code }}, {{ date }}{% endblocktranslate %}</h3>\n  <p class="utrecht-paragraph">{{ report.get_reporter_type_display }}{% if report.reporter_organisation %} ({{ report.reporter_organisation }}){% endif %}; {% if report.anonymous %}{% translate "anoniem" %}{% else %}{{ report.reporter_name|default:"—" }}{% endif %}{% if report.reporter_email %}, {{ report.reporter_email }}{% endif %}{% if report.reporter_phone %}, {{ report.reporter_phone }}{% endif %}. {% blocktranslate with channel=channel preference=report.get_feedback_preference_display %}Via {{ channel }}; terugkoppeling: {{ preference }}.{% endblocktranslate %}{% if report.form_code %} {% blocktranslate with form=form_name %}Formulier: {{ form }}.{% endblocktranslate %}{% endif %}</p>\n  <p class="utrecht-paragraph">{{ report.concern|linebreaksbr }}</p>\n  {% if report.signals %}<p class="utrecht-paragraph">{% translate "Signalen" %}: {{ labels|signals:report.signals|join:", " }}</p>{% endif %}\n  {% if report.risk_answers %}\n  {% same_per_language %}<h4 class="utrecht-heading-4">{% translate "Antwoorden op het risicotaxatieformulier" %}</h4>\n  <dl class="utrecht-data-list">{% end_same_per_language %}{% for asked in answers %}<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">{{ asked.question }}</dt><dd class="utrecht-data-list__item-value">{{ asked.answer }}</dd></div>{% endfor %}</dl>\n  {% endif %}\n  {% for person in report.persons.all %}\n  <p class="utrecht-paragraph">{{ person.get_role_display|capfirst }}: {{ person.name|default:_("(naam onbekend)") }}{% if person.age %}, {{ person.age }} {% translate "jaar" %}{% endif %}{% if person.birth_year %}, {% translate "geboren" %} {{ person.birth_year }}{% endif %}{% if person.gender %}, {{ person.get_gender_display }}{% endif %}{% if person.municipality %}, {{ person.get_municipality_display }}{% endif %}{% if person.school %}, {{ person.school }}{% endif %}{% if may_correct %} <a class="utrecht-link" href="{% url \'privacy:correct_person\' casus.reference person.pk %}">{% translate "Gegevens corrigeren" %}<span class="meldpunt-visually-hidden"> ({{ person.get_role_display }} {{ forloop.counter }})</span></a>{% endif %}</p>\n  {% endfor %}\n</article>\n'
)


def rendered(template: str, **context) -> str:
    return engines["django"].from_string(template).render(context)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_persons_line_reads_as_the_template_wrote_it(twente, language):
    people = [
        InvolvedPerson(pk=12, role="slachtoffer", name="Sanne <de> \"Vries\" & 'co'"),
        InvolvedPerson(
            pk=345,
            role="dader",
            name="",
            age=17,
            birth_year=2008,
            gender="m",
            municipality="GM0153",
            school="<b>School</b>",
        ),
    ]
    with tenant_context(twente), translation.override(language):
        correct = for_case(
            address_pattern("privacy:correct_person", pk=PERSON_PLACEHOLDER), "2026-000123"
        )
        for number, person in enumerate(people, start=1):
            for may_correct in (False, True):
                expected = rendered(
                    PERSON,
                    person=person,
                    number=number,
                    may_correct=may_correct,
                    reference="2026-000123",
                )
                line = person_line(person, number, correct if may_correct else None)
                assert line == expected


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_timeline_entry_reads_as_the_template_wrote_it(language):
    with translation.override(language):
        for days in range(0, 366, 29):
            at = timezone.now() - timedelta(days=days, hours=days % 24)
            for entry in (
                TimelineEntry(at, "Casus geopend", "", ""),
                TimelineEntry(
                    at, "Melding <M-1> & 'x'", 'Eerste regel\nTweede "regel" <b>', "Jan & co"
                ),
            ):
                assert entry.html() == rendered(ENTRY, entry=entry)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_long_date_reads_as_the_template_wrote_it(language):
    with translation.override(language):
        for days in range(0, 366, 29):
            at = timezone.now() - timedelta(days=days, hours=days % 24)
            expected = rendered('{% load tz %}{{ at|localtime|date:"j F Y H:i" }}', at=at)
            assert long_date_time(at) == expected


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_report_reads_as_the_template_wrote_it(twente, make_user, language):
    staff = make_user(twente, "medewerker", "procesregisseur")
    with tenant_context(twente):
        casus = intake_case(
            staff,
            person("Sanne <de> Vries", age=15, school="Het <Lyceum>"),
            person("", role="dader", gender="m"),
            reporter_organisation="School & <zorg>",
            reporter_name='Jan "de" Melder',
            reporter_email="jan@example.org",
            reporter_phone="06 1234",
            concern="Eerste regel\nTweede <regel> & meer",
        )
        Report.objects.filter(casus=casus).update(
            signals=["cadeaus", "onbekend<signaal>"],
            risk_answers={"contact_dader": "ja", "vermist": "nee"},
        )
        later = intake_case(staff, link_to=casus, anonymous=True, concern="Kort")
        Report.objects.filter(casus=later).exclude(signals__len=2).update(form_code="")
        case_file = read_case_file(staff, casus)
        labels = region_labels()
    with tenant_context(twente), translation.override(language):
        for may_correct in (False, True):
            articles = report_articles(case_file, labels, may_correct)
            assert len(articles) == 2
            for report, article in zip(case_file.reports, articles, strict=True):
                expected = rendered(
                    ARTICLE,
                    report=report,
                    labels=labels,
                    may_correct=may_correct,
                    casus=casus,
                    channel=labels.of(CatalogueKind.CHANNEL, report.channel),
                    form_name=labels.of(CatalogueKind.REPORT_FORM, report.form_code),
                    answers=labels.reporter_answers(report.risk_answers or {}),
                )
                assert article == expected.removesuffix("\n")
