"""The national benchmark on the platform domain: every participating region side by
side, per quarter, with the national median and range."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.decorators import allowed
from accounts.policy import Action
from benchmark import services
from benchmark.metrics import Metric


@allowed(Action.VIEW_NATIONAL_BENCHMARK)
def national(request: HttpRequest) -> HttpResponse:
    available = services.quarters()
    chosen = services.chosen_quarter(request.GET.get("kwartaal", ""), available)
    context = {"quarters": available, "chosen": chosen, "metrics": list(Metric)}
    if chosen:
        context |= {
            "summaries": services.summaries(*chosen),
            "page": services.regions_side_by_side(*chosen, request.GET.get("pagina", 1)),
            "quarter_param": f"{chosen[0]}-{chosen[1]}",
        }
    return render(request, "benchmark/national.html", context)
