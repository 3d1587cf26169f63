"""The home page's tiles written in Python (frontend/home/views.tiles) are what
dashboard.html's loop over a section's items wrote, in Dutch and English."""

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext_lazy

from configuratie.health import WorkItem
from frontend.home.views import tiles

# As dashboard.html wrote them before.
TILES = (
    "  {% if section.items %}\n"
    '  <ul class="meldpunt-tiles">\n'
    "    {% for item in section.items %}\n"
    '    <li class="meldpunt-tile{% if item.count %} meldpunt-tile--attention{% endif %}" data-kind="{{ item.kind }}">\n'
    '      <a class="meldpunt-tile__link" href="{{ item.url }}"><span class="meldpunt-tile__count">{{ item.count }}</span> <span class="meldpunt-tile__label">{{ item.label }}</span></a>\n'
    "    </li>\n"
    "    {% endfor %}\n"
    "  </ul>\n"
    "  {% endif %}\n"
)

ITEMS = [
    [],
    [WorkItem("te_screenen", gettext_lazy("Nieuwe melding om te screenen"), 0, "/casussen/")],
    [
        WorkItem("a&b", "Label <met> \"tekens\" & 'meer'", 1, "/casussen/?signaal=a&x=<y>"),
        WorkItem("mijn_termijnen", gettext_lazy("Termijn"), 17083, "/casussen/?signaal=b"),
        WorkItem("c", "", 1234567, ""),
    ],
]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("items", ITEMS)
def test_the_tiles_are_what_the_template_wrote(language, items):
    with translation.override(language):
        written = Template(TILES).render(Context({"section": {"items": items}}))
        # dashboard.html writes the indent before them and the line's end after.
        assert f"  {tiles(items)}\n" == written
