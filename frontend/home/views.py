"""A user's home page: what waits for them, a section per role of theirs (the
procesregisseur's with the open cases per step), and their e-mail preference."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.decorators import allowed
from accounts.policy import Action, Role, may
from configuratie.health import WorkItem
from national import transfers
from workflow.models import NotificationSetting
from workflow.oversight import open_cases_by_step
from workflow.services import comensha, matching, notifications


def tiles(items: list[WorkItem]) -> SafeString:
    """A section's tiles, as dashboard.html's loop over them wrote them (the template's
    loop and its tags were a tenth of the page's CPU): texts escaped, counts localised."""
    if not items:
        return SafeString("")
    written = []
    for item in items:
        attention = " meldpunt-tile--attention" if item.count else ""
        written.append(
            f'\n    <li class="meldpunt-tile{attention}" data-kind="{escape(item.kind)}">\n'
            f'      <a class="meldpunt-tile__link" href="{escape(item.url)}">'
            f'<span class="meldpunt-tile__count">{escape(localize(item.count))}</span> '
            f'<span class="meldpunt-tile__label">{escape(item.label)}</span></a>\n    </li>\n    '
        )
    html = f'\n  <ul class="meldpunt-tiles">\n    {"".join(written)}\n  </ul>\n  '
    return mark_safe(html)  # noqa: S308 # nosec B308 B703 - every text above is escaped


@allowed(Action.VIEW_DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    sections = notifications.waiting_for(request.user)
    oversees = Role.PROCESREGISSEUR in request.user.role_codes() and may(
        request.user, Action.VIEW_OVERSIGHT
    )
    context = {
        "roles": notifications.roles_held(request.user),
        "sections": [(section, tiles(section.items)) for section in sections],
        "total": sum(section.total for section in sections),
        "steps": open_cases_by_step(request.user) if oversees else None,
        "transfers_waiting": (
            transfers.waiting_here() if may(request.user, Action.DECIDE_TRANSFER) else None
        ),
        "comensha": comensha.unregistered_victim_cases(request.user) if oversees else None,
        # A person known to another meldpunt too (docs/matching.md): its own block.
        "match_signals": (
            matching.signals_for(request.user)
            if may(request.user, Action.VIEW_MATCH_SIGNALS)
            else None
        ),
    }
    return render(request, "home/dashboard.html", context)


class NotificationForm(forms.Form):
    frequency = forms.ChoiceField(
        label=gettext_lazy("Hoe wilt u e-mail krijgen over werk dat op u wacht?"),
        choices=NotificationSetting.Frequency.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Eén keer per dag: elke ochtend een overzicht als er iets op u wacht. "
            "Direct: dat overzicht, en ook een e-mail zodra er iets nieuws binnenkomt. "
            "De e-mail noemt alleen een aantal en een link, nooit waar het over gaat."
        ),
    )


@allowed(Action.VIEW_DASHBOARD)
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    form = NotificationForm(
        request.POST or None, initial={"frequency": notifications.frequency_of(request.user)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            notifications.set_frequency(
                request.user, actor=request.user, frequency=form.cleaned_data["frequency"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Uw keuze is opgeslagen."))
            return redirect("home:notifications")
    return render(
        request,
        "home/notifications.html",
        {"form": form, "cancel_url": reverse("home:dashboard")},
        status=400 if form.errors else 200,
    )
