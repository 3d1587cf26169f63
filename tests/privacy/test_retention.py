"""Retention: the nightly run anonymises exactly the expired cases, passes one under a
legal hold, keeps what the statistics count, records every destruction, and leaves
no trace of an anonymised case's names anywhere in the region's schema."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from audit.models import AuditAction, AuditEntry
from configuratie.models import RegionSettings
from meldpunt.encryption import blind_index
from meldpunt.models import OutboxMessage
from meldpunt.outbox import Attachment, deliver_pending, queue_email
from privacy.models import ClosingReasonRetention, DestructionRecord, LegalHold, Rule, Scope
from privacy.services import retention, subjects
from privacy.services.destruction import case_data, purge_sent_email
from tests.factories import person, public_report
from tests.privacy.helpers import complete, full_case, where_found
from workflow.models import Casus, Feedback, InvolvedPerson, Report

NO_PROBLEM = "geen-loverboyproblematiek"


def counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model, _path, _values in case_data()}


def test_the_nightly_run_anonymises_exactly_the_expired_cases(twente, make_user):
    staff = make_user(twente, "procesregisseur")
    officer = make_user(twente, "privacyofficer")
    with tenant_context(twente):
        ClosingReasonRetention.objects.create(closing_reason=NO_PROBLEM, months=6)
        RegionSettings.objects.filter(pk=RegionSettings.current().pk).update(retention_months=60)
        expired = full_case(staff, "Wolkenveld")
        kept = full_case(staff, "Zonnebloem")  # other reason: five years
        held = full_case(staff, "Regenboog")
        running = full_case(staff, "Sterrenhemel")  # not completed at all
        complete(expired.casus, months_ago=7, reason=NO_PROBLEM)
        complete(kept.casus, months_ago=7, reason="plan-van-aanpak-uitgevoerd")
        complete(held.casus, months_ago=7, reason=NO_PROBLEM)
        retention.set_legal_hold(held.casus, actor=officer, reason="Lopend politieonderzoek")
        deliver_pending()  # the reporters' confirmations went out long ago
        persons_before = {
            p.pk: (p.role, p.birth_year, p.municipality, p.gender)
            for p in InvolvedPerson.objects.filter(casus=expired.casus)
        }
        before = counts()
        case_row = Casus.objects.values().get(pk=expired.casus.pk)

        run = retention.apply_retention()

        assert [made.casus_id for made in run.cases] == [expired.casus.pk]
        made = run.cases[0]
        assert (made.rule, made.scope, made.case_reference) == (
            Rule.CASE_RETENTION,
            Scope.CASE,
            expired.casus.reference,
        )
        assert made.basis["afsluitreden"] == NO_PROBLEM and made.basis["maanden"] == 6
        assert made.destroyed["workflow.InvolvedPerson"] == 2
        assert made.destroyed["workflow.Report"] == 1
        assert made.destroyed["privacy.PersonKey"] == 1
        assert AuditEntry.objects.filter(
            action=AuditAction.DESTROY, case_id=expired.casus.reference
        ).exists()
        # What the statistics count stays: every row, the case's own codes and dates,
        # and of each person the role, birth year, municipality and gender.
        assert counts() == before
        assert Casus.objects.values().get(pk=expired.casus.pk) == case_row
        assert {
            p.pk: (p.role, p.birth_year, p.municipality, p.gender)
            for p in InvolvedPerson.objects.filter(casus=expired.casus)
        } == persons_before
        # Nothing of the expired case is left anywhere, decrypted or not; the others
        # (which prove the scan reads through the encryption) are all still there.
        needles = expired.secrets + tuple(
            blind_index(name) for name in ("Zoë Wolkenveld", "Lyceum Wolkenveld-Oost")
        )
        assert where_found(connection.schema_name, needles) == set()
        for survivor in (kept, held, running):
            assert "workflow_involvedperson.name" in where_found(
                connection.schema_name, survivor.secrets
            )
        # The next night finds nothing new to do; a case reopened and completed again
        # gathered new data, which its period covers once more.
        assert retention.apply_retention().cases == []
        complete(expired.casus, months_ago=7, reason=NO_PROBLEM)
        DestructionRecord.objects.filter(casus=expired.casus).update(
            at=timezone.now() - timezone.timedelta(days=400)
        )
        assert [made.casus_id for made in retention.apply_retention().cases] == [expired.casus.pk]


def test_a_lifted_hold_lets_the_next_run_anonymise(twente, make_user):
    staff = make_user(twente, "procesregisseur")
    admin = make_user(twente, "regiobeheerder")
    with tenant_context(twente):
        seeded = full_case(staff, "Kastanje")
        complete(seeded.casus, months_ago=70, reason="plan-van-aanpak-uitgevoerd")
        hold = retention.set_legal_hold(seeded.casus, actor=admin, reason="Klacht in behandeling")
        with pytest.raises(ValidationError):
            retention.set_legal_hold(seeded.casus, actor=admin, reason="Nog een")
        assert retention.apply_retention().cases == []
        retention.lift_legal_hold(hold, actor=admin, reason="Klacht afgehandeld")
        assert [made.casus_id for made in retention.apply_retention().cases] == [seeded.casus.pk]
        assert LegalHold.objects.get(pk=hold.pk).reason == ""  # its reasons went with the case


def test_contact_details_go_after_the_period_since_the_last_feedback(twente, make_user):
    staff = make_user(twente, "medewerker")
    with tenant_context(twente):
        old = public_report(
            person("Lotte"), reporter_name="Mevrouw Oud", reporter_email="oud@example.org"
        )
        recent = public_report(
            person("Noa"), reporter_name="Meneer Nieuw", reporter_phone="0611111111"
        )
        silent = public_report(person("Bo"), reporter_name="Zonder Terugkoppeling")
        for submitted in (old, recent):
            records_feedback(staff, submitted.report)
        Feedback.objects.filter(report=old.report).update(
            recorded_at=timezone.now() - timezone.timedelta(days=400)
        )
        deliver_pending()

        run = retention.apply_retention()

        assert [made.report_code for made in run.reporter_contacts] == [old.report.follow_code]
        erased = Report.objects.get(pk=old.report.pk)
        assert (erased.reporter_name, erased.reporter_email, erased.concern) == (
            "",
            "",
            "Zorgen over mijn kind.",
        )
        assert Report.objects.get(pk=recent.report.pk).reporter_name == "Meneer Nieuw"
        assert Report.objects.get(pk=silent.report.pk).reporter_name == "Zonder Terugkoppeling"
        assert run.reporter_contacts[0].destroyed == {"workflow.Report": 1}


def records_feedback(actor, report) -> None:
    from workflow.services.reporters import record_feedback

    record_feedback(report.casus, actor=actor, text="Dank u.", reports=[report])


def test_sent_email_loses_its_body_and_recipient_with_a_record(twente):
    with tenant_context(twente):
        public_report(person("Emma"), reporter_email="melder@example.org")
        waiting = OutboxMessage.objects.get()
        assert purge_sent_email() is None  # not sent yet: nothing to purge
        assert deliver_pending() == 1
        made = purge_sent_email()
        purged = OutboxMessage.objects.get(pk=waiting.pk)
        assert (purged.body, purged.to) == ("", "")
        assert purged.subject and purged.sent_at is not None
        assert (made.rule, made.destroyed) == (Rule.SENT_EMAIL, {"meldpunt.OutboxMessage": 1})
        assert purge_sent_email() is None


def test_a_sent_invitation_loses_its_attachment_too(twente):
    with tenant_context(twente):
        invitation = Attachment("overleg.ics", "text/calendar; method=REQUEST", "BEGIN:VCALENDAR")
        queue_email("deelnemer@example.org", "Uitnodiging", "Tekst", invitation)
        assert deliver_pending() == 1
        assert purge_sent_email().destroyed == {"meldpunt.OutboxMessage": 1}
        purged = OutboxMessage.objects.get()
        assert (purged.body, purged.to, purged.attachment) == ("", "", "")


def test_an_erasure_request_takes_the_same_path_with_its_own_record(twente, make_user):
    staff = make_user(twente, "procesregisseur")
    officer = make_user(twente, "privacyofficer")
    with tenant_context(twente):
        seeded = full_case(staff, "Vlinderveld")
        victim = InvolvedPerson.objects.filter(casus=seeded.casus).order_by("pk").first()
        made = subjects.erase_on_request(
            seeded.casus,
            actor=officer,
            scope=Scope.PERSON,
            person=victim,
            note="Verzoek per brief van 3 maart, kenmerk AVG-17-001",
        )
        assert (made.rule, made.scope, made.person_id) == (
            Rule.ERASURE_REQUEST,
            Scope.PERSON,
            str(victim.pk),
        )
        erased = InvolvedPerson.objects.get(pk=victim.pk)
        assert (erased.name, erased.school, erased.name_index) == ("", "", "")
        # The old and new name of the correction in the audit line are sealed for good;
        # only the reporter's free text still names her (the screen says so): erasing
        # the whole case takes that too.
        names = ("sanne vlinderveld-oud", "zoë vlinderveld", "lyceum vlinderveld-oost")
        assert where_found(connection.schema_name, names) == {"workflow_report.concern"}
        whole = subjects.erase_on_request(
            seeded.casus, actor=officer, scope=Scope.CASE, note="Verzoek ouder, kenmerk 2"
        )
        assert whole.scope == Scope.CASE and DestructionRecord.objects.count() == 2
        assert where_found(connection.schema_name, seeded.secrets) == set()


def test_a_legal_hold_refuses_an_erasure_request(twente, make_user):
    staff = make_user(twente, "procesregisseur")
    with tenant_context(twente):
        seeded = full_case(staff, "Dennenbos")
        retention.set_legal_hold(
            seeded.casus, actor=make_user(twente, "regiobeheerder"), reason="Rechtszaak"
        )
        with pytest.raises(ValidationError, match="bewaarplicht"):
            subjects.erase_on_request(seeded.casus, actor=staff, scope=Scope.CASE, note="Verzoek")
        assert not DestructionRecord.objects.exists()


def test_every_model_that_belongs_to_a_case_is_covered():
    """A new model with personal data of a case is erased without being listed: it is
    found by its link to a case, a report or a person."""
    covered = {model for model, _path, _values in case_data()}
    linked = {
        model
        for model in apps.get_app_config("workflow").get_models()
        if any(
            field.is_relation and field.related_model in (Casus, Report, InvolvedPerson)
            for field in model._meta.concrete_fields
        )
        and any(field.get_internal_type() == "TextField" for field in model._meta.concrete_fields)
    }
    assert linked <= covered
    assert InvolvedPerson in covered and Report in covered
