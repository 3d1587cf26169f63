"""The case list's status line, sortable header and page links written in Python
(frontend/cases/rows.py) are what cases/list.html's template tags wrote, in Dutch and
English; and the rows' dates are what the localtime and date filters write, on the days
the clocks change too."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import translation

from frontend.cases.rows import DateFormatter, found, header_row, pagination
from frontend.cases.views import sort_headers
from workflow.selectors import NeighbourhoodPaginator

LOAD = "{% load i18n meldpunt %}"
# As cases/list.html wrote them before (the same_per_language blocks as they were).
STATUS = '{% if page.paginator.exact %}{% blocktranslate count count=page.paginator.count %}{{ count }} casus gevonden.{% plural %}{{ count }} casussen gevonden.{% endblocktranslate %}{% if page.paginator.num_pages > 1 %} {% blocktranslate with number=page.number pages=page.paginator.num_pages %}Pagina {{ number }} van {{ pages }}.{% endblocktranslate %}{% endif %}{% else %}{% blocktranslate with limit=page.paginator.limit|floatformat:"0g" number=page.number %}Meer dan {{ limit }} casussen gevonden. Pagina {{ number }}.{% endblocktranslate %}{% endif %}'
HEADER = (
    '    <tr class="utrecht-table__row">{% end_same_per_language %}\n'
    '      <th scope="col" class="utrecht-table__header-cell" aria-sort="{{ sort.casus.sort }}"><a class="utrecht-link" href="{{ sort.casus.url }}">{% translate "Casus" %}{% same_per_language %}</a></th>\n'
    '      <th scope="col" class="utrecht-table__header-cell">{% translate "Stap" %}</th>{% end_same_per_language %}\n'
    '      <th scope="col" class="utrecht-table__header-cell" aria-sort="{{ sort.in_stap.sort }}"><a class="utrecht-link" href="{{ sort.in_stap.url }}">{% translate "In de stap sinds" %}</a></th>\n'
    '      <th scope="col" class="utrecht-table__header-cell" aria-sort="{{ sort.termijn.sort }}"><a class="utrecht-link" href="{{ sort.termijn.url }}">{% translate "Termijn" %}{% same_per_language %}</a></th>\n'
    '      <th scope="col" class="utrecht-table__header-cell">{% translate "Prioriteit" %}</th>\n'
    '      <th scope="col" class="utrecht-table__header-cell">{% translate "Casustype" %}</th>\n'
    '      <th scope="col" class="utrecht-table__header-cell">{% translate "Casuscoördinator" %}</th>{% end_same_per_language %}\n'
    '      <th scope="col" class="utrecht-table__header-cell" aria-sort="{{ sort.geopend.sort }}"><a class="utrecht-link" href="{{ sort.geopend.url }}">{% translate "Geopend" %}{% same_per_language %}</a></th>\n'
    '      <th scope="col" class="utrecht-table__header-cell">{% translate "Meldingen" %}</th>\n'
    "    </tr>\n"
)
PAGINATION = (
    "{% if page.paginator.num_pages > 1 %}\n"
    '{% same_per_language %}<nav class="meldpunt-pagination" aria-label="{% translate \'Paginering\' %}">\n'
    '  <ul class="meldpunt-pagination__list">{% end_same_per_language %}\n'
    "    {% if page.has_previous %}\n"
    '    <li><a class="utrecht-link" href="?{{ page_query }}{% if page_query %}&amp;{% endif %}pagina=1">{% translate "Eerste" %}</a></li>\n'
    '    <li><a class="utrecht-link" rel="prev" href="?{{ page_query }}{% if page_query %}&amp;{% endif %}pagina={{ page.previous_page_number }}">{% translate "Vorige" %}</a></li>\n'
    "    {% endif %}\n"
    '    <li><span aria-current="page">{% if page.paginator.exact %}{% blocktranslate with number=page.number pages=page.paginator.num_pages %}Pagina {{ number }} van {{ pages }}{% endblocktranslate %}{% else %}{% blocktranslate with number=page.number %}Pagina {{ number }}{% endblocktranslate %}{% endif %}</span></li>\n'
    "    {% if page.has_next %}\n"
    '    <li><a class="utrecht-link" rel="next" href="?{{ page_query }}{% if page_query %}&amp;{% endif %}pagina={{ page.next_page_number }}">{% translate "Volgende" %}</a></li>\n'
    '    {% if page.paginator.exact %}<li><a class="utrecht-link" href="?{{ page_query }}{% if page_query %}&amp;{% endif %}pagina={{ page.paginator.num_pages }}">{% translate "Laatste" %}</a></li>{% endif %}\n'
    "    {% endif %}\n"
    "  </ul>\n"
    "</nav>\n"
    "{% endif %}\n"
)

PAGES = [
    # (page number, matching cases, cases per page, at least counted)
    (1, 0, 50, 1000),
    (1, 1, 50, 1000),
    (1, 7, 2, 3),
    (2, 7, 2, 3),
    (3, 7, 2, 100),
    (4, 7, 2, 100),
    (1, 2000, 50, 1000),
    (7, 2000, 50, 1000),
    (2, 1001, 50, 1000),
    (30, 1751, 50, 1000),
]
PARAMS = [
    {},
    {"order": "casus"},
    {"order": "-casus", "pagina": "3"},
    {"order": "in_stap", "status": "alle"},
    {"order": "-termijn", "step": "a&b", "x": '"<>'},
    {"order": "geopend", "q": "Jan de Vries"},
    {"order": "-geopend"},
]


def page_of(number: int, count: int, per_page: int, at_least: int, monkeypatch):
    monkeypatch.setattr(NeighbourhoodPaginator, "COUNT_AT_LEAST", at_least)
    limit = NeighbourhoodPaginator.limit_for(number, per_page)
    rows = list(range(min(per_page, max(0, count - (number - 1) * per_page))))
    return NeighbourhoodPaginator.read(rows, per_page, number, min(count, limit + 1))


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("shape", PAGES)
def test_the_status_line_and_the_page_links_are_what_the_template_wrote(
    language, shape, monkeypatch
):
    page = page_of(*shape, monkeypatch)
    for params in PARAMS:
        page_query = "&".join(f"{k}={v}" for k, v in params.items() if k != "pagina")
        context = {"page": page, "page_query": page_query}
        with translation.override(language):
            assert found(page) == Template(LOAD + STATUS).render(Context(context))
            # cases/list.html writes the line's end after it.
            written = Template(LOAD + PAGINATION).render(Context(context))
            assert f"{pagination(page, page_query)}\n" == written


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("params", PARAMS)
def test_the_sortable_header_is_what_the_template_wrote(language, params):
    sort = sort_headers(params)
    with translation.override(language):
        # The fragment opens and closes inside the template's fixed blocks.
        fragment = f"{LOAD}{{% same_per_language %}}{HEADER}{{% end_same_per_language %}}"
        written = Template(fragment).render(Context({"sort": sort}))
        assert f"    {header_row(sort)}\n" == written


# Around the two changes of the clock in 2026 (29 March and 25 October, 01:00 UTC), and
# a moment on a whole second (isoformat leaves the microseconds out).
MOMENTS = [
    datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    datetime(2026, 3, 28, 23, 30, 5, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 30, 1, 5, tzinfo=UTC),
    datetime(2026, 10, 25, 1, 30, 1, 5, tzinfo=UTC),
    datetime(2026, 10, 24, 22, 15, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 0, tzinfo=UTC),
    datetime(2026, 6, 30, 22, 0, 0, 1, tzinfo=UTC),
]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_date_is_the_moment_in_the_netherlands_time_as_the_date_filter_wrote_it(language):
    """The shown date as `moment|localtime|date:"j M Y"` writes it; the datetime
    attribute as the moment's isoformat in the zone (the localtime filter drops the
    fold in the hour the clock goes back, and would give it the summer's offset)."""
    template = Template('{% load tz %}{{ moment|localtime|date:"j M Y" }}')
    with translation.override(language):
        shown = DateFormatter()
        for moment in [*MOMENTS, *(moment + timedelta(days=1) for moment in MOMENTS)]:
            local = moment.astimezone(shown.zone)
            day = template.render(Context({"moment": moment}))
            expected = f'<time datetime="{local.isoformat()}">{day}</time>'
            for same in (moment, local):  # as the database gives it, or local
                assert shown(same) == expected, same
