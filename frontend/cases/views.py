"""Staff screens of the case domain: the case list, a case's page with its timeline and
the screening work, and intake of reports that came in by phone, e-mail or a partner.

Every view of a case page writes an audit line. Forms that fail keep what was typed:
the page is shown again with the errors, never a redirect that loses input.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.policy import Action, may, require, visible_cases
from audit.models import AuditAction
from audit.services import record
from configuratie.models import CatalogueEntry, CatalogueKind
from frontend.cases.forms import (
    CaseDetailsForm,
    CaseFilterForm,
    FeedbackForm,
    IntakeForm,
    MoveForm,
    QuestionForm,
    ScreeningNoteForm,
    ScreeningOutcomeForm,
)
from frontend.persons import PersonFormSet
from workflow import engine
from workflow.guards import missing_guards
from workflow.models import Casus, Report
from workflow.selectors import CaseFilters, case_list, case_timeline, likely_matches
from workflow.services import records, reports

CASE_PAGE_SIZE = 50
INTAKE_CONFIRMATION_KEY = "intake_bevestiging"


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_CASES)
    form = CaseFilterForm(request.GET or None)
    filters = CaseFilters(**form.cleaned_data) if form.is_valid() else CaseFilters()
    listing = case_list(request.user, filters)[:CASE_PAGE_SIZE]
    context = {
        "form": form,
        "cases": listing,
        "page_size": CASE_PAGE_SIZE,
        "may_open": may(request.user, Action.OPEN_CASE),
    }
    return render(request, "cases/list.html", context)


def case_for(request: HttpRequest, reference: str, action: Action = Action.VIEW_CASE) -> Casus:
    casus = get_object_or_404(
        visible_cases(
            request.user,
            Casus.objects.select_related("current_step", "definition", "priority", "coordinator"),
        ),
        reference=reference,
    )
    require(request.user, action, casus)
    return casus


def render_case(
    request: HttpRequest, casus: Casus, bound: dict[str, Form] | None = None, status: int = 200
):
    templates = list(
        CatalogueEntry.objects.filter(catalogue=CatalogueKind.FEEDBACK_TEMPLATE, is_active=True)
    )
    chosen = request.GET.get("sjabloon")
    feedback_text = next((template.text for template in templates if template.code == chosen), "")
    forms = {
        "outcome_form": ScreeningOutcomeForm(),
        "note_form": ScreeningNoteForm(),
        "question_form": QuestionForm(),
        "feedback_form": FeedbackForm(initial={"text": feedback_text}),
        "details_form": CaseDetailsForm(
            initial={"case_type": casus.case_type, "priority": casus.priority}
        ),
        "move_form": MoveForm(),
    } | (bound or {})
    case_reports = Report.objects.filter(casus=casus).prefetch_related("persons")
    context = forms | {
        "casus": casus,
        "reports": case_reports,
        "timeline": case_timeline(casus),
        "next_steps": casus.current_step.next_steps.all(),
        "missing": missing_guards(casus),
        "may_move": may(request.user, Action.MOVE_CASE, casus),
        "feedback_templates": templates,
        "intake_codes": request.session.pop(INTAKE_CONFIRMATION_KEY, None),
    }
    return render(request, "cases/detail.html", context, status=status)


@login_required
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    casus = case_for(request, reference)
    record(
        AuditAction.VIEW,
        request=request,
        target=casus,
        case_id=casus.reference,
        grounds="casusbehandeling",
    )
    return render_case(request, casus)


def case_action(form_class: type[Form], name: str, perform: Callable, done: str):
    """A POST on a case page: validate, perform through a service, or show the page again."""

    @login_required
    @require_POST
    def view(request: HttpRequest, reference: str) -> HttpResponse:
        casus = case_for(request, reference, Action.RECORD_ON_CASE)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                perform(casus, request.user, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, done)
                return redirect("cases:detail", reference=reference)
        return render_case(request, casus, {name: form}, status=400)

    return view


record_outcome = case_action(
    ScreeningOutcomeForm,
    "outcome_form",
    lambda casus, user, data: records.record_screening_outcome(casus, actor=user, **data),
    _("De screeningsuitkomst is vastgelegd."),
)
record_note = case_action(
    ScreeningNoteForm,
    "note_form",
    lambda casus, user, data: records.record_screening_note(casus, actor=user, **data),
    _("De notitie is vastgelegd."),
)
ask_reporter = case_action(
    QuestionForm,
    "question_form",
    lambda casus, user, data: records.ask_reporter(casus, actor=user, question=data["question"]),
    _("De vraag staat klaar op de volgpagina van de melder."),
)
record_feedback = case_action(
    FeedbackForm,
    "feedback_form",
    lambda casus, user, data: records.record_feedback(casus, actor=user, text=data["text"]),
    _("De terugkoppeling is vastgelegd en staat op de volgpagina van de melder."),
)
set_details = case_action(
    CaseDetailsForm,
    "details_form",
    lambda casus, user, data: records.set_case_details(casus, actor=user, **data),
    _("De gegevens van de casus zijn opgeslagen."),
)


@login_required
@require_POST
def move_case(request: HttpRequest, reference: str) -> HttpResponse:
    casus = case_for(request, reference)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return render_case(request, casus, {"move_form": form}, status=400)
    try:
        transition = engine.move(
            casus,
            form.cleaned_data["to"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except engine.TransitionRefused as refused:
        form.add_error(None, refused.reasons)
        return render_case(request, casus, {"move_form": form}, status=400)
    messages.success(
        request, _("De casus staat nu in stap '%(step)s'.") % {"step": transition.to_step.name}
    )
    return redirect("cases:detail", reference=reference)


@login_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.OPEN_CASE)
    data = request.POST if request.method == "POST" else None
    form = IntakeForm(data)
    persons = PersonFormSet(data, prefix="persoon")
    context = {"form": form, "persons": persons, "matches": []}
    if request.method == "GET":
        return render(request, "cases/intake.html", context)
    if not (form.is_valid() and persons.is_valid()):
        return render(request, "cases/intake.html", context, status=400)
    people = [person.person_data() for person in persons if person.has_changed()]
    if "check" in request.POST:
        context["matches"] = likely_matches([vars(person) for person in people])
        context["checked"] = True
        return render(request, "cases/intake.html", context)
    link_to = None
    if form.cleaned_data["link_to"]:
        link_to = get_object_or_404(
            visible_cases(request.user, Casus.objects.all()), reference=form.cleaned_data["link_to"]
        )
    data = reports.ReportData(
        form_code="",
        persons=people,
        feedback_preference="telefoon" if form.cleaned_data["reporter_phone"] else "volgpagina",
        **{key: value for key, value in form.cleaned_data.items() if key != "link_to"},
    )
    try:
        submitted = reports.record_intake(
            data, actor=request.user, link_to=link_to, request=request
        )
    except PermissionDenied:
        form.add_error(None, _("U mag deze casus niet aanvullen."))
        return render(request, "cases/intake.html", context, status=403)
    request.session[INTAKE_CONFIRMATION_KEY] = {"code": submitted.code, "secret": submitted.secret}
    return redirect("cases:detail", reference=submitted.report.casus.reference)
