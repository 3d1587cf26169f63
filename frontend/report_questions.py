"""The questions a report form of the region asks beside the report itself (its warning
signs and risk questions, as workflow.intake decides per form kind), for every form that
takes a report: the public form, the partner portal's and the staff intake."""

from django import forms

from configuratie.models import CatalogueEntry
from workflow import intake


class ReportQuestions:
    """Mixin for a forms.Form that declares a `signals` MultipleChoiceField: gives it
    the choices of the region's form `offered`, adds that form's risk questions, and
    shows the intake rules' refusal at the fields it names."""

    fields: dict[str, forms.Field]
    cleaned_data: dict

    def ask_questions_of(self, offered: CatalogueEntry) -> None:
        self.form_code = offered.code
        self.fields["signals"].choices = intake.signal_choices(offered)
        self.fields["signals"].error_messages["invalid_choice"] = intake.UNKNOWN_SIGNAL
        if not self.fields["signals"].choices:
            del self.fields["signals"]
        self.risk_questions = intake.risk_questions(offered)
        for question in self.risk_questions:
            self.fields[f"risk_{question.code}"] = forms.ChoiceField(
                label=question.text,
                choices=intake.ANSWERS,
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": intake.UNKNOWN_ANSWER},
            )

    def show_refusal(self, refused: intake.IntakeRefused) -> None:
        """The intake rules' refusal at the fields it names (the risk questions' answers
        and the form, which are no field here, above the form)."""
        for field, messages in refused.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)

    def signals_named(self) -> list[str]:
        return self.cleaned_data.get("signals", [])

    def risk_answers(self) -> dict[str, str]:
        return {
            q.code: self.cleaned_data[f"risk_{q.code}"]
            for q in self.risk_questions
            if self.cleaned_data.get(f"risk_{q.code}")
        }
