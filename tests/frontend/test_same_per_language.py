"""{% same_per_language %}: fixed text rendered once per language, and nothing else in it."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.templatetags.static import static
from django.utils import translation

FIXED = (
    '{% load i18n meldpunt %}{% same_per_language %}<a href="#inhoud">'
    '{% translate "Direct naar de inhoud" %}</a>{% end_same_per_language %}'
)


def test_the_block_is_rendered_once_per_language_and_then_reused() -> None:
    template = Template(FIXED)
    assert template.render(Context()) == '<a href="#inhoud">Direct naar de inhoud</a>'
    with translation.override("en"):
        assert template.render(Context()) == '<a href="#inhoud">Skip to content</a>'
    node = next(node for node in template.nodelist if type(node).__name__ == "SamePerLanguageNode")
    assert set(node.rendered) == {"nl", "en"}
    assert template.render(Context()) == '<a href="#inhoud">Direct naar de inhoud</a>'


def test_a_static_file_s_address_is_fixed_too() -> None:
    template = Template(
        "{% load static meldpunt %}{% same_per_language %}"
        "<link href=\"{% static 'frontend/meldpunt.css' %}\">{% end_same_per_language %}"
    )
    assert template.render(Context()) == f'<link href="{static("frontend/meldpunt.css")}">'


@pytest.mark.parametrize(
    "inside",
    [
        "{{ casus.reference }}",
        "{% url 'cases:list' %}",
        "{% csrf_token %}",
        "{% translate name %}",
        '{% translate "Casus" as title %}',
        '{% translate "Casus" context kind %}',
        "{% if user %}x{% endif %}",
        "{% static name %}",
        "{% static 'frontend/meldpunt.css' as css %}",
        "{% static 'frontend/meldpunt.css'|upper %}",
    ],
)
def test_anything_but_fixed_text_and_translations_is_refused(inside: str) -> None:
    with pytest.raises(TemplateSyntaxError, match="same_per_language"):
        Template(
            "{% load i18n static meldpunt %}{% same_per_language %}"
            + inside
            + "{% end_same_per_language %}"
        )
