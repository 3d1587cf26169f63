"""The regiobeheerder's configuration screens: editing a draft, activating it, and
export and import of the configuration file."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tenants.utils import tenant_context

from configuratie.models import DefinitionStatus, WorkflowDefinition
from configuratie.services import presets
from workflow import engine


def active_version() -> WorkflowDefinition:
    return WorkflowDefinition.objects.get(status=DefinitionStatus.ACTIVE)


def add_nazorg(admin, version: int, after_pk: int):
    return admin.post(
        reverse("beheer:workflow_step_new", args=[version]),
        {
            "code": "nazorg",
            "name": "Nazorg",
            "kind": "anders",
            "responsible_role": "casuscoordinator",
            "deadline_days": "30",
            "insert_after": str(after_pk),
        },
    )


def test_nazorg_between_afsluiting_and_evaluatie_applies_to_new_cases_only(
    limburg, logged_in, make_user
):
    admin = logged_in(limburg, "regiobeheerder")
    staff = make_user(limburg, "procesregisseur", "medewerker")
    with tenant_context(limburg):
        old_case = engine.open_case(actor=staff)
        old_version = active_version().version
    response = admin.post(reverse("beheer:workflow_new_draft"))
    draft_version = int(response.url.rstrip("/").rsplit("/", 1)[1])
    with tenant_context(limburg):
        afsluiting = WorkflowDefinition.objects.get(version=draft_version).steps.get(
            code="afsluiting"
        )
    assert add_nazorg(admin, draft_version, afsluiting.pk).status_code == 302
    page = admin.get(reverse("beheer:workflow_version", args=[draft_version])).content.decode()
    table = page[page.index("<table") :]
    assert table.index(">Afsluiting<") < table.index(">Nazorg<") < table.index(">Evaluatie<")
    assert admin.post(reverse("beheer:workflow_activate", args=[draft_version])).status_code == 302

    with tenant_context(limburg):
        assert active_version().version == draft_version
        assert (
            WorkflowDefinition.objects.get(version=old_version).status == DefinitionStatus.RETIRED
        )
        new_case = engine.open_case(actor=staff)
        old_case.refresh_from_db()
        assert old_case.definition.version == old_version
        assert new_case.definition.version == draft_version
        new_afsluiting = new_case.definition.steps.get(code="afsluiting")
        old_afsluiting = old_case.definition.steps.get(code="afsluiting")
        assert [step.code for step in new_afsluiting.next_steps.all()] == ["nazorg"]
        assert [
            step.code for step in new_case.definition.steps.get(code="nazorg").next_steps.all()
        ] == ["evaluatie"]
        assert [step.code for step in old_afsluiting.next_steps.all()] == ["evaluatie"]


def test_activation_is_refused_with_every_problem(limburg, logged_in):
    admin = logged_in(limburg, "regiobeheerder")
    draft_version = int(
        admin.post(reverse("beheer:workflow_new_draft")).url.rstrip("/").rsplit("/", 1)[1]
    )
    admin.post(reverse("beheer:workflow_step", args=[draft_version, "melding"]), {"delete": "1"})
    response = admin.post(reverse("beheer:workflow_activate", args=[draft_version]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Er moet precies één startstap zijn; nu zijn het er 0." in body
    with tenant_context(limburg):
        assert active_version().version != draft_version


def test_a_bad_step_keeps_what_was_typed(limburg, logged_in):
    admin = logged_in(limburg, "regiobeheerder")
    draft_version = int(
        admin.post(reverse("beheer:workflow_new_draft")).url.rstrip("/").rsplit("/", 1)[1]
    )
    response = admin.post(
        reverse("beheer:workflow_step_new", args=[draft_version]),
        {
            "code": "Niet Goed!",
            "name": "Mijn stap",
            "kind": "anders",
            "responsible_role": "medewerker",
            "deadline_days": "-3",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Gebruik alleen kleine letters, cijfers, - en _." in body
    assert 'value="Mijn stap"' in body and 'value="Niet Goed!"' in body


def test_active_versions_cannot_be_edited(limburg, logged_in):
    admin = logged_in(limburg, "regiobeheerder")
    with tenant_context(limburg):
        version = active_version().version
    assert (
        admin.get(reverse("beheer:workflow_step", args=[version, "screening"])).status_code == 404
    )


def test_only_the_regional_admin_configures(limburg, logged_in):
    staff = logged_in(limburg, "medewerker")
    assert staff.get(reverse("beheer:workflow_versions")).status_code == 403
    assert staff.get(reverse("beheer:export")).status_code == 403


def test_export_import_and_refusal_of_a_bad_file(limburg, logged_in):
    admin = logged_in(limburg, "regiobeheerder")
    exported = admin.get(reverse("beheer:export"))
    assert exported["Content-Disposition"].startswith('attachment; filename="configuratie-limburg-')
    text = exported.content.decode()
    assert "Speerpuntenmethodiek Limburg" in text

    upload = SimpleUploadedFile("limburg.yaml", text.encode(), content_type="application/yaml")
    assert admin.post(reverse("beheer:import"), {"file": upload}).status_code == 302

    with tenant_context(limburg):
        before = active_version().version
    broken = text.replace("start: true", "start: false")
    upload = SimpleUploadedFile("kapot.yaml", broken.encode(), content_type="application/yaml")
    response = admin.post(reverse("beheer:import"), {"file": upload})
    assert response.status_code == 400
    assert "Er moet precies één startstap zijn" in response.content.decode()
    big = SimpleUploadedFile("groot.yaml", b"#" * (600 * 1024), content_type="application/yaml")
    response = admin.post(reverse("beheer:import"), {"file": big})
    assert response.status_code == 400 and "te groot" in response.content.decode()
    with tenant_context(limburg):
        assert active_version().version == before
        assert (
            presets.export_configuration(actor=admin.user)["werkproces"]["naam"]
            == "Speerpuntenmethodiek Limburg"
        )
