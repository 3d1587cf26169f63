"""The task pages of a case: one form per page, so submitting one never throws away what
was typed in another. Each task names the policy action it needs, the form, and the
service that performs it; the case page links to the tasks of the current step and to
the task that makes each of its conditions hold."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import allowed
from accounts.models import User
from accounts.policy import Action, may
from configuratie.conditions import CONDITIONS
from configuratie.models import CatalogueEntry, CatalogueKind, RegionSettings, StepKind
from frontend.addresses import case_address
from frontend.cases import casework_forms as cf
from frontend.cases.forms import CaseDetailsForm, FeedbackForm, QuestionForm, ScreeningOutcomeForm
from workflow import engine
from workflow.models import Casus, Consent, InformationRequest, PlanAction, Referral
from workflow.selectors import audit_persons_shown, find_case, read_plan
from workflow.services import (
    consent,
    documents,
    information,
    links,
    meetings,
    plans,
    records,
    referrals,
    reporters,
)
from workflow.services import risk as risk_service


@dataclass(frozen=True)
class Task:
    slug: str
    title: Promise
    action: Action
    form: Callable[..., Form]  # (request, casus, data, files) -> form
    perform: Callable[[Casus, User, Form], object]
    done: Promise
    section: str = ""  # where on the case page the result shows
    template: str = "cases/task.html"
    intro: Promise | str = ""
    shows_persons: bool = False
    context: Callable[[Casus], dict] = lambda casus: {}


def reports_kwargs(casus: Casus) -> dict:
    return {"reports": casus.reports.order_by("submitted_at")}


def feedback_form(request: HttpRequest, casus: Casus, data, files) -> FeedbackForm:
    template = CatalogueEntry.objects.filter(
        catalogue=CatalogueKind.FEEDBACK_TEMPLATE, is_active=True, code=request.GET.get("sjabloon")
    ).first()
    initial = {"text": template.text} if template else {}
    return FeedbackForm(data, initial=initial, **reports_kwargs(casus))


def coordinate(casus: Casus, user: User, form: cf.CoordinatorForm) -> object:
    data = form.cleaned_data
    if data["who"] == cf.CoordinatorForm.INTERNAL:
        return engine.appoint_coordinator(casus, actor=user, coordinator=data["coordinator"])
    return engine.appoint_external_coordinator(
        casus,
        actor=user,
        kind=data["who"],
        name=data["name"],
        organisation=data["organisation"],
        phone=data["phone"],
        email=data["email"],
    )


TASKS: dict[str, Task] = {
    task.slug: task
    for task in (
        Task(
            "screening",
            _("Uitkomst van de screening"),
            Action.RECORD_SCREENING,
            lambda request, casus, data, files: ScreeningOutcomeForm(data),
            lambda casus, user, form: records.record_screening_outcome(
                casus, actor=user, **form.cleaned_data
            ),
            _("De screeningsuitkomst is vastgelegd."),
            section="screening",
            intro=_("Analyseren, verifiëren en beoordelen: is er sprake van loverboyproblematiek?"),
        ),
        Task(
            "journaal",
            _("Journaal: notitie, bron of contact"),
            Action.WRITE_JOURNAL,
            lambda request, casus, data, files: cf.JournalForm(data),
            lambda casus, user, form: records.write_journal(casus, actor=user, **form.cleaned_data),
            _("De notitie is vastgelegd."),
            section="screening",
        ),
        Task(
            "vraag",
            _("Vraag aan de melder"),
            Action.CONTACT_REPORTER,
            lambda request, casus, data, files: QuestionForm(data, **reports_kwargs(casus)),
            lambda casus, user, form: reporters.ask_reporter(
                casus, actor=user, **form.cleaned_data
            ),
            _("De vraag staat klaar op de volgpagina van de melder."),
            section="melder",
        ),
        Task(
            "terugkoppeling",
            _("Terugkoppeling aan de melder"),
            Action.CONTACT_REPORTER,
            feedback_form,
            lambda casus, user, form: reporters.record_feedback(
                casus, actor=user, **form.cleaned_data
            ),
            _("De terugkoppeling is vastgelegd en staat op de volgpagina van de melder."),
            section="melder",
            template="cases/feedback.html",
            context=lambda casus: {
                "templates": CatalogueEntry.objects.filter(
                    catalogue=CatalogueKind.FEEDBACK_TEMPLATE, is_active=True
                )
            },
            intro=_("Bij elke melding krijgt de melder terugkoppeling, met advies."),
        ),
        Task(
            "gegevens",
            _("Spoor en prioriteit"),
            Action.CHANGE_CASE_DETAILS,
            lambda request, casus, data, files: CaseDetailsForm(
                data, initial={"case_type": casus.case_type, "priority": casus.priority}
            ),
            lambda casus, user, form: engine.set_case_details(
                casus, actor=user, **form.cleaned_data
            ),
            _("De gegevens van de casus zijn opgeslagen."),
        ),
        Task(
            "informatieverzoek",
            _("Informatieverzoek aan een convenantpartner"),
            Action.REQUEST_INFORMATION,
            lambda request, casus, data, files: cf.InformationRequestForm(data, casus=casus),
            lambda casus, user, form: information.request_information(
                casus, actor=user, **form.cleaned_data
            ),
            _("Het informatieverzoek is vastgelegd."),
            section="informatieronde",
            shows_persons=True,
        ),
        Task(
            "risicotaxatie",
            _("Risicotaxatie"),
            Action.RECORD_RISK_ASSESSMENT,
            lambda request, casus, data, files: cf.RiskAssessmentForm(
                data, prefill=risk_service.prefill(casus)
            ),
            lambda casus, user, form: risk_service.record_risk_assessment(
                casus,
                actor=user,
                answers=form.answers(),
                level=form.cleaned_data["level"],
                deviation_reason=form.cleaned_data["deviation_reason"],
            ),
            _("De risicotaxatie is vastgelegd."),
            section="risicotaxatie",
            template="cases/risk.html",
        ),
        Task(
            "casuscoordinator",
            _("Casuscoördinator aanwijzen"),
            Action.APPOINT_COORDINATOR,
            lambda request, casus, data, files: cf.CoordinatorForm(data),
            coordinate,
            _("De casuscoördinator is aangewezen."),
            section="coordinatie",
            intro=_(
                "Een medewerker van het meldpunt, een hulpverlener van een partner of de melder zelf."
            ),
        ),
        Task(
            "doorverwijzing",
            _("Doorverwijzing"),
            Action.RECORD_REFERRAL,
            lambda request, casus, data, files: cf.ReferralForm(data, casus=casus),
            lambda casus, user, form: referrals.refer(casus, actor=user, **form.cleaned_data),
            _("De doorverwijzing staat klaar voor de partner."),
            section="doorverwijzingen",
            template="cases/referral.html",
            intro=_(
                "Naar gespecialiseerde ambulante of residentiële hulp. De partner accepteert of wijst af in het partnerportaal."
            ),
            shows_persons=True,
            context=lambda casus: {
                "open_referrals": Referral.objects.filter(
                    casus=casus, status=Referral.Status.PROPOSED
                ).select_related("partner")
            },
        ),
        Task(
            "toestemming",
            _("Toestemming vastleggen"),
            Action.RECORD_CONSENT,
            lambda request, casus, data, files: cf.ConsentForm(data, casus=casus),
            lambda casus, user, form: consent.record_consent(actor=user, **form.cleaned_data),
            _("De toestemming is vastgelegd."),
            section="toestemming",
            template="cases/consent.html",
            intro=_("Per betrokkene en per doel: informatie delen, of doorverwijzen."),
            shows_persons=True,
            context=lambda casus: {"ages": RegionSettings.current()},
        ),
        Task(
            "afsluitreden",
            _("Afsluitreden"),
            Action.CLOSE_CASE,
            lambda request, casus, data, files: cf.ClosingReasonForm(
                data, initial={"code": casus.closing_reason}
            ),
            lambda casus, user, form: engine.set_closing_reason(
                casus, actor=user, **form.cleaned_data
            ),
            _("De afsluitreden is vastgelegd."),
        ),
        Task(
            "evaluatie",
            _("Evaluatie"),
            Action.RECORD_EVALUATION,
            lambda request, casus, data, files: cf.EvaluationForm(
                data, questions=records.evaluation_questions()
            ),
            lambda casus, user, form: records.record_evaluation(
                casus,
                actor=user,
                answers=form.answers(),
                ratings=form.ratings(),
            ),
            _("De evaluatie is vastgelegd."),
            section="evaluatie",
        ),
        Task(
            "heropenen",
            _("Casus heropenen"),
            Action.REOPEN_CASE,
            lambda request, casus, data, files: cf.ReasonForm(data),
            lambda casus, user, form: engine.reopen(
                casus, actor=user, reason=form.cleaned_data["reason"]
            ),
            _("De casus is heropend en staat weer in de eerste stap."),
            intro=_("Bijvoorbeeld bij recidive of een nieuwe melding; de geschiedenis blijft."),
        ),
        Task(
            "documenten",
            _("Document toevoegen"),
            Action.ADD_DOCUMENT,
            lambda request, casus, data, files: cf.DocumentForm(data, files),
            lambda casus, user, form: documents.add_document(
                casus, actor=user, **form.cleaned_data
            ),
            _("Het document is toegevoegd."),
            section="documenten",
            intro=_(
                "Elk bestand wordt op virussen gecontroleerd; een besmet bestand wordt "
                "geweigerd. Kan de controle even niet, dan staat het bestand als 'wordt "
                "gecontroleerd' bij de casus en is het pas na de controle te downloaden."
            ),
        ),
        Task(
            "koppelen",
            _("Casus koppelen"),
            Action.LINK_CASES,
            lambda request, casus, data, files: cf.LinkForm(data),
            lambda casus, user, form: links.link_by_reference(
                casus, actor=user, **form.cleaned_data
            ),
            _("De casussen zijn gekoppeld."),
            section="gekoppeld",
            intro=_(
                "Bijvoorbeeld de casus van een slachtoffer en die van de (vermoedelijke) dader."
            ),
        ),
        Task(
            "agenderen",
            _("Agenderen voor een overleg"),
            Action.SCHEDULE_MEETING,
            lambda request, casus, data, files: cf.AgendaForm(data),
            lambda casus, user, form: meetings.put_on_agenda(
                casus, actor=user, meeting=form.cleaned_data["meeting"]
            ),
            _("De casus staat op de agenda."),
            section="overleg",
        ),
    )
}

# What a step of each kind is mostly about: offered on top of the case page.
STEP_TASKS = {
    StepKind.INTAKE: ["gegevens", "koppelen"],
    StepKind.SCREENING: ["screening", "journaal", "vraag", "terugkoppeling", "agenderen"],
    StepKind.INFORMATIERONDE: ["informatieverzoek", "toestemming"],
    StepKind.RISICOTAXATIE: ["risicotaxatie", "agenderen"],
    StepKind.PLAN_VAN_AANPAK: ["plan", "casuscoordinator", "agenderen", "doorverwijzing"],
    StepKind.ZORGCOORDINATIE: ["journaal", "documenten", "doorverwijzing"],
    StepKind.CASUSOVERLEG: ["agenderen"],
    StepKind.DOORVERWIJZING: ["doorverwijzing", "toestemming"],
    StepKind.TERUGKOPPELING: ["terugkoppeling", "vraag"],
    StepKind.AFSLUITING: ["afsluitreden", "terugkoppeling"],
    StepKind.EVALUATIE: ["evaluatie"],
    StepKind.ANDERS: ["journaal"],
}
# The plan of approach has a page of its own (`plan`), not one of TASKS.
PLAN_TASK = "plan"
PLAN_TASK_ACTION = Action.WRITE_PLAN


@dataclass(frozen=True)
class TaskLink:
    slug: str
    title: str
    url: str


def task_url(casus: Casus, slug: str) -> str:
    if slug == PLAN_TASK:
        return case_address("cases:plan", casus.reference)
    return case_address("cases:task", casus.reference, task=slug)


def task_title(slug: str) -> str:
    return str(_("Plan van aanpak") if slug == PLAN_TASK else TASKS[slug].title)


def task_action(slug: str) -> Action:
    return PLAN_TASK_ACTION if slug == PLAN_TASK else TASKS[slug].action


def current_tasks(user: User, casus: Casus, condition_codes: list[str]) -> list[TaskLink]:
    """The tasks of the current step that the user may do: those its kind is about and
    those that make its conditions hold."""
    slugs = STEP_TASKS.get(casus.current_step.kind, []) + [
        CONDITIONS[code].task for code in condition_codes
    ]
    unique = list(dict.fromkeys(slugs))
    return [
        TaskLink(slug, task_title(slug), task_url(casus, slug))
        for slug in unique
        if may(user, task_action(slug), casus)
    ]


@allowed(Action.VIEW_CASE, unseen=True)
@require_http_methods(["GET", "POST"])
def case_task(request: HttpRequest, reference: str, task: str) -> HttpResponse:
    described = TASKS.get(task)
    if described is None:
        return render(request, "404.html", status=404)
    casus = find_case(request.user, reference, described.action)
    posted = request.method == "POST"
    form = described.form(
        request, casus, request.POST if posted else None, request.FILES if posted else None
    )
    if posted and form.is_valid():
        try:
            described.perform(casus, request.user, form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, described.done)
            return redirect(reverse("cases:detail", args=[reference]) + f"#{described.section}")
    if described.shows_persons:
        audit_persons_shown(request.user, casus)
    context = {"casus": casus, "form": form, "task": described} | described.context(casus)
    return render(request, described.template, context, status=400 if posted else 200)


@allowed(Action.VIEW_CASE, unseen=True)
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, reference: str) -> HttpResponse:
    """The plan of approach: the first version, or a revision of the current one."""
    casus = find_case(request.user, reference, Action.WRITE_PLAN)
    earlier = read_plan(request.user, casus)
    posted = request.method == "POST"
    initial_actions = [
        {
            "description": action.description,
            "owner_partner": action.owner_partner,
            "owner_name": action.owner_name,
            "chain": action.chain,
            "due_on": action.due_on,
            "status": action.status,
        }
        for action in (earlier.actions.all() if earlier else [])
    ]
    form = cf.PlanForm(
        request.POST if posted else None,
        revising=earlier is not None,
        initial={"goals": earlier.goals} if earlier else {},
    )
    actions = cf.ActionFormSet(
        request.POST if posted else None, prefix="actie", initial=initial_actions or None
    )
    if posted and form.is_valid() and actions.is_valid():
        try:
            plans.write_plan(
                casus,
                actor=request.user,
                goals=form.cleaned_data["goals"],
                actions=[a.action_data() for a in actions if a.has_changed() or a.initial],
                revision_reason=form.cleaned_data.get("revision_reason", ""),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Het plan van aanpak is vastgelegd."))
            return redirect(reverse("cases:detail", args=[reference]) + "#plan")
    context = {"casus": casus, "form": form, "actions": actions, "earlier": earlier}
    return render(request, "cases/plan.html", context, status=400 if posted else 200)


SAVE = _("Vastleggen")


@dataclass(frozen=True)
class RecordTask:
    """A task on one record of a case (a request, a referral, a consent, a plan action):
    the record's summary above its form."""

    title: Promise
    action: Action
    records: Callable[[Casus], QuerySet]
    form: Callable[[dict | None, Model], Form]  # (data, record) -> form
    perform: Callable[[Model, User, Form], object]
    done: Promise
    section: str
    summary: str  # the template that shows the record
    button: Promise = SAVE
    shares: bool = False  # the record shares persons: its page shows them


def referral_decision(referral, user: User, form: cf.StaffDecisionForm) -> object:
    return referrals.record_decision(referral, actor=user, **form.cleaned_data)


RECORD_TASKS: dict[tuple[str, str], RecordTask] = {
    ("informatieverzoek", "antwoord"): RecordTask(
        _("Antwoord van de partner vastleggen"),
        Action.ANSWER_INFORMATION_REQUEST,
        lambda casus: InformationRequest.objects.filter(casus=casus).select_related("partner"),
        lambda data, asked: cf.AnswerForm(data),
        lambda asked, user, form: information.record_answer(asked, actor=user, **form.cleaned_data),
        _("Het informatieverzoek is bijgewerkt."),
        "informatieronde",
        "cases/summary/information_request.html",
        shares=True,
    ),
    ("informatieverzoek", "sluiten"): RecordTask(
        _("Informatieverzoek sluiten"),
        Action.ANSWER_INFORMATION_REQUEST,
        lambda casus: InformationRequest.objects.filter(casus=casus).select_related("partner"),
        lambda data, asked: cf.CloseRequestForm(data),
        lambda asked, user, form: information.close_request(asked, actor=user, **form.cleaned_data),
        _("Het informatieverzoek is bijgewerkt."),
        "informatieronde",
        "cases/summary/information_request.html",
        shares=True,
    ),
    ("doorverwijzing", "besluit"): RecordTask(
        _("Besluit van de partner vastleggen"),
        Action.DECIDE_REFERRAL,
        lambda casus: Referral.objects.filter(casus=casus).select_related("partner"),
        lambda data, referral: cf.StaffDecisionForm(data),
        referral_decision,
        _("Het besluit over de doorverwijzing is vastgelegd."),
        "doorverwijzingen",
        "cases/summary/referral.html",
        shares=True,
    ),
    ("toestemming", "intrekken"): RecordTask(
        _("Toestemming intrekken"),
        Action.RECORD_CONSENT,
        lambda casus: Consent.objects.filter(casus=casus).select_related("person"),
        lambda data, given: cf.WithdrawConsentForm(
            data, initial={"withdrawn_on": timezone.localdate()}
        ),
        lambda given, user, form: consent.withdraw_consent(
            given, actor=user, on=form.cleaned_data["withdrawn_on"]
        ),
        _("De toestemming is ingetrokken."),
        "toestemming",
        "cases/summary/consent.html",
        button=_("Intrekken"),
    ),
    ("actie", "bijwerken"): RecordTask(
        _("Actie bijwerken"),
        Action.UPDATE_PLAN_ACTION,
        lambda casus: PlanAction.objects.filter(plan__casus=casus).select_related(
            "plan", "owner_partner"
        ),
        lambda data, action: cf.ActionUpdateForm(
            data, initial={"status": action.status, "outcome": action.outcome}
        ),
        lambda action, user, form: plans.update_action(action, actor=user, **form.cleaned_data),
        _("De actie is bijgewerkt."),
        "plan",
        "cases/summary/plan_action.html",
        button=_("Opslaan"),
    ),
}


@allowed(Action.VIEW_CASE, unseen=True)
@require_http_methods(["GET", "POST"])
def record_task(
    request: HttpRequest, reference: str, kind: str, pk: int, outcome: str
) -> HttpResponse:
    described = RECORD_TASKS.get((kind, outcome))
    if described is None:
        return render(request, "404.html", status=404)
    casus = find_case(request.user, reference, described.action)
    record = get_object_or_404(described.records(casus), pk=pk)
    data = request.POST if request.method == "POST" else None
    form = described.form(data, record)
    if data is not None and form.is_valid():
        try:
            described.perform(record, request.user, form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, described.done)
            return redirect(reverse("cases:detail", args=[reference]) + f"#{described.section}")
    # The record's summary is case content: an audited read, of the persons it shares
    # where it shares some, else of the case's.
    shared = consent.shared_details(record) if described.shares else []
    shown = list(record.persons.all()) if described.shares else None
    audit_persons_shown(request.user, casus, persons=shown)
    context = {"casus": casus, "form": form, "task": described, "record": record, "shared": shared}
    return render(request, "cases/record_task.html", context, status=400 if data else 200)
