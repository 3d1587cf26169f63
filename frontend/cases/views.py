"""Staff screens of the case domain: the case list, a case's page with its timeline and
the screening work, and intake of reports that came in by phone, e-mail or a partner.

Reads go through `workflow.selectors` (which write the audit lines), changes through
the engine and the services (which ask the policy). Forms that fail keep what was
typed: the page is shown again with the errors, never a redirect that loses input.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.policy import Action, may, require
from configuratie.models import CatalogueEntry, CatalogueKind
from frontend.cases.forms import (
    CaseDetailsForm,
    FeedbackForm,
    IntakeForm,
    MoveForm,
    QuestionForm,
    ScreeningNoteForm,
    ScreeningOutcomeForm,
)
from frontend.persons import PersonFormSet
from workflow import engine
from workflow.guards import condition_states
from workflow.models import Casus
from workflow.selectors import (
    case_timeline,
    find_case,
    likely_matches,
    list_cases,
    read_case_file,
)
from workflow.services import records, reports

INTAKE_CONFIRMATION_KEY = "intake_bevestiging"
SORTABLE = (
    ("casus", _("Casus")),
    ("termijn", _("Termijn")),
    ("geopend", _("Geopend")),
    ("in_stap", _("In de stap sinds")),
)


def sort_headers(params) -> dict[str, dict[str, str]]:
    """Per sortable column: the link that sorts on it (again: the other way round), and
    its aria-sort state."""
    current = params.get("order", "termijn")
    headers = {}
    for key, _label in SORTABLE:
        ascending = current == key
        descending = current == f"-{key}"
        query = {k: v for k, v in params.items() if k not in {"order", "pagina"}}
        query["order"] = f"-{key}" if ascending else key
        headers[key] = {
            "url": "?" + urlencode(query),
            "sort": "ascending" if ascending else "descending" if descending else "none",
        }
    return headers


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_CASES)
    params = request.GET.dict()
    listing = list_cases(request.user, params, params.get("pagina", 1))
    page_query = urlencode({k: v for k, v in params.items() if k != "pagina"})
    context = {
        "filters": listing.filters,
        "page": listing.page,
        "cases": [
            (casus, listing.report_counts.get(casus.pk, 0)) for casus in listing.page.object_list
        ],
        "sort": sort_headers(params),
        "page_query": page_query,
        "may_open": may(request.user, Action.OPEN_CASE),
    }
    return render(request, "cases/list.html", context)


def render_case(
    request: HttpRequest, casus: Casus, bound: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    case_file = read_case_file(request.user, casus)
    templates = list(
        CatalogueEntry.objects.filter(catalogue=CatalogueKind.FEEDBACK_TEMPLATE, is_active=True)
    )
    chosen = request.GET.get("sjabloon")
    feedback_text = next((template.text for template in templates if template.code == chosen), "")
    forms = {
        "outcome_form": ScreeningOutcomeForm(),
        "note_form": ScreeningNoteForm(),
        "question_form": QuestionForm(**form_kwargs(QuestionForm, casus)),
        "feedback_form": FeedbackForm(
            initial={"text": feedback_text}, **form_kwargs(FeedbackForm, casus)
        ),
        "details_form": CaseDetailsForm(
            initial={"case_type": casus.case_type, "priority": casus.priority}
        ),
        "move_form": MoveForm(),
    } | (bound or {})
    conditions = condition_states(casus)
    context = forms | {
        "casus": casus,
        "reports": case_file.reports,
        "timeline": case_timeline(casus),
        "next_steps": casus.current_step.next_steps.all(),
        "conditions": conditions,
        "missing": [state.missing for state in conditions if not state.holds],
        "who_moves": engine.who_moves(casus),
        "may_move": may(request.user, Action.MOVE_CASE, casus),
        "may_correct": may(request.user, Action.CORRECT_PERSON, casus),
        "feedback_templates": templates,
        "intake_codes": request.session.pop(INTAKE_CONFIRMATION_KEY, None),
    }
    return render(request, "cases/detail.html", context, status=status)


@login_required
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return render_case(request, find_case(request.user, reference))


def case_action(
    form_class: type[Form], name: str, perform: Callable, done: str, action: Action
) -> Callable:
    """A POST on a case page: validate, perform through a service, or show the page again."""

    @login_required
    @require_POST
    def view(request: HttpRequest, reference: str) -> HttpResponse:
        casus = find_case(request.user, reference, action)
        form = form_class(request.POST, **form_kwargs(form_class, casus))
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


def form_kwargs(form_class: type[Form], casus: Casus) -> dict:
    """Forms addressed to reporters choose among the case's own reports."""
    if form_class in (QuestionForm, FeedbackForm):
        return {"reports": casus.reports.order_by("submitted_at")}
    return {}


record_outcome = case_action(
    ScreeningOutcomeForm,
    "outcome_form",
    lambda casus, user, data: records.record_screening_outcome(casus, actor=user, **data),
    _("De screeningsuitkomst is vastgelegd."),
    Action.RECORD_SCREENING,
)
record_note = case_action(
    ScreeningNoteForm,
    "note_form",
    lambda casus, user, data: records.record_screening_note(casus, actor=user, **data),
    _("De notitie is vastgelegd."),
    Action.RECORD_SCREENING,
)
ask_reporter = case_action(
    QuestionForm,
    "question_form",
    lambda casus, user, data: records.ask_reporter(casus, actor=user, **data),
    _("De vraag staat klaar op de volgpagina van de melder."),
    Action.CONTACT_REPORTER,
)
record_feedback = case_action(
    FeedbackForm,
    "feedback_form",
    lambda casus, user, data: records.record_feedback(casus, actor=user, **data),
    _("De terugkoppeling is vastgelegd en staat op de volgpagina van de melder."),
    Action.CONTACT_REPORTER,
)
set_details = case_action(
    CaseDetailsForm,
    "details_form",
    lambda casus, user, data: engine.set_case_details(casus, actor=user, **data),
    _("De gegevens van de casus zijn opgeslagen."),
    Action.CHANGE_CASE_DETAILS,
)


@login_required
@require_POST
def move_case(request: HttpRequest, reference: str) -> HttpResponse:
    casus = find_case(request.user, reference)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return render_case(request, casus, {"move_form": form}, status=400)
    try:
        transition = engine.move(
            casus, form.cleaned_data["to"], actor=request.user, reason=form.cleaned_data["reason"]
        )
    except engine.TransitionRefused as refused:
        form.add_error(None, refused.reasons)
        return render_case(request, casus, {"move_form": form}, status=400)
    moved = _("Casus %(reference)s staat nu in stap '%(step)s'.") % {
        "reference": reference,
        "step": transition.to_step.name,
    }
    casus.refresh_from_db()
    if not may(request.user, Action.VIEW_CASE, casus):
        # Out of the user's need to know now (a screening team member after screening).
        messages.success(request, moved + " " + _("U ziet deze casus niet meer."))
        return redirect("cases:list")
    messages.success(request, moved)
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
        context["matches"] = likely_matches(request.user, [vars(person) for person in people])
        context["checked"] = True
        return render(request, "cases/intake.html", context)
    link_to = (
        find_case(request.user, form.cleaned_data["link_to"], Action.ADD_REPORT_TO_CASE)
        if form.cleaned_data["link_to"]
        else None
    )
    data = reports.ReportData(
        form_code="",
        persons=people,
        feedback_preference="telefoon" if form.cleaned_data["reporter_phone"] else "volgpagina",
        **{key: value for key, value in form.cleaned_data.items() if key != "link_to"},
    )
    try:
        submitted = reports.record_intake(data, actor=request.user, link_to=link_to)
    except PermissionDenied:
        form.add_error(None, _("U mag deze casus niet aanvullen."))
        return render(request, "cases/intake.html", context, status=403)
    request.session[INTAKE_CONFIRMATION_KEY] = {"code": submitted.code, "secret": submitted.secret}
    return redirect("cases:detail", reference=submitted.report.casus.reference)
