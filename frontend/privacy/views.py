"""Privacy screens: the audit log and its export, the weekly log review, a person's
access overview (screen and PDF), retention periods, legal holds, the destruction
records, erasure on request, and the correction of a person's data.

Reading the log (and what is made of it) asks for a second factor no older than
PRIVACY_SECOND_FACTOR_MAX_AGE: allauth's own reauthentication with the authenticator
app, recognised by the MFA record allauth keeps in the session.
"""

import functools
import time
from collections.abc import Callable

from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import suspend_request
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import decorators
from accounts.policy import Action, may
from frontend.privacy.forms import (
    CaseReferenceForm,
    CheckFindingForm,
    CorrectionForm,
    ErasureForm,
    ExportForm,
    LegalHoldForm,
    LiftHoldForm,
    PersonNameForm,
    RetentionForm,
)
from meldpunt.downloads import download
from meldpunt.pdf import pdf_response, render_pdf
from privacy import selectors
from privacy.models import (
    AccessReview,
    DestructionRecord,
    FindingKind,
    LegalHold,
    PrivacyRun,
    ReviewFinding,
    Scope,
)
from privacy.services import retention as retention_services
from privacy.services import review as review_services
from privacy.services import runs, subjects
from workflow.models import InvolvedPerson, Report
from workflow.selectors import audit_persons_shown, find_case

DESTRUCTIONS_PAGE_SIZE = 50


def second_factor_is_recent(request: HttpRequest) -> bool:
    user = request.user
    if settings.DEBUG and settings.DEMO_MODE and user.is_demo:
        return True  # fictitious demo accounts have no authenticator (see the README)
    newest = max(
        (
            entry["at"]
            for entry in get_authentication_records(request, user)
            if entry["method"] == "mfa"
        ),
        default=0,
    )
    return time.time() - newest < settings.PRIVACY_SECOND_FACTOR_MAX_AGE


def allowed(action: Action, *, recent_second_factor: bool = False) -> Callable:
    """Signed in, allowed to do `action`, and (for reads of the log) a fresh second factor:
    otherwise allauth asks for the authenticator code and then brings the user back."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if recent_second_factor and not second_factor_is_recent(request):
                return suspend_request(request, reverse("mfa_reauthenticate"))
            return view(request, *args, **kwargs)

        return decorators.allowed(action)(wrapped)

    return decorator


SCREENS = (
    (
        Action.READ_AUDIT_LOG,
        "privacy:audit_log",
        _("Auditlog"),
        _("wie wat deed, met filters en export"),
    ),
    (
        Action.READ_AUDIT_LOG,
        "privacy:audit_chain",
        _("Auditketen controleren"),
        _("of regels van het auditlog achteraf zijn gewijzigd, verwijderd of toegevoegd"),
    ),
    (
        Action.REVIEW_ACCESS,
        "privacy:reviews",
        _("Logcontrole"),
        _("wekelijks overzicht van opvallende toegang"),
    ),
    (
        Action.GIVE_ACCESS_OVERVIEW,
        "privacy:overview_choose",
        _("Inzage voor een betrokkene"),
        _("wie de gegevens van een persoon zag of wijzigde (AVG artikel 15)"),
    ),
    (
        Action.CONFIGURE_RETENTION,
        "privacy:retention",
        _("Bewaartermijnen"),
        _("hoe lang casussen en contactgegevens bewaard blijven"),
    ),
    (
        Action.MANAGE_LEGAL_HOLD,
        "privacy:legal_holds",
        _("Bewaarplicht"),
        _("een casus uitzonderen van vernietiging"),
    ),
    (
        Action.ERASE_ON_REQUEST,
        "privacy:erasure",
        _("Verzoek tot verwijdering"),
        _("gegevens nu wissen op verzoek (AVG artikel 17)"),
    ),
    (
        Action.VIEW_DESTRUCTIONS,
        "privacy:destructions",
        _("Vernietigingen"),
        _("wat er is vernietigd, wanneer en waarom"),
    ),
)


def privacy_screens(user) -> list[dict]:
    return [
        {"url": reverse(name), "title": title, "intro": intro}
        for action, name, title, intro in SCREENS
        if may(user, action)
    ]


@allowed(Action.USE_PRIVACY_SCREENS)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/index.html", {"screens": privacy_screens(request.user)})


@allowed(Action.READ_AUDIT_LOG, recent_second_factor=True)
def audit_log(request: HttpRequest) -> HttpResponse:
    params = request.GET.dict()
    listing = selectors.read_audit_log(request.user, params, params.get("pagina", 1))
    context = {
        "filters": listing.filters,
        "page": listing.page,
        "lines": [
            (
                line,
                listing.changes.get(line.pk, []),
                role_label(line.role, listing.role_names),
                listing.object_names.get(line.pk, ""),
                listing.person_names.get(line.person_id, line.person_id),
            )
            for line in listing.page.object_list
        ],
        "page_query": without_page(request),
        "export_form": ExportForm(),
    }
    return render(request, "privacy/audit_log.html", context)


def without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("pagina", None)
    return query.urlencode()


def role_label(codes: str, names: dict[str, str]) -> str:
    return ", ".join(
        names.get(code.strip(), code.strip()) for code in codes.split(",") if code.strip()
    )


@allowed(Action.READ_AUDIT_LOG, recent_second_factor=True)
def audit_chain(request: HttpRequest) -> HttpResponse:
    report = selectors.check_audit_chain(request.user)
    return render(
        request, "privacy/audit_chain.html", {"report": report, "checked_at": timezone.now()}
    )


@allowed(Action.EXPORT_AUDIT_LOG, recent_second_factor=True)
def audit_export(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET or None)
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        text, _count = selectors.export_audit_log(request.user, start, end)
        filename = f"auditlog-{request.tenant.slug}-{start:%Y%m%d}-{end:%Y%m%d}.csv"
        return download(text, filename, "text/csv; charset=utf-8")
    status = 400 if form.errors else 200
    return render(request, "privacy/audit_export.html", {"form": form}, status=status)


@allowed(Action.REVIEW_ACCESS, recent_second_factor=True)
def reviews(request: HttpRequest) -> HttpResponse:
    listed = AccessReview.objects.annotate(
        total=Count("findings"), open=Count("findings", filter=Q(findings__checked_at__isnull=True))
    )[:104]
    context = {
        "reviews": listed,
        "last_run": runs.latest(PrivacyRun.Kind.REVIEW),
        "last_finished": runs.last_finished(PrivacyRun.Kind.REVIEW),
    }
    return render(request, "privacy/reviews.html", context)


@decorators.allowed(Action.REVIEW_ACCESS)
@require_POST
def start_review(request: HttpRequest) -> HttpResponse:
    """The weekly review of last week, started now rather than waiting for Monday."""
    try:
        runs.request_run(PrivacyRun.Kind.REVIEW, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De logcontrole is gestart. Ververs de pagina straks."))
    return redirect("privacy:reviews")


@decorators.allowed(*runs.ACTIONS.values())
@require_POST
def retry_run(request: HttpRequest, pk: int) -> HttpResponse:
    """A failed retention or review run started again; back to the screen it belongs to.
    The service asks for the action of the run's own kind."""
    run = get_object_or_404(PrivacyRun, pk=pk)
    screen = "privacy:retention" if run.kind == PrivacyRun.Kind.RETENTION else "privacy:reviews"
    try:
        runs.retry_run(run, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De taak wordt opnieuw uitgevoerd."))
    return redirect(screen)


def render_review(
    request: HttpRequest, review: AccessReview, bound=None, status=200
) -> HttpResponse:
    findings = list(review.findings.all())
    forms = {finding.pk: CheckFindingForm(prefix=f"bevinding-{finding.pk}") for finding in findings}
    if bound:
        forms.update(bound)
    groups = [
        (kind.label, [(finding, forms[finding.pk]) for finding in findings if finding.kind == kind])
        for kind in FindingKind
    ]
    return render(
        request, "privacy/review.html", {"review": review, "groups": groups}, status=status
    )


@allowed(Action.REVIEW_ACCESS, recent_second_factor=True)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    return render_review(request, get_object_or_404(AccessReview, pk=pk))


@allowed(Action.REVIEW_ACCESS, recent_second_factor=True)
@require_POST
def check_finding(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_object_or_404(ReviewFinding.objects.select_related("review"), pk=pk)
    form = CheckFindingForm(request.POST, prefix=f"bevinding-{finding.pk}")
    if form.is_valid():
        review_services.check_finding(finding, actor=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("De bevinding is als gecontroleerd gemarkeerd."))
        return redirect("privacy:review", pk=finding.review_id)
    return render_review(request, finding.review, {finding.pk: form}, status=400)


@allowed(Action.GIVE_ACCESS_OVERVIEW, recent_second_factor=True)
@require_http_methods(["GET", "POST"])
def overview_choose(request: HttpRequest) -> HttpResponse:
    """The person to give an overview to: by name (a search, by POST) or by case code."""
    by_case = CaseReferenceForm(request.GET or None)
    by_name = PersonNameForm(request.POST or None)
    context = {"form": by_case, "name_form": by_name, "persons": None, "found": None}
    if by_case.is_valid():
        context["persons"] = selectors.persons_of_case(by_case.cleaned_data["casus"])
        if not context["persons"]:
            by_case.add_error(
                "casus", _("Er is geen casus met deze code, of er staan geen betrokkenen in.")
            )
    if by_name.is_valid():
        context["found"], context["more"] = selectors.persons_named(
            request.user, by_name.cleaned_data["naam"], by_name.cleaned_data["geboortejaar"]
        )
    status = 400 if by_case.errors or by_name.errors else 200
    return render(request, "privacy/overview_choose.html", context, status=status)


def overview_context(request: HttpRequest, pk: int, form: str) -> dict:
    person = get_object_or_404(InvolvedPerson.objects.select_related("casus"), pk=pk)
    return {
        "person": person,
        "rows": selectors.access_overview(request.user, person, form=form),
        "made_at": timezone.now(),
    }


@allowed(Action.GIVE_ACCESS_OVERVIEW, recent_second_factor=True)
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "privacy/overview.html", overview_context(request, pk, "scherm"))


@allowed(Action.GIVE_ACCESS_OVERVIEW, recent_second_factor=True)
def overview_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    context = overview_context(request, pk, "pdf")
    pdf = render_pdf("privacy/pdf/overview.html", context, request=request)
    return pdf_response(pdf, f"inzage-betrokkene-{pk}-{timezone.localdate():%Y%m%d}.pdf")


@allowed(Action.CONFIGURE_RETENTION)
@require_http_methods(["GET", "POST"])
def retention(request: HttpRequest) -> HttpResponse:
    reasons = RetentionForm.closing_reasons()
    periods = retention_services.retention_periods()
    initial = {
        "default_months": periods.default_months,
        "reporter_contact_months": periods.reporter_contact_months,
    } | {f"reden_{code}": months for code, months in periods.by_reason.items()}
    form = RetentionForm(request.POST or None, initial=initial, reasons=reasons)
    if request.method == "POST" and form.is_valid():
        try:
            retention_services.set_retention(
                actor=request.user,
                default_months=form.cleaned_data["default_months"],
                reporter_contact_months=form.cleaned_data["reporter_contact_months"],
                by_reason=form.by_reason(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De bewaartermijnen zijn opgeslagen."))
            return redirect("privacy:retention")
    status = 400 if form.errors else 200
    context = {"form": form, "last_run": runs.latest(PrivacyRun.Kind.RETENTION)}
    return render(request, "privacy/retention.html", context, status=status)


@allowed(Action.MANAGE_LEGAL_HOLD)
@require_http_methods(["GET", "POST"])
def legal_holds(request: HttpRequest) -> HttpResponse:
    form = LegalHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            casus = retention_services.find_case_by_reference(form.cleaned_data["casus"])
            retention_services.set_legal_hold(
                casus, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("casus", error)
        else:
            messages.success(
                request,
                _("Op casus %(reference)s rust nu een bewaarplicht.")
                % {"reference": casus.reference},
            )
            return redirect("privacy:legal_holds")
    holds = LegalHold.objects.select_related("casus", "set_by", "lifted_by")[:200]
    status = 400 if form.errors else 200
    return render(
        request, "privacy/legal_holds.html", {"form": form, "holds": holds}, status=status
    )


@allowed(Action.MANAGE_LEGAL_HOLD)
@require_http_methods(["GET", "POST"])
def lift_hold(request: HttpRequest, pk: int) -> HttpResponse:
    hold = get_object_or_404(
        LegalHold.objects.select_related("casus"), pk=pk, lifted_at__isnull=True
    )
    form = LiftHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        retention_services.lift_legal_hold(
            hold, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _("De bewaarplicht op casus %(reference)s is opgeheven.")
            % {"reference": hold.casus.reference},
        )
        return redirect("privacy:legal_holds")
    status = 400 if form.errors else 200
    return render(request, "privacy/lift_hold.html", {"form": form, "hold": hold}, status=status)


@allowed(Action.VIEW_DESTRUCTIONS)
def destructions(request: HttpRequest) -> HttpResponse:
    page = Paginator(
        DestructionRecord.objects.select_related("performed_by"), DESTRUCTIONS_PAGE_SIZE
    ).get_page(request.GET.get("pagina", 1))
    return render(request, "privacy/destructions.html", {"page": page})


@allowed(Action.ERASE_ON_REQUEST)
@require_http_methods(["GET", "POST"])
def erasure(request: HttpRequest) -> HttpResponse:
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            casus = retention_services.find_case_by_reference(data["casus"])
            person = (
                InvolvedPerson.objects.filter(pk=data["person"], casus=casus).first()
                if data["person"]
                else None
            )
            report = (
                Report.objects.filter(
                    follow_code=data["report"].strip().upper(), casus=casus
                ).first()
                if data["report"]
                else None
            )
            made = subjects.erase_on_request(
                casus,
                actor=request.user,
                scope=data["scope"],
                note=data["note"],
                person=person,
                report=report,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Gewist: %(scope)s van casus %(reference)s.")
                % {"scope": Scope(made.scope).label, "reference": casus.reference},
            )
            return redirect("privacy:destructions")
    status = 400 if form.errors else 200
    return render(request, "privacy/erasure.html", {"form": form}, status=status)


@decorators.allowed(Action.VIEW_CASE, unseen=True)
@require_http_methods(["GET", "POST"])
def correct_person(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    casus = find_case(request.user, reference, Action.CORRECT_PERSON)
    person = get_object_or_404(InvolvedPerson, pk=pk, casus=casus)
    form = CorrectionForm(request.POST or None, instance=InvolvedPerson.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in CorrectionForm.Meta.fields}
        try:
            subjects.correct_person(
                person,
                actor=request.user,
                values=values,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De gegevens van de betrokkene zijn gecorrigeerd."))
            return redirect("cases:detail", reference=casus.reference)
    status = 400 if form.errors else 200
    audit_persons_shown(request.user, casus, persons=[person])  # the form shows their data
    context = {"form": form, "casus": casus, "person": person}
    return render(request, "privacy/correct_person.html", context, status=status)
