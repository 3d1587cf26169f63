"""The words a region configured for the codes a case stores (signals, case types, channels,
forms, closing reasons, risk questions and their answers), read once per request so that
screens, PDFs and the API show what a person chose or was asked, never the code."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from configuratie.models import CatalogueEntry, CatalogueKind, RiskQuestion
from configuratie.version import built_from_configuration
from workflow.engine import TRANSFERRED
from workflow.intake import ANSWERS as REPORTER_ANSWERS

# What the team answers in its own risk assessment; the reporter's form says "Weet ik niet"
# where the team says "Onbekend".
ASSESSMENT_ANSWERS: dict[str, Promise] = {"ja": _("Ja"), "nee": _("Nee"), "onbekend": _("Onbekend")}
# Codes the platform itself stores, which no region configures.
PLATFORM_LABELS: dict[str, dict[str, Promise]] = {
    CatalogueKind.CLOSING_REASON: {TRANSFERRED: _("overgedragen aan een ander meldpunt")},
}


@dataclass(frozen=True)
class Answer:
    code: str
    question: str
    answer_code: str
    answer: str


@dataclass(frozen=True)
class Labels:
    """Code -> label per catalogue, and the risk instrument's questions as asked. A code
    the configuration no longer holds keeps showing as itself: the case still says it."""

    catalogue: dict[str, dict[str, str]]
    questions: dict[str, str]

    def of(self, kind: CatalogueKind, code: str) -> str:
        if not code:
            return ""
        configured = self.catalogue.get(kind, {}).get(code)
        return configured or str(PLATFORM_LABELS.get(kind, {}).get(code, code))

    def signals(self, codes: list[str]) -> list[str]:
        return [self.of(CatalogueKind.SIGNAL, code) for code in codes]

    def reporter_answers(self, answers: dict[str, str]) -> list[Answer]:
        """A report's answers on a risicotaxatieformulier, as the reporter was asked them."""
        return self._answers(answers, dict(REPORTER_ANSWERS))

    def assessment_answers(self, answers: dict[str, str]) -> list[Answer]:
        """A risk assessment's answers, as the team answered them."""
        return self._answers(answers, ASSESSMENT_ANSWERS)

    def _answers(self, answers: dict[str, str], words: dict) -> list[Answer]:
        # In the instrument's order, then any question it no longer asks.
        order = {code: index for index, code in enumerate(self.questions)}
        return [
            Answer(code, self.questions.get(code, code), answer, str(words.get(answer, answer)))
            for code, answer in sorted(answers.items(), key=lambda a: order.get(a[0], len(order)))
        ]


def region_labels() -> Labels:
    """The current region's labels: two queries once per configuration version (cached)."""
    return built_from_configuration("labels", read_labels)


def read_labels() -> Labels:
    catalogue: dict[str, dict[str, str]] = {}
    for kind, code, name in CatalogueEntry.objects.values_list("catalogue", "code", "name"):
        catalogue.setdefault(kind, {})[code] = name
    questions = dict(RiskQuestion.objects.order_by("position", "id").values_list("code", "text"))
    return Labels(catalogue, questions)
