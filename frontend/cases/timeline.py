"""A case's timeline on its page: everything that happened to it, oldest first, with a
translated title per event, made from the file the audited read returned."""

from dataclasses import dataclass
from datetime import datetime

from django.template.defaultfilters import linebreaksbr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from configuratie.models import CatalogueKind
from frontend.cases.dates import short_date_time
from frontend.cases.shown_reports import shown_choice
from workflow.labels import Labels
from workflow.models import ReporterMessage
from workflow.selectors import CaseFile


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    text: str
    by: str

    def html(self) -> SafeString:
        """The entry on the page, written here: template nodes per entry cost more."""
        by = f" · {escape(self.by)}" if self.by else ""
        text = (
            f'<p class="utrecht-paragraph">{linebreaksbr(self.text, autoescape=True)}</p>'
            if self.text
            else ""
        )
        at = short_date_time(self.at)
        return mark_safe(  # noqa: S308 # nosec B308 B703 - every text above is escaped
            f'<li><p class="utrecht-paragraph"><strong>{at}</strong> · {escape(self.title)}{by}'
            f"</p>{text}</li>"
        )


def timeline(case_file: CaseFile, labels: Labels) -> list[TimelineEntry]:
    """Everything that happened, oldest first, made from what was read, in the region's
    words for the codes a report stores."""
    entries: list[TimelineEntry] = []

    def add(at, title, text="", by=None):
        entries.append(TimelineEntry(at, str(title), text or "", str(by) if by else ""))

    for step in case_file.transitions:
        title = (
            _("Naar stap '%(step)s'") % {"step": step.to_step.name}
            if step.from_step_id
            else _("Casus geopend")
        )
        add(step.at, title, step.reason, step.by)
    for report in case_file.reports:
        add(
            report.submitted_at,
            _("Melding %(code)s ontvangen") % {"code": report.follow_code},
            _("%(form)s, via %(channel)s")
            % {
                "form": labels.of(CatalogueKind.REPORT_FORM, report.form_code)
                or _("geen formulier"),
                "channel": labels.of(CatalogueKind.CHANNEL, report.channel),
            },
            report.recorded_by,
        )
    for o in case_file.outcomes:
        add(
            o.recorded_at,
            _("Screeningsuitkomst: %(o)s") % {"o": shown_choice(o, "outcome")},
            o.advice,
            o.recorded_by,
        )
    for entry in case_file.journal:
        add(
            entry.recorded_at,
            shown_choice(entry, "kind").capitalize(),
            entry.text,
            entry.recorded_by,
        )
    for r in case_file.information_requests:
        add(
            r.recorded_at,
            _("Informatieverzoek aan %(p)s") % {"p": r.partner},
            r.question,
            r.recorded_by,
        )
        if r.answered_at:
            add(
                r.answered_at,
                _("Antwoord van %(p)s") % {"p": r.partner},
                r.answer,
                r.answered_by,
            )
        elif r.closed_at:
            add(
                r.closed_at,
                _("Informatieverzoek aan %(p)s gesloten") % {"p": r.partner},
                r.close_reason,
            )
    for a in case_file.risk_assessments:
        add(
            a.recorded_at,
            _("Risicotaxatie: %(level)s (score %(score)d)") % {"level": a.level, "score": a.score},
            a.deviation_reason,
            a.recorded_by,
        )
    for item in case_file.agenda_items:
        if item.discussed_at:
            add(
                item.discussed_at,
                _("Besproken in %(meeting)s") % {"meeting": item.meeting},
                item.minutes,
                item.discussed_by,
            )
    for plan in case_file.plans:
        add(
            plan.recorded_at,
            _("Plan van aanpak, versie %(v)d") % {"v": plan.version},
            plan.revision_reason or plan.goals,
            plan.recorded_by,
        )
    for referral in case_file.referrals:
        add(
            referral.recorded_at,
            _("Doorverwijzing naar %(p)s") % {"p": referral.partner},
            referral.notes,
            referral.recorded_by,
        )
        if referral.decided_at:
            add(
                referral.decided_at,
                _("%(p)s: doorverwijzing %(status)s")
                % {"p": referral.partner, "status": shown_choice(referral, "status")},
                referral.decline_reason,
                referral.decided_by,
            )
    for given in case_file.consents:
        add(
            given.recorded_at,
            _("Toestemming vastgelegd: %(purpose)s") % {"purpose": shown_choice(given, "purpose")},
            given.scope,
            given.recorded_by,
        )
    for evaluation in case_file.evaluations:
        add(evaluation.recorded_at, _("Evaluatie"), "", evaluation.recorded_by)
    for document in case_file.documents:
        add(
            document.recorded_at,
            _("Document toegevoegd: %(t)s") % {"t": document.title},
            "",
            document.recorded_by,
        )
    for message in case_file.messages:
        question = message.direction == ReporterMessage.Direction.QUESTION
        title = (
            _("Vraag aan de melder van %(code)s")
            if question
            else _("Bericht van de melder van %(code)s")
        )
        add(
            message.sent_at,
            title % {"code": message.report.follow_code},
            message.text,
            message.sent_by or _("melder"),
        )
    for given in case_file.feedback:
        add(
            given.recorded_at,
            _("Terugkoppeling aan de melder van %(code)s") % {"code": given.report.follow_code},
            given.text,
            given.recorded_by,
        )
    return sorted(entries, key=lambda entry: entry.at)
