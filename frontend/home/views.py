"""The home page of a region's staff: what waits for the signed-in user."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.policy import Action, may, require
from workflow.selectors import case_counts


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_DASHBOARD)
    counts = case_counts(request.user) if may(request.user, Action.VIEW_CASES) else None
    return render(
        request, "home/dashboard.html", {"roles": request.user.roles.all(), "counts": counts}
    )
