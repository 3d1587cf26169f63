"""The regiobeheerder's configuration screens: the work process editor, and export
and import of the whole configuration as a file."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import allowed
from accounts.models import Role
from accounts.policy import Action
from configuratie.conditions import CONDITIONS
from configuratie.models import DefinitionStatus, WorkflowDefinition, WorkflowStep
from configuratie.services import presets, workflows
from frontend.beheer.forms import ImportConfigurationForm, StepForm
from meldpunt.downloads import download

MAX_CONFIGURATION_BYTES = 512 * 1024


# Signed in, and allowed to configure the region.
configurator = allowed(Action.CONFIGURE_REGION)


def definitions_with_counts():
    return WorkflowDefinition.objects.annotate(case_count=Count("cases"))


@configurator
def workflow_versions(request: HttpRequest) -> HttpResponse:
    return render(request, "beheer/werkproces.html", {"definitions": definitions_with_counts()})


@configurator
@require_POST
def workflow_new_draft(request: HttpRequest) -> HttpResponse:
    draft = workflows.draft_for_editing(actor=request.user)
    return redirect("beheer:workflow_version", version=draft.version)


def step_rows(definition: WorkflowDefinition) -> list[dict]:
    steps = definition.steps.prefetch_related("next_steps")
    role_names = {role.code: role.name for role in Role.objects.all()}
    return [
        {
            "step": step,
            "role": role_names.get(step.responsible_role, step.responsible_role),
            "guards": [CONDITIONS[code].label for code in step.guards if code in CONDITIONS],
            "next": [following.name for following in step.next_steps.all()],
        }
        for step in steps
    ]


def render_version(
    request: HttpRequest, definition: WorkflowDefinition, problems=(), status=200
) -> HttpResponse:
    context = {"definition": definition, "rows": step_rows(definition), "problems": problems}
    return render(request, "beheer/werkproces_versie.html", context, status=status)


@configurator
def workflow_version(request: HttpRequest, version: int) -> HttpResponse:
    return render_version(request, get_object_or_404(definitions_with_counts(), version=version))


@configurator
@require_POST
def workflow_activate(request: HttpRequest, version: int) -> HttpResponse:
    draft = get_object_or_404(WorkflowDefinition, version=version)
    try:
        workflows.activate(draft, actor=request.user)
    except presets.ConfigurationInvalid as invalid:
        return render_version(request, draft, problems=invalid.problems, status=400)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("beheer:workflow_version", version=version)
    messages.success(
        request,
        _(
            "Versie %(version)d is actief. Nieuwe casussen volgen deze versie; lopende casussen blijven op hun eigen versie."
        )
        % {"version": version},
    )
    return redirect("beheer:workflow_version", version=version)


@configurator
@require_POST
def workflow_discard(request: HttpRequest, version: int) -> HttpResponse:
    draft = get_object_or_404(WorkflowDefinition, version=version)
    try:
        workflows.discard_draft(draft, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("beheer:workflow_version", version=version)
    messages.success(request, _("Het concept is verwijderd."))
    return redirect("beheer:workflow_versions")


@configurator
@require_http_methods(["GET", "POST"])
def workflow_step(request: HttpRequest, version: int, code: str | None = None) -> HttpResponse:
    definition = get_object_or_404(
        WorkflowDefinition, version=version, status=DefinitionStatus.DRAFT
    )
    step = get_object_or_404(WorkflowStep, definition=definition, code=code) if code else None
    if request.method == "POST" and step is not None and "delete" in request.POST:
        workflows.delete_step(step, actor=request.user)
        messages.success(request, _("Stap '%(name)s' is verwijderd.") % {"name": step.name})
        return redirect("beheer:workflow_version", version=version)
    initial = StepForm.initial_for(step) if step else {"kind": "anders"}
    form = StepForm(request.POST or None, definition=definition, step=step, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if step is None:
                step = workflows.add_step(
                    definition,
                    form.step_data(),
                    actor=request.user,
                    next_steps=list(form.cleaned_data["next_steps"]),
                    insert_after=form.cleaned_data.get("insert_after"),
                )
            else:
                workflows.update_step(
                    step,
                    form.step_data(),
                    actor=request.user,
                    next_steps=list(form.cleaned_data["next_steps"]),
                )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, _("Stap '%(name)s' is opgeslagen.") % {"name": step.name})
            return redirect("beheer:workflow_version", version=version)
    context = {
        "form": form,
        "definition": definition,
        "step": step,
        "cancel_url": reverse("beheer:workflow_version", kwargs={"version": version}),
    }
    return render(request, "beheer/stap.html", context, status=400 if form.errors else 200)


@configurator
def configuration_export(request: HttpRequest) -> HttpResponse:
    text = presets.dump_configuration(presets.export_configuration(actor=request.user))
    filename = f"configuratie-{request.tenant.slug}-{timezone.localdate():%Y%m%d}.yaml"
    return download(text, filename, "application/yaml; charset=utf-8")


@configurator
@require_http_methods(["GET", "POST"])
def configuration_import(request: HttpRequest) -> HttpResponse:
    form = ImportConfigurationForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_CONFIGURATION_BYTES:
                raise presets.ConfigurationInvalid(
                    [_("Het bestand is te groot (hoogstens 512 kB).")]
                )
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError as error:
                raise presets.ConfigurationInvalid(
                    [_("Het bestand is geen tekstbestand in UTF-8.")]
                ) from error
            definition = presets.import_configuration(
                presets.parse_configuration(text), actor=request.user
            )
        except presets.ConfigurationInvalid as invalid:
            problems = invalid.problems
        else:
            messages.success(
                request,
                _("De configuratie is ingelezen; het werkproces is nu versie %(version)d.")
                % {"version": definition.version},
            )
            return redirect("beheer:workflow_versions")
    status = 400 if (form.errors or problems) else 200
    return render(
        request, "beheer/import.html", {"form": form, "problems": problems}, status=status
    )
