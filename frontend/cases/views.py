"""Staff screens of the case domain: the case list, a case's page with its timeline and
the screening work, and intake of reports that came in by phone, e-mail or a partner.

Reads go through `workflow.selectors` (which write the audit lines), changes through
the engine and the services (which ask the policy). Forms that fail keep what was
typed: the page is shown again with the errors, never a redirect that loses input.
"""

import functools
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import allowed
from accounts.policy import (
    Action,
    may,
    require,
    screening_team_access,
    screening_team_reach,
    waits_for_screening_team,
)
from configuratie.conditions import CONDITIONS
from configuratie.models import WorkflowStep
from configuratie.version import configuration_version
from frontend.addresses import case_address
from frontend.cases.casework import (
    TaskLink,
    current_tasks,
    task_action,
    task_title,
    task_url,
)
from frontend.cases.dates import long_date_time
from frontend.cases.forms import IntakeForm, MoveForm
from frontend.cases.rows import filter_fields, found, header_row, pagination, rows_html
from frontend.cases.shown_reports import report_articles
from frontend.cases.task_lists import OTHER_TASK, STEP_TASK, condition_items, task_items
from frontend.cases.timeline import timeline
from frontend.persons import PersonFormSet
from meldpunt.compiled import CompiledRead
from meldpunt.downloads import download
from workflow import engine
from workflow.guards import condition_states
from workflow.intake import IntakeRefused, offered_forms
from workflow.labels import region_labels
from workflow.models import CaseDocument, Casus, PersonRole
from workflow.selectors import (
    CaseFile,
    coordinated_cases,
    find_case,
    likely_matches,
    list_cases,
    read_case_file,
    read_plan,
)
from workflow.services import reports
from workflow.services.documents import read_document

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


def filters_key(params: dict[str, str]) -> str:
    """What the filter form's HTML depends on: the region, its configuration version,
    the language and the chosen filters. In a search the search field is written apart
    (typed text is not a key), so a search reuses the rest of the form too."""
    chosen = urlencode(
        sorted((k, v) for k, v in params.items() if k not in {"order", "pagina", "q"})
    )
    return f"{connection.schema_name}:{configuration_version()}:{get_language()}:{chosen}"


@allowed(Action.VIEW_CASES)
def cases(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_CASES)
    params = request.GET.dict()
    listing = list_cases(request.user, params, params.get("pagina", 1))
    searching = bool(params.get("q"))
    page_query = urlencode({k: v for k, v in params.items() if k != "pagina"})
    context = {
        "filters": listing.filters,
        "page": listing.page,
        "rows": rows_html(listing, region_labels()),
        "filter_fields": filter_fields(listing.filters, filters_key(params), searching),
        "searching": searching,
        # The status line, the sortable header and the page links written in Python
        # (rows.py): as template tags they were a sixth of the list's CPU.
        "found": found(listing.page),
        "header_row": header_row(sort_headers(params)),
        "pagination": pagination(listing.page, page_query),
        "may_open": may(request.user, Action.OPEN_CASE),
        "screening_team_reach": screening_team_reach(request.user),
    }
    # A filter value that is not one of the choices (a hand-made address): a 400 with
    # the form's Dutch message beside the field, and no cases.
    status = 200 if listing.valid else 400
    return render(request, "cases/list.html", context, status=status)


# The steps a case may go to from its step (as step.next_steps.all() reads them).
NEXT_STEPS = CompiledRead(lambda step: WorkflowStep.objects.filter(previous_steps=step))


def render_case(
    request: HttpRequest,
    casus: Casus,
    move_form: MoveForm | None = None,
    refusal: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case page; after a refused move or completion, with its reasons and the
    explanation the person typed."""
    user = request.user
    case_file = read_case_file(user, casus)
    conditions = condition_states(casus, case_file.present, case_file.transitions)
    labels = region_labels()
    waits = waits_for_screening_team(casus)
    may_correct = may(user, Action.CORRECT_PERSON, casus)
    context = {
        "casus": casus,
        "file": case_file,
        "labels": labels,
        "timeline": timeline(case_file, labels),
        "reports": report_articles(case_file, labels, may_correct),
        "conversations": [(report, case_file.conversation(report)) for report in case_file.reports],
        # Read when the page offers to move the case (the template calls it).
        "next_steps": functools.partial(NEXT_STEPS, casus.current_step_id),
        # The lists of links written in Python (task_lists.py); empty when there are none.
        "conditions": condition_items(
            (state, task_url(casus, CONDITIONS[state.code].task)) for state in conditions
        ),
        "who_moves": engine.who_moves(casus),
        "may_move": may(user, Action.MOVE_CASE, casus),
        "waits_for_screening_team": waits,
        # The region's setting is read only for the notice that needs it.
        "screening_team_access": screening_team_access(user) if waits else None,
        "may_schedule": may(user, Action.SCHEDULE_MEETING, casus),
        "may_complete": may(user, Action.COMPLETE_CASE, casus),
        "may_update_actions": may(user, Action.UPDATE_PLAN_ACTION, casus),
        "may_correct": may_correct,
        "may_record_consent": may(user, Action.RECORD_CONSENT, casus),
        "may_decide_referral": may(user, Action.DECIDE_REFERRAL, casus),
        "may_propose_transfer": may(user, Action.PROPOSE_TRANSFER, casus),
        "tasks": task_items(
            current_tasks(user, casus, [state.code for state in conditions]), STEP_TASK
        ),
        "other_tasks": task_items(
            [
                TaskLink(slug, task_title(slug), task_url(casus, slug))
                for slug in (
                    "journaal",
                    "vraag",
                    "toestemming",
                    "documenten",
                    "koppelen",
                    "gegevens",
                    "agenderen",
                )
                if may(user, task_action(slug), casus)
            ]
            + comensha_link(user, case_file),
            OTHER_TASK,
        ),
        "deadline": long_date_time(casus.deadline_at) if casus.deadline_at else "—",
        "move_form": move_form or MoveForm(),
        # The case's own addresses the page may link, from addresses reversed once.
        "addresses": {
            "move": case_address("cases:move", casus.reference),
            "complete": case_address("cases:complete", casus.reference),
            "transfer": case_address("cases:transfer_propose", casus.reference),
            "reopen": task_url(casus, "heropenen"),
            "schedule": task_url(casus, "agenderen"),
            "consent": task_url(casus, "toestemming"),
        },
        "refusal": refusal or [],
        "intake_codes": request.session.pop(INTAKE_CONFIRMATION_KEY, None),
    }
    return render(request, "cases/detail.html", context, status=status)


def comensha_link(user, case_file: CaseFile) -> list[TaskLink]:
    """Registration with CoMensha, offered on a case with a (possible) victim."""
    casus = case_file.casus
    if not may(user, Action.REGISTER_WITH_COMENSHA, casus) or not any(
        person.role == PersonRole.VICTIM for person in case_file.persons
    ):
        return []
    url = case_address("cases:comensha", casus.reference)
    return [TaskLink("comensha", _("Registratie bij CoMensha"), url)]


@allowed(Action.VIEW_CASE, unseen=True)
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return render_case(request, find_case(request.user, reference))


@allowed(Action.VIEW_CASE, unseen=True)
@require_POST
def move_case(request: HttpRequest, reference: str) -> HttpResponse:
    casus = find_case(request.user, reference)
    form = MoveForm(request.POST)
    if not form.is_valid():
        problems = [message for errors in form.errors.values() for message in errors]
        return render_case(request, casus, form, problems, status=400)
    try:
        transition = engine.move(
            casus, form.cleaned_data["to"], actor=request.user, reason=form.cleaned_data["reason"]
        )
    except engine.TransitionRefused as refused:
        return render_case(request, casus, form, refused.reasons, status=400)
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


@allowed(Action.OPEN_CASE)
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.OPEN_CASE)
    forms = list(offered_forms())
    offered = next((f for f in forms if f.code == request.GET.get("formulier")), None)
    if offered is None and len(forms) == 1:
        offered = forms[0]
    if offered is None:
        # Which of the region's forms the reporter's answers are taken on decides which
        # signals and questions are asked, as on the public form.
        return render(request, "cases/intake_choose.html", {"forms": forms})
    data = request.POST if request.method == "POST" else None
    form = IntakeForm(data, offered=offered)
    persons = PersonFormSet(data, prefix="persoon")
    context = {"form": form, "persons": persons, "matches": [], "offered": offered}
    context["other_forms"] = len(forms) > 1
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
        persons=people,
        feedback_preference="telefoon" if form.cleaned_data["reporter_phone"] else "volgpagina",
        **form.report_fields(),
    )
    try:
        submitted = reports.record_intake(data, actor=request.user, link_to=link_to)
    except PermissionDenied:
        form.add_error(None, _("U mag deze casus niet aanvullen."))
        return render(request, "cases/intake.html", context, status=403)
    except IntakeRefused as refused:
        form.show_refusal(refused)
        return render(request, "cases/intake.html", context, status=400)
    request.session[INTAKE_CONFIRMATION_KEY] = {"code": submitted.code, "secret": submitted.secret}
    return redirect("cases:detail", reference=submitted.report.casus.reference)


@allowed(Action.VIEW_CASE, unseen=True)
@require_POST
def complete_case(request: HttpRequest, reference: str) -> HttpResponse:
    casus = find_case(request.user, reference, Action.COMPLETE_CASE)
    try:
        engine.complete(casus, actor=request.user)
    except engine.TransitionRefused as refused:
        return render_case(request, casus, refusal=refused.reasons, status=400)
    messages.success(request, _("Casus %(reference)s is afgerond.") % {"reference": reference})
    return redirect("cases:detail", reference=reference)


@allowed(Action.VIEW_CASE, unseen=True)
def download_document(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    casus = find_case(request.user, reference)
    try:
        document = read_document(request.user, casus, pk)
    except CaseDocument.DoesNotExist as missing:
        raise Http404 from missing
    return download(document.content, document.filename, document.content_type)


@allowed(Action.VIEW_CASE, unseen=True)
def plan_version(request: HttpRequest, reference: str, version: int) -> HttpResponse:
    """A version of the plan, as it was."""
    casus = find_case(request.user, reference)
    plan = read_plan(request.user, casus, version)
    return render(request, "cases/plan_version.html", {"casus": casus, "plan": plan})


@allowed(Action.VIEW_OWN_CASES)
def my_cases(request: HttpRequest) -> HttpResponse:
    """A casuscoördinator's own cases, with the plan actions that are due."""
    require(request.user, Action.VIEW_OWN_CASES)
    return render(request, "cases/mine.html", {"cases": coordinated_cases(request.user)})
