"""A case with something in every place personal data can be, and a scan of a whole
region schema for a text, decrypting what is encrypted on the way."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from configuratie.models import Participation, Partner, RiskLevel, RiskQuestion
from meldpunt.encryption import decrypt
from privacy.models import PersonKey
from privacy.sealing import SEALED_PREFIX
from privacy.services import subjects
from tests.factories import evaluate, person, public_report
from workflow import engine
from workflow.demo import sign_demo_covenants
from workflow.models import Casus, StepTransition
from workflow.services import (
    documents,
    information,
    meetings,
    plans,
    records,
    referrals,
    reporters,
    reports,
)

TOKEN = re.compile(r"gAAAAA[A-Za-z0-9_\-]+=*")


@dataclass(frozen=True)
class SeededCase:
    casus: Casus
    secrets: tuple[str, ...]  # every personal value put into it


def full_case(actor, tag: str) -> SeededCase:
    """A case whose persons, reporter, records, messages and audit lines all hold
    values containing `tag`; made through the services. Call in a tenant context."""
    sign_demo_covenants()
    victim, school = f"Zoë {tag}", f"Lyceum {tag}-Oost"
    submitted = public_report(
        person(f"Sanne {tag}-Oud", school=school, birth_year=2010, municipality="GM0153"),
        person(f"Daan {tag}", role="dader"),
        concern=f"Zorgen om Zoë {tag}.",
        reporter_name=f"Harm {tag}",
        reporter_email=f"harm.{tag.lower()}@example.org",
        reporter_phone="0612345678",
        reporter_organisation=f"Jongerenwerk {tag}",
    )
    casus, report = submitted.report.casus, submitted.report
    first = report.persons.order_by("pk").first()
    subjects.correct_person(
        first,
        actor=actor,
        values={"name": victim},
        reason="invoerfout",
        explanation=f"Naam verkeerd gespeld ({tag})",
    )
    records.write_journal(casus, actor=actor, kind="notitie", text=f"Notitie {tag}")
    records.record_screening_outcome(casus, actor=actor, outcome="ja", advice=f"Advies {tag}")
    reporters.record_feedback(casus, actor=actor, text=f"Terugkoppeling {tag}", reports=[report])
    reporters.ask_reporter(casus, actor=actor, question=f"Vraag {tag}", reports=[report])
    reports.reply_from_reporter(report, f"Antwoord {tag}")
    partner = records.partners_taking_part(Participation.INFORMATION_ROUND).first()
    asked = information.request_information(
        casus,
        actor=actor,
        partner=partner,
        question=f"Bekend {tag}?",
        persons=[first],
        shared_fields=["naam"],
        legal_basis="anders",
        legal_basis_text=f"Grondslag {tag}",
    )
    information.record_answer(asked, actor=actor, answer=f"Ja, {tag}", answered_via="telefoon")
    conference = meetings.plan_meeting(
        actor=actor, kind="casusoverleg", starts_at=timezone.now(), attendees=[actor]
    )
    item = meetings.put_on_agenda(casus, actor=actor, meeting=conference)
    meetings.record_agenda_item(
        item,
        actor=actor,
        data=meetings.ItemRecord(
            minutes=f"Overleg {tag}",
            decision=f"Besluit {tag}",
            risk_answers={q.code: "ja" for q in RiskQuestion.objects.all()},
            risk_level=RiskLevel.objects.order_by("threshold").first().level,
            risk_deviation_reason=f"Anders omdat {tag}",
            plan_goals=f"Plan {tag}",
            plan_actions=[
                plans.ActionData(f"Actie {tag}", chain="zorg", owner_name=f"Mentor {tag}")
            ],
        ),
    )
    engine.appoint_external_coordinator(
        casus, actor=actor, kind="melder", name=f"Coördinator {tag}", phone="0611111111"
    )
    documents.add_document(
        casus,
        actor=actor,
        title=f"Verslag {tag}",
        upload=SimpleUploadedFile(f"verslag-{tag}.pdf", b"%PDF-1.4\n" + tag.encode()),
    )
    referral_partner = Partner.objects.filter(participates_in__contains=["doorverwijzing"]).first()
    if referral_partner is not None:
        referrals.refer(
            casus,
            actor=actor,
            partner=referral_partner,
            help="ambulant",
            notes=f"Verwezen {tag}",
            persons=[casus.persons.first()],
            shared_fields=["naam", "school"],
            legal_basis="anders",
            legal_basis_text=f"Reden {tag}",
        )
    evaluate(casus, actor, "onbekend")
    StepTransition.objects.create(
        casus=casus, from_step=casus.current_step, to_step=casus.current_step, by=actor,
        reason=f"Toelichting {tag}",
    )  # fmt: skip
    return SeededCase(casus, (tag.lower(), victim.lower(), school.lower()))


def complete(casus: Casus, *, months_ago: int, reason: str) -> None:
    """Test set-up: a case finished `months_ago` months ago with a closing reason."""
    when = timezone.now() - timezone.timedelta(days=31 * months_ago)
    Casus.objects.filter(pk=casus.pk).update(
        completed_at=when, closed_at=when, closing_reason=reason
    )


def readable(value: str) -> Iterator[str]:
    """`value`, and whatever its encrypted parts say, with every key still present."""
    yield value
    for token in TOKEN.findall(value):
        try:
            yield from readable(decrypt(token))
        except (InvalidToken, ValueError):
            continue
    if SEALED_PREFIX in value:
        keys = [key for key in PersonKey.objects.values_list("key", flat=True) if key]
        for sealed in re.findall(re.escape(SEALED_PREFIX) + r"[A-Za-z0-9_\-=]+", value):
            for key in keys:
                try:
                    yield (
                        Fernet(key.encode()).decrypt(sealed[len(SEALED_PREFIX) :].encode()).decode()
                    )
                except InvalidToken:
                    continue


def texts_in_schema(schema: str) -> Iterator[tuple[str, str]]:
    """(table.column, text) for every value of every text column in `schema`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = %s AND data_type IN ('text', 'character varying', 'jsonb', 'json')",
            [schema],
        )
        columns = cursor.fetchall()
        for table, column in columns:
            cursor.execute(
                f'SELECT "{column}"::text FROM "{schema}"."{table}" WHERE "{column}" IS NOT NULL'
            )
            for (value,) in cursor.fetchall():
                for text in readable(value):
                    yield f"{table}.{column}", text


def where_found(schema: str, needles: tuple[str, ...]) -> set[str]:
    return {
        place
        for place, text in texts_in_schema(schema)
        for needle in needles
        if needle in text.lower()
    }
