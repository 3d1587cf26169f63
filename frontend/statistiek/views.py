"""The statistics room: the region's statistics with a chart and a table per figure,
the map, the prevention and advice statistics, exports, yearly reports and the
comparison with the national benchmark. Aggregates only: no page here shows a case,
a person or a text, so the analist can use all of it."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import allowed
from accounts.policy import Action, may, require
from configuratie.gemeenten import BOUNDARIES_STATIC
from configuratie.models import RegionSettings
from frontend.statistiek.forms import AnnualReportForm
from meldpunt.downloads import download
from meldpunt.pdf import pdf_response
from statistiek import annual_report, benchmark, charts, rapporteur
from statistiek.exports import ALL_PREVENTION_TABLES, ALL_REGION_TABLES, export
from statistiek.figures import (
    MAP_TABLE,
    REGION_TABLES,
    Selection,
    cases_per_municipality,
    region_figures,
    region_table,
    region_tables,
)
from statistiek.models import AnnualReport
from statistiek.prevention_figures import PREVENTION_TABLES, prevention_tables
from statistiek.selection import SelectionForm
from statistiek.tables import formatted


def selection_query(selection: Selection) -> str:
    return urlencode(
        {
            "van": selection.start.isoformat(),
            "tot_en_met": selection.end.isoformat(),
            "indeling": selection.grain,
            "gemeente": selection.municipality,
        }
    )


def figures_page(request: HttpRequest, template: str, build, **extra) -> HttpResponse:
    """A page of figures for the chosen selection; a wrong selection is a 400 with the
    form's messages, and the values typed stay in the form."""
    require(request.user, Action.VIEW_STATISTICS)
    form = SelectionForm(request.GET)
    selection = form.selection()
    context = {
        "form": form,
        "selection": selection,
        "query": selection_query(selection) if selection else "",
        "may_export": may(request.user, Action.EXPORT_STATISTICS),
        **extra,
    }
    if selection is None:
        return render(request, template, context, status=400)
    return render(request, template, context | build(selection))


def region_context(selection: Selection) -> dict:
    tables, counted_at = region_figures(selection)
    return {"tables": tables, "counted_at": counted_at}


@allowed(Action.VIEW_STATISTICS)
def index(request: HttpRequest) -> HttpResponse:
    return figures_page(
        request,
        "statistiek/figures.html",
        region_context,
        all_tables=ALL_REGION_TABLES,
        heading=_("Statistiek van de regio"),
        intro=_(
            "Registreren en in kaart brengen: tellingen uit de meldingen en casussen van de regio. Geen persoonsgegevens; elke grafiek heeft de cijfers in een tabel ernaast."
        ),
    )


@allowed(Action.VIEW_STATISTICS)
def prevention(request: HttpRequest) -> HttpResponse:
    return figures_page(
        request,
        "statistiek/figures.html",
        lambda selection: {"tables": prevention_tables(selection)},
        all_tables=ALL_PREVENTION_TABLES,
        heading=_("Preventie en advies in cijfers"),
        intro=_(
            "Informeren, adviseren en voorlichting geven: de preventieactiviteiten en de adviesvragen zonder melding. Elke grafiek heeft de cijfers in een tabel ernaast."
        ),
    )


def map_context(selection: Selection) -> dict:
    table = cases_per_municipality(selection)
    column, classes, legend = charts.map_classes(table)
    return {
        "table": table,
        "legend": legend,
        "by_rate": column == "per_10000",
        "boundaries": static(BOUNDARIES_STATIC),
        "map_data": {
            "colours": charts.CLASS_COLOURS,
            "noFigure": charts.NO_FIGURE_COLOUR,
            "municipalities": {
                row.key: {
                    "name": row.label,
                    "class": classes[row.key],
                    "value": formatted(row.values.get(column)),
                }
                for row in table.rows
            },
        },
    }


@allowed(Action.VIEW_STATISTICS)
def map_page(request: HttpRequest) -> HttpResponse:
    return figures_page(request, "statistiek/kaart.html", map_context)


def tables_for(name: str, selection: Selection) -> list:
    if name == ALL_REGION_TABLES:
        return [*region_tables(selection), cases_per_municipality(selection)]
    if name == ALL_PREVENTION_TABLES:
        return prevention_tables(selection)
    if name in REGION_TABLES or name == MAP_TABLE:
        return [region_table(name, selection)]
    if name in PREVENTION_TABLES:
        return [PREVENTION_TABLES[name](selection)]
    raise Http404


@allowed(Action.EXPORT_STATISTICS)
def export_view(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    selection = SelectionForm(request.GET).selection()
    if selection is None:
        return HttpResponse(_("Kies een geldige periode om te downloaden."), status=400)
    tables = tables_for(name, selection)
    if fmt not in ("csv", "xlsx") or (fmt == "csv" and len(tables) != 1):
        raise Http404
    heading = _("%(site)s, %(start)s tot en met %(end)s") % {
        "site": request.tenant.name,
        "start": selection.start.isoformat(),
        "end": selection.end.isoformat(),
    }
    exported = export(
        actor=request.user,
        tables=tables,
        name=name,
        fmt=fmt,
        heading=heading,
        selection=selection.describe(),
    )
    return download(exported.content, exported.filename, exported.content_type)


@allowed(Action.EXPORT_STATISTICS)
@require_http_methods(["GET", "POST"])
def annual_reports(request: HttpRequest) -> HttpResponse:
    form = AnnualReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        annual_report.request_annual_report(actor=request.user, year=form.cleaned_data["year"])
        messages.success(request, _("Het jaarverslag wordt gemaakt; de voortgang staat hieronder."))
        return redirect("statistiek:annual_reports")
    return render_annual_reports(request, form, status=400 if form.errors else 200)


def render_annual_reports(
    request: HttpRequest, form: AnnualReportForm, status: int = 200, refusal: str = ""
) -> HttpResponse:
    context = {
        "form": form,
        "reports": AnnualReport.objects.select_related("requested_by")[:20],
        "refusal": refusal,
        "rapporteur_form": AnnualReportForm(prefix=RAPPORTEUR),
    }
    return render(request, "statistiek/jaarverslagen.html", context, status=status)


RAPPORTEUR = "rapporteur"


@allowed(Action.EXPORT_STATISTICS)
def rapporteur_export(request: HttpRequest) -> HttpResponse:
    """The year's CoMensha registrations for the Nationaal Rapporteur, suppressed."""
    form = AnnualReportForm(request.GET, prefix=RAPPORTEUR)
    if not form.is_valid():
        return HttpResponse(_("Kies een jaar om te downloaden."), status=400)
    exported = rapporteur.rapporteur_export(
        actor=request.user, year=form.cleaned_data["year"], region_name=request.tenant.name
    )
    return download(exported.content, exported.filename, exported.content_type)


@allowed(Action.EXPORT_STATISTICS)
def annual_report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """One report's row, which the page asks for again (htmx) until the report is ready."""
    report = get_object_or_404(AnnualReport.objects.select_related("requested_by"), pk=pk)
    return render(request, "statistiek/jaarverslag_rij.html", {"report": report})


@allowed(Action.EXPORT_STATISTICS)
@require_POST
def annual_report_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """A failed report made again; the page follows its progress as before."""
    report = get_object_or_404(AnnualReport, pk=pk)
    try:
        annual_report.retry_annual_report(report, actor=request.user)
    except ValidationError as error:
        refusal = " ".join(error.messages)
        return render_annual_reports(request, AnnualReportForm(), status=409, refusal=refusal)
    messages.success(request, _("Het jaarverslag wordt opnieuw gemaakt."))
    return redirect("statistiek:annual_reports")


@allowed(Action.EXPORT_STATISTICS)
def annual_report_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(AnnualReport, pk=pk, status=AnnualReport.Status.DONE)
    content = annual_report.download(report, actor=request.user)
    return pdf_response(content, f"jaarverslag-{request.tenant.slug}-{report.year}.pdf")


@allowed(Action.COMPARE_BENCHMARK)
def benchmark_page(request: HttpRequest) -> HttpResponse:
    available = benchmark.quarters_with_own_figures()
    asked = request.GET.get("kwartaal", "")
    chosen = next((q for q in available if asked == f"{q[0]}-{q[1]}"), None) or (
        available[0] if available else None
    )
    context = {
        "opted_in": RegionSettings.current().benchmark_opt_in,
        "quarters": available,
        "chosen": chosen,
        "comparison": benchmark.comparison(*chosen) if chosen else [],
        "may_configure": may(request.user, Action.CONFIGURE_REGION),
    }
    return render(request, "statistiek/benchmark.html", context)


@allowed(Action.COMPARE_BENCHMARK)
@require_POST
def benchmark_delete(request: HttpRequest) -> HttpResponse:
    if RegionSettings.current().benchmark_opt_in:
        messages.error(
            request, _("Zet eerst de deelname aan de benchmark uit (Beheer → Instellingen).")
        )
        return redirect("statistiek:benchmark")
    deleted = benchmark.delete_own_figures(actor=request.user)
    messages.success(
        request,
        _("De eerdere benchmarkcijfers van de regio zijn verwijderd (%(count)d cijfers).")
        % {"count": deleted},
    )
    return redirect("statistiek:benchmark")
