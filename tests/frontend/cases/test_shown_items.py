"""The case page's persons and timeline entries, written in Python, read exactly as the
template wrote them before (its text is kept here as the reference)."""

from datetime import timedelta

from django.template import engines
from django.utils import timezone
from django_tenants.utils import tenant_context

from frontend.addresses import address_pattern, for_case
from frontend.cases.shown_persons import PERSON_PLACEHOLDER, person_line
from frontend.cases.timeline import TimelineEntry
from workflow.models import InvolvedPerson

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


def rendered(template: str, **context) -> str:
    return engines["django"].from_string(template).render(context)


def test_a_persons_line_reads_as_the_template_wrote_it(twente):
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
    with tenant_context(twente):
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


def test_a_timeline_entry_reads_as_the_template_wrote_it():
    at = timezone.now() - timedelta(days=40)
    for entry in (
        TimelineEntry(at, "Casus geopend", "", ""),
        TimelineEntry(at, "Melding <M-1> & 'x'", 'Eerste regel\nTweede "regel" <b>', "Jan & co"),
    ):
        assert entry.html() == rendered(ENTRY, entry=entry)
