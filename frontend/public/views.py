"""The public pages of a region: the report forms and the reporter's follow-up page.
No account: access to a report's follow-up is by its code and secret only."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.policy import public
from audit.models import AuditAction
from audit.services import client_ip, known_reference, record
from configuratie.version import configuration_version
from frontend.persons import PersonFormSet
from frontend.public.forms import FollowForm, ReplyForm, ReportForm
from meldpunt.encryption import decrypt, encrypt
from meldpunt.ratelimit import exceeded
from workflow import intake
from workflow.intake import offered_form, offered_forms
from workflow.models import Report
from workflow.services import reports

CONFIRMATION_KEY = "melding_bevestiging"
# A reporter whose confirmation page was lost (a dropped connection, a closed tab)
# can see the codes again from the same browser for this long.
CONFIRMATION_SECONDS = 30 * 60
FOLLOW_KEY = "volg_melding"
FOLLOW_SESSION_SECONDS = 30 * 60


def kept_confirmation(request: HttpRequest) -> dict | None:
    """The codes of the report this browser sent last (the secret encrypted), while
    they may still be shown."""
    kept = request.session.get(CONFIRMATION_KEY)
    if not kept or kept.get("until", 0) < timezone.now().timestamp():
        request.session.pop(CONFIRMATION_KEY, None)
        return None
    return kept


def keep_confirmation(request: HttpRequest, code: str, secret: str) -> None:
    # The secret is encrypted like personal data at rest: a copy of the session
    # table is no key to the follow-up page.
    request.session[CONFIRMATION_KEY] = {
        "code": code,
        "secret": encrypt(secret) if secret else "",
        "until": timezone.now().timestamp() + CONFIRMATION_SECONDS,
    }


@public
def report_choice(request: HttpRequest) -> HttpResponse:
    forms = list(offered_forms())
    if len(forms) == 1:
        return redirect("public:report_form", form_code=forms[0].code)
    context = {"forms": forms, "has_confirmation": kept_confirmation(request) is not None}
    return render(request, "public/choose_form.html", context)


@public
@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest, form_code: str) -> HttpResponse:
    offered = offered_form(form_code)
    if offered is None:
        raise Http404
    context = {
        "offered": offered,
        "has_confirmation": kept_confirmation(request) is not None,
        "fields_version": configuration_version(),
        "bound": request.method == "POST",
    }
    if request.method != "POST":
        # The empty form's fields are the same for every visitor and come from the
        # template's cached fragment; only its token is new. The forms (a deep copy of
        # every field, a quarter of this page's time) are built when the fragment is not
        # cached.
        context["form"] = SimpleLazyObject(lambda: ReportForm(offered=offered))
        context["persons"] = SimpleLazyObject(lambda: PersonFormSet(prefix="persoon"))
        context["token"] = intake.new_form_token()
        return render(request, "public/report_form.html", context)
    form = context["form"] = ReportForm(request.POST, offered=offered)
    persons = context["persons"] = PersonFormSet(request.POST, prefix="persoon")
    client = client_ip(request)
    if intake.SUBMISSIONS_PER_ADDRESS.exceeded_by(client):
        context["rate_limited"] = True
        return render(request, "public/report_form.html", context, status=429)
    if not (form.is_valid() and persons.is_valid()):
        return render(request, "public/report_form.html", context, status=400)
    people = [person.person_data() for person in persons if person.has_changed()]
    try:
        submitted = reports.submit_report(
            form.report_data(people, reports.WEB_CHANNEL),
            submission_token=form.cleaned_data["token"],
            client=client,
        )
    except intake.IntakeRefused as refused:
        form.show_refusal(refused)
        return render(request, "public/report_form.html", context, status=400)
    except intake.TooManyReports:
        context["rate_limited"] = True
        return render(request, "public/report_form.html", context, status=429)
    keep_confirmation(request, submitted.code, submitted.secret)
    return redirect("public:report_received")


@public
@never_cache
def report_received(request: HttpRequest) -> HttpResponse:
    kept = kept_confirmation(request)
    if kept is None:
        return redirect("public:follow")
    secret = decrypt(kept["secret"]) if kept["secret"] else ""  # empty: a repeated submit
    return render(request, "public/received.html", {"code": kept["code"], "secret": secret})


@public
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "public/privacy.html")


def followed_report(request: HttpRequest) -> Report | None:
    entry = request.session.get(FOLLOW_KEY)
    if not entry or entry["until"] < timezone.now().timestamp():
        return None
    return Report.objects.filter(pk=entry["report"]).select_related("casus__current_step").first()


@public
@never_cache  # an answer may show the report code that was typed
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    form = FollowForm(request.POST if request.method == "POST" else None)
    context = {"form": form}
    if request.method == "GET":
        return render(request, "public/follow_login.html", context)
    if not form.is_valid():
        return render(request, "public/follow_login.html", context, status=400)
    code, secret = form.cleaned_data["code"], form.cleaned_data["secret"]
    code_for_log = known_reference(code.strip().upper(), reports.FOLLOW_CODE_FORM)
    # Per address, and per address and code: a guesser slows down themselves, never
    # the reporter (whose secret, 12 characters of 32, no one guesses in any case).
    client = client_ip(request)
    if exceeded(client, "follow", limit=10, window=900) or exceeded(
        client, "follow-code", limit=5, window=900, key=code
    ):
        record(
            AuditAction.LOGIN_FAILED,
            request=request,
            detail={"meldcode": code_for_log, "reden": "te veel pogingen"},
        )
        form.add_error(None, _("Te veel pogingen. Probeer het over een kwartier opnieuw."))
        return render(request, "public/follow_login.html", context, status=429)
    report = reports.report_for_code(code, secret)
    if report is None:
        record(AuditAction.LOGIN_FAILED, request=request, detail={"meldcode": code_for_log})
        form.add_error(
            None,
            _(
                "Deze combinatie van meldcode en geheime code kennen wij niet. "
                "Controleer beide codes."
            ),
        )
        return render(request, "public/follow_login.html", context, status=400)
    request.session.cycle_key()
    request.session[FOLLOW_KEY] = {
        "report": report.pk,
        "until": timezone.now().timestamp() + FOLLOW_SESSION_SECONDS,
    }
    record(
        AuditAction.VIEW,
        request=request,
        target=report,
        case_id=report.casus.reference,
        on_behalf_of="melder",
    )
    return redirect("public:follow_status")


@public
@never_cache
@require_http_methods(["GET", "POST"])
def follow_status(request: HttpRequest) -> HttpResponse:
    report = followed_report(request)
    if report is None:
        return redirect("public:follow")
    form = ReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reports.reply_from_reporter(report, form.cleaned_data["text"])
        messages.success(request, _("Dank u. Uw bericht is aan het meldpunt doorgegeven."))
        return redirect("public:follow_status")
    context = reports.follow_up_view(report) | {"form": form}
    return render(request, "public/follow_status.html", context, status=400 if form.errors else 200)


@public
@require_http_methods(["POST"])
def follow_end(request: HttpRequest) -> HttpResponse:
    request.session.pop(FOLLOW_KEY, None)
    return redirect("public:follow")
