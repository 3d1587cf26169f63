"""The case list's HTML made in Python: its rows, with their dates and labels formatted
and written in one pass over the page (template filters and the template loop over 50
rows took half of the list's CPU, 9 of 20 ms; f-strings with the standard library's
escape take a fraction of that), and its filter fields, rendered once per process and
choice."""

import functools
from datetime import UTC, date, datetime, time, tzinfo
from datetime import timezone as dt_timezone
from html import escape

from django.core.paginator import Page
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from configuratie.models import CatalogueKind
from frontend.addresses import PLACEHOLDER, address_pattern, for_case
from frontend.cases.dates import short_months
from meldpunt.cache import KeptInProcess
from workflow.filters import CaseFilterSet
from workflow.labels import Labels
from workflow.models.cases import REFERENCE_FORM
from workflow.selectors import CaseListing


class DateFormatter:
    """Short dates in the current language and time zone, as <time> elements. A day
    whose offset from UTC is the same all day (every day but the two a year the clocks
    change) is converted with that fixed offset, and its shown date is written once per
    day: the zone's rules per moment and the date's formatting were most of a row's
    cost."""

    def __init__(self) -> None:
        self.months = short_months(get_language())
        # Asked once: timezone.localtime asks for the current zone on every call.
        self.zone = timezone.get_current_timezone()
        self.offsets: dict[date, tzinfo] = {}  # a UTC day's fixed offset (or the zone)
        self.days: dict[str, str] = {}  # "j M Y" by ISO date

    def offset(self, day: date) -> tzinfo:
        """The fixed offset of `day` (in UTC) in the zone, or the zone itself if its
        offset changes during the day."""
        start = datetime.combine(day, time.min, UTC).astimezone(self.zone)
        end = datetime.combine(day, time.max, UTC).astimezone(self.zone)
        offset = start.utcoffset()
        fixed = end.utcoffset() == offset and offset is not None
        zone = self.offsets[day] = dt_timezone(offset) if fixed else self.zone
        return zone

    def __call__(self, moment: datetime) -> str:
        """`moment` as <time datetime="{{ moment|localtime|date:'c' }}">{{ moment|localtime|date:"j M
        Y" }}</time> writes it: in the Netherlands' time, as the page shows it."""
        if moment.tzinfo is UTC:  # as the database gives it
            day = moment.date()
            local = moment.astimezone(self.offsets.get(day) or self.offset(day))
        else:
            local = moment.astimezone(self.zone)
        iso = local.isoformat()
        shown = self.days.get(iso[:10])
        if shown is None:
            shown = self.days[iso[:10]] = f"{local.day} {self.months[local.month]} {local.year}"
        return f'<time datetime="{iso}">{shown}</time>'


CELL = '<td class="utrecht-table__cell">'


def rows_html(listing: CaseListing, labels: Labels) -> SafeString:
    """The table's rows (cells as cases/list.html's header names them), written with
    f-strings: what can hold configured or typed text (a code, a step's, a priority's,
    a label's or a coordinator's name) escaped, once per distinct text on the page,
    dates and numbers as they are. format_html per cell took a quarter of the list's
    CPU."""
    shown = DateFormatter()
    # The case's address around its code: a code of the usual form needs no quoting
    # or escaping, any other goes through for_case and escape.
    address = address_pattern("cases:detail")
    before, _placeholder, after = (escape(part) for part in address.partition(PLACEHOLDER))
    # Translated outside the f-strings, where makemessages finds the texts.
    finished, overdue = _("afgerond"), _("verlopen")
    finished = escape(f" ({finished})")
    overdue = f" <strong>({escape(overdue)})</strong>"
    steps: dict[int, str] = {}  # a step's name, escaped once per page
    escaped: dict[str, str] = {"—": "—"}  # a text, escaped once per page

    def once(text: str) -> str:
        made = escaped.get(text)
        if made is None:
            made = escaped[text] = escape(text)
        return made

    counts = listing.report_counts
    lines = []
    for casus in listing.page.object_list:
        step = steps.get(casus.current_step_id)
        if step is None:
            step = steps[casus.current_step_id] = escape(casus.current_step.name)
        if casus.deadline_at:
            deadline = shown(casus.deadline_at) + (overdue if casus.is_overdue else "")
        else:
            deadline = "—"
        reference = casus.reference
        if REFERENCE_FORM.fullmatch(reference):
            href = f"{before}{reference}{after}"
        else:
            href, reference = escape(for_case(address, reference)), escape(reference)
        priority = once(str(casus.priority)) if casus.priority else "—"
        case_type = once(labels.of(CatalogueKind.CASE_TYPE, casus.case_type) or "—")
        coordinator = once(str(casus.coordinator)) if casus.coordinator else "—"
        lines.append(
            '<tr class="utrecht-table__row"><th scope="row" class="utrecht-table__header-cell">'
            f'<a class="utrecht-link" href="{href}">{reference}</a></th>'
            f"{CELL}{step}{finished if casus.completed_at else ''}</td>"
            f"{CELL}{shown(casus.step_entered_at)}</td>"
            f"{CELL}{deadline}</td>"
            f"{CELL}{priority}</td>"
            f"{CELL}{case_type}</td>"
            f"{CELL}{coordinator}</td>"
            f"{CELL}{shown(casus.opened_at)}</td>"
            f"{CELL}{counts.get(casus.pk, 0)}</td></tr>"
        )
    return mark_safe("\n".join(lines))  # noqa: S308 # nosec B308 B703 - every text above is escaped


rendered_filter_fields = KeptInProcess(most=256)


def filter_fields(filters: CaseFilterSet, key: str, searching: bool) -> SafeString:
    """The filter form's fields but the order (and the search field in a search: typed
    text is no key), as cases/_filters.html renders them for `key` (views.filters_key:
    the configuration version, the language and the chosen filters, which is all they
    depend on), kept in this process for the most recent 256 keys: a
    shared cache cost a round trip to Redis on every list."""
    kept_as = (key, searching)
    fields = rendered_filter_fields.get(kept_as)
    if fields is None:
        context = {"filters": filters, "searching": searching}
        fields = rendered_filter_fields.keep(
            kept_as, render_to_string("cases/_filters.html", context)
        )
    return fields


def found(page: Page) -> SafeString:
    """The status line's text: how many cases match (or "more than" the neighbourhood
    counted) and which page this is, as cases/list.html wrote it with blocktranslate
    (which escapes the values, numbers here, and not the translation)."""
    paginator = page.paginator
    number = localize(page.number)
    if paginator.exact:
        count = paginator.count
        text = ngettext("%(count)s casus gevonden.", "%(count)s casussen gevonden.", count) % {
            "count": localize(count)
        }
        if paginator.num_pages > 1:
            pages = _("Pagina %(number)s van %(pages)s.") % {
                "number": number,
                "pages": localize(paginator.num_pages),
            }
            text = f"{text} {pages}"
    else:
        text = _("Meer dan %(limit)s casussen gevonden. Pagina %(number)s.") % {
            "limit": floatformat(paginator.limit, "0g"),
            "number": number,
        }
    return mark_safe(text)  # noqa: S308 # nosec B308 B703 - a translation and numbers


# The sortable columns' keys and labels, and the fixed ones, in the table's order.
COLUMNS = (
    ("casus", gettext_lazy("Casus")),
    (None, gettext_lazy("Stap")),
    ("in_stap", gettext_lazy("In de stap sinds")),
    ("termijn", gettext_lazy("Termijn")),
    (None, gettext_lazy("Prioriteit")),
    (None, gettext_lazy("Casustype")),
    (None, gettext_lazy("Casuscoördinator")),
    ("geopend", gettext_lazy("Geopend")),
    (None, gettext_lazy("Meldingen")),
)
HEADER = '\n      <th scope="col" class="utrecht-table__header-cell"'


@functools.lru_cache(maxsize=16)
def header_labels(language: str | None) -> tuple[str, ...]:
    """The columns' labels in `language` (the current one), escaped."""
    return tuple(escape(label) for _key, label in COLUMNS)


def header_row(sort: dict[str, dict[str, str]]) -> SafeString:
    """The table's header row with a link per sortable column that sorts on it (views.
    sort_headers), as cases/list.html wrote it."""
    cells = []
    for (key, _label), label in zip(COLUMNS, header_labels(get_language()), strict=True):
        if key is None:
            cells.append(f"{HEADER}>{label}</th>")
        else:
            chosen = sort[key]
            cells.append(
                f'{HEADER} aria-sort="{escape(chosen["sort"])}">'
                f'<a class="utrecht-link" href="{escape(chosen["url"])}">{label}</a></th>'
            )
    row = f'<tr class="utrecht-table__row">{"".join(cells)}\n    </tr>'
    return mark_safe(row)  # noqa: S308 # nosec B308 B703 - every text above is escaped


def pagination(page: Page, page_query: str) -> SafeString:
    """The links to the first, previous, next and last page around this one's number
    (none for a single page), as cases/list.html wrote them."""
    paginator = page.paginator
    if not paginator.num_pages > 1:
        return SafeString("")
    query = f"?{escape(page_query)}&amp;pagina=" if page_query else "?pagina="
    first, previous, following, last = _("Eerste"), _("Vorige"), _("Volgende"), _("Laatste")
    items = ["\n    "]
    if page.has_previous():
        items.append(
            f'\n    <li><a class="utrecht-link" href="{query}1">{escape(first)}</a></li>'
            f'\n    <li><a class="utrecht-link" rel="prev" href="{query}'
            f'{localize(page.previous_page_number())}">{escape(previous)}</a></li>\n    '
        )
    if paginator.exact:
        current = _("Pagina %(number)s van %(pages)s") % {
            "number": localize(page.number),
            "pages": localize(paginator.num_pages),
        }
    else:
        current = _("Pagina %(number)s") % {"number": localize(page.number)}
    items.append(f'\n    <li><span aria-current="page">{current}</span></li>\n    ')
    if page.has_next():
        items.append(
            f'\n    <li><a class="utrecht-link" rel="next" href="{query}'
            f'{localize(page.next_page_number())}">{escape(following)}</a></li>\n    '
        )
        if paginator.exact:
            items.append(
                f'<li><a class="utrecht-link" href="{query}{localize(paginator.num_pages)}">'
                f"{escape(last)}</a></li>"
            )
        items.append("\n    ")
    navigation = escape(_("Paginering"))
    return mark_safe(  # noqa: S308 # nosec B308 B703 - every text above is escaped
        f'\n<nav class="meldpunt-pagination" aria-label="{navigation}">\n'
        f'  <ul class="meldpunt-pagination__list">{"".join(items)}\n  </ul>\n</nav>\n'
    )
