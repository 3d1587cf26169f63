"""One's own meetings in one's calendar: the screen where a user makes, replaces or
revokes the secret address of their subscription (shown once, on the answer to the
form), and the address itself, which a calendar program fetches without a session:
the secret is the credential, so it is rate-limited like the other secret codes."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import allowed
from accounts.policy import Action, public
from audit.services import client_ip
from meldpunt.ratelimit import exceeded
from workflow.models import MeetingFeed
from workflow.services import meeting_invitations

# Calendar programs fetch a subscription every few minutes to hours; many users of
# one organisation may share an address (or a calendar provider's servers).
FEED_FETCHES_PER_ADDRESS = 300
FEED_FETCHES_PER_KEY = 30
FEED_WINDOW_SECONDS = 900


@allowed(Action.SUBSCRIBE_TO_MEETINGS)
@require_http_methods(["GET", "POST"])
def subscription(request: HttpRequest) -> HttpResponse:
    address = ""
    if request.method == "POST":
        if request.POST.get("actie") == "intrekken":
            if meeting_invitations.revoke_feed(request.user):
                messages.success(request, _("Het agenda-abonnement is ingetrokken."))
            return redirect("meetings:subscription")
        key = meeting_invitations.make_feed(request.user)
        # Rendered, not redirected: the secret is kept nowhere until a next page.
        address = meeting_invitations.feed_url(key)
    context = {
        "feed": MeetingFeed.objects.filter(user=request.user).first(),
        "address": address,
    }
    return render(request, "meetings/subscription.html", context)


@public  # the secret in the address is the credential
@never_cache
@require_GET
def feed(request: HttpRequest, key: str) -> HttpResponse:
    client = client_ip(request)
    if exceeded(
        client, "meeting-feed", limit=FEED_FETCHES_PER_ADDRESS, window=FEED_WINDOW_SECONDS
    ) or exceeded(
        client,
        "meeting-feed-key",
        limit=FEED_FETCHES_PER_KEY,
        window=FEED_WINDOW_SECONDS,
        key=key[: meeting_invitations.FEED_KEY_MAX_LENGTH],
    ):
        return HttpResponse(
            _("Te veel pogingen. Probeer het over een kwartier opnieuw."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
    owner = meeting_invitations.feed_owner(key)
    if owner is None:
        raise Http404
    response = HttpResponse(
        meeting_invitations.feed_calendar(owner), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="overleggen.ics"'
    return response
