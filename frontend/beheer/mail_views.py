"""The e-mail the outbox gave up on: who it was for (masked), its subject and error,
and a button to send one or all of them again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.failed_mail import FAILED_LIST_LIMIT, failed_mail, retry_failed_mail
from accounts.policy import Action, require


def chosen_message(request: HttpRequest) -> list[int] | None:
    """The one message whose button was pressed, or None for "all"."""
    if "alle" in request.POST:
        return None
    try:
        return [int(request.POST["bericht"])]
    except (KeyError, ValueError) as error:
        raise BadRequest("No message chosen") from error


@login_required
@require_http_methods(["GET", "POST"])
def failed_mail_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.MANAGE_MAIL)
    if request.method == "POST":
        retried = retry_failed_mail(by=request.user, ids=chosen_message(request))
        messages.success(
            request,
            ngettext(
                "%(count)d bericht wordt opnieuw verstuurd.",
                "%(count)d berichten worden opnieuw verstuurd.",
                retried,
            )
            % {"count": retried},
        )
        return redirect("failed_mail:list")
    context = {"failed": failed_mail(by=request.user), "limit": FAILED_LIST_LIMIT}
    return render(request, "beheer/failed_mail.html", context)
