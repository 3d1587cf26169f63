"""A case in the region's words: the case page, the meeting PDFs and the API's case file
name every signal, case type, form, channel, closing reason and risk question as the
region configured it (and the questions as asked), never by its code."""

import html
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context
from pypdf import PdfReader

from configuratie.models import CatalogueEntry, CatalogueKind, RiskQuestion
from tests.factories import meeting_with, person, public_report
from workflow.models import Casus
from workflow.services import risk

# The API's fields that hold a code on purpose, beside their label.
CODE_FIELDS = {"case_type", "closing_reason", "form_code", "channel", "signals", "code"}
CODE_FIELDS |= {"answer_code"}
FORM = {"twente": "meldformulier", "limburg": "risicotaxatieformulier"}


def configured(region) -> dict[str, str]:
    """Every code of the region's catalogues and risk instrument, with its label."""
    with tenant_context(region):
        words = dict(CatalogueEntry.objects.values_list("code", "name"))
        words |= dict(RiskQuestion.objects.values_list("code", "text"))
    return words


def codes_shown(text: str, words: dict[str, str]) -> set[str]:
    """The codes `text` shows as words of their own once every label is taken out; a
    code that is its label's own word ('telefoon' for 'Telefoon') cannot be told apart."""
    for label in sorted(words.values(), key=len, reverse=True):
        text = text.replace(label, " ")
    return {
        code
        for code, label in words.items()
        if code != label.lower() and re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)
    }


def page_text(content: bytes) -> str:
    without_markup = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", content.decode(), flags=re.S)
    return " ".join(html.unescape(without_markup).split())


def pdf_text(content: bytes) -> str:
    """The PDF's words; a word broken after its hyphen at a line's end is one again."""
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return re.sub(r"(?<=\w-) (?=\w)", "", text)


def strings_beside_codes(value, key: str = "") -> list[str]:
    """Every string of an API answer except the fields that are codes on purpose."""
    if key in CODE_FIELDS:
        return []
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in strings_beside_codes(v, k)]
    if isinstance(value, list):
        return [s for v in value for s in strings_beside_codes(v, key)]
    return [value] if isinstance(value, str) else []


@pytest.fixture
def full_case(request, db, logged_in, make_user):
    """A case of the region with every signal named, the form's risk questions answered by
    the reporter, a case type and a closing reason, and a risk assessment recorded in a
    discussed screening meeting."""
    region = request.getfixturevalue(request.param)
    staff = logged_in(region, "medewerker", "procesregisseur", "screeningsteamlid")
    with tenant_context(region):
        signals = list(
            CatalogueEntry.objects.filter(catalogue=CatalogueKind.SIGNAL).values_list(
                "code", flat=True
            )
        )
        questions = list(RiskQuestion.objects.values_list("code", flat=True))
        asked = {code: "ja" for code in questions} if request.param == "limburg" else {}
        casus = public_report(
            person("Sanne de Vries", birth_year=2010),
            form_code=FORM[request.param],
            signals=signals,
            risk_answers=asked,
        ).report.casus
        case_type = CatalogueEntry.objects.filter(catalogue=CatalogueKind.CASE_TYPE).last()
        reason = CatalogueEntry.objects.filter(catalogue=CatalogueKind.CLOSING_REASON).first()
        Casus.objects.filter(pk=casus.pk).update(
            case_type=case_type.code, closing_reason=reason.code
        )
        casus.refresh_from_db()
    item = meeting_with(region, casus, [staff.user], "screeningsteam")
    with tenant_context(region):
        answers = dict(zip(questions, ["ja", "nee", "onbekend"] * len(questions), strict=False))
        risk.record_risk_assessment(casus, actor=staff.user, answers=answers, agenda_item=item)
        item.discussed_at, item.discussed_by = timezone.now(), staff.user
        item.save()
    return region, staff, casus, item


BOTH = pytest.mark.parametrize("full_case", ["twente", "limburg"], indirect=True)


@BOTH
def test_the_case_page_names_signals_answers_and_questions_in_the_regions_words(full_case):
    region, staff, casus, _item = full_case
    words = configured(region)
    text = page_text(staff.get(reverse("cases:detail", args=[casus.reference])).content)
    assert codes_shown(text, words) == set()
    with tenant_context(region):
        expected = [words[code] for code in casus.reports.get().signals]
        expected += [words[casus.case_type], words[casus.closing_reason]]
        expected += list(RiskQuestion.objects.values_list("text", flat=True))
    assert expected and all(label in text for label in expected)


@BOTH
def test_the_meeting_page_and_pdfs_name_signals_and_questions_in_the_regions_words(full_case):
    region, staff, casus, item = full_case
    words = configured(region)
    with tenant_context(region):
        signals = [words[code] for code in casus.reports.get().signals]
        questions = list(RiskQuestion.objects.values_list("text", flat=True))
    for document, expected in (
        ("agenda_pdf", [*signals, words[casus.case_type]]),
        ("minutes_pdf", [*signals, *questions, words[casus.case_type]]),
    ):
        response = staff.get(reverse(f"meetings:{document}", args=[item.meeting.pk]))
        text = pdf_text(response.content)
        assert codes_shown(text, words) == set(), document
        missing = [label for label in expected if " ".join(label.split()) not in text]
        assert missing == [], document
    page = page_text(staff.get(reverse("meetings:detail", args=[item.meeting.pk])).content)
    assert codes_shown(page, words) == set()
    assert all(label in page for label in [*signals, words[casus.case_type]])


@BOTH
def test_the_api_case_file_gives_a_label_beside_every_code(full_case):
    region, staff, casus, _item = full_case
    words = configured(region)
    answer = json.loads(staff.get(f"/api/v1/casussen/{casus.reference}/").content)
    strings = strings_beside_codes(answer)
    assert {code for code in words if code != words[code].lower()} & set(strings) == set()
    report = answer["reports"][0]
    assert [entry["label"] for entry in report["signal_labels"]] == [
        words[code] for code in report["signals"]
    ]
    assert [entry["code"] for entry in report["signal_labels"]] == report["signals"]
    assert report["form_label"] == words[report["form_code"]]
    assert report["channel_label"] == words[report["channel"]]
    assert answer["casus"]["case_type_label"] == words[casus.case_type]
    assert answer["casus"]["closing_reason_label"] == words[casus.closing_reason]
    assessed = answer["risk_assessments"][0]["answers"]
    with tenant_context(region):
        questions = list(RiskQuestion.objects.values_list("code", "text"))
    assert [(a["code"], a["question"]) for a in assessed] == questions
    assert {a["answer"] for a in assessed} == {"Ja", "Nee", "Onbekend"}
    asked_by_reporter = [(a["code"], a["question"], a["answer"]) for a in report["risk_answers"]]
    if region.slug == "limburg":
        assert asked_by_reporter == [(code, text, "Ja") for code, text in questions]
    else:
        assert asked_by_reporter == []
