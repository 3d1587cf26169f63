"""The choice a statistics page or the API counts over (period, grouping in time,
municipality), with its bounds, checked alike for both."""

from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from statistiek.figures import GRAIN_CHOICES, Selection, default_selection, region_municipalities

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_DAYS = 10 * 366
MAX_MONTHS = 60


# Dates the figures can count in: far outside them the period's bounds overflow.
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)
IN_RANGE = [
    MinValueValidator(EARLIEST, _("Kies een datum tussen 1900 en 2100.")),
    MaxValueValidator(LATEST, _("Kies een datum tussen 1900 en 2100.")),
]


class SelectionForm(forms.Form):
    van = forms.DateField(label=_("Vanaf"), widget=DATE, validators=IN_RANGE)
    tot_en_met = forms.DateField(label=_("Tot en met"), widget=DATE, validators=IN_RANGE)
    indeling = forms.ChoiceField(label=_("Indeling in de tijd"), choices=GRAIN_CHOICES)
    gemeente = forms.ChoiceField(label=_("Gemeente"), required=False)

    def __init__(self, data=None) -> None:
        default = default_selection()
        initial = {"van": default.start, "tot_en_met": default.end, "indeling": default.grain}
        # Without a filter yet, the default period: the form is bound to it.
        super().__init__(data if data and "van" in data else None, initial=initial)
        self.fields["gemeente"].choices = [("", _("de hele regio")), *region_municipalities()]

    def selection(self) -> Selection | None:
        """The chosen selection, the default one when nothing was chosen, None if invalid."""
        if not self.is_bound:
            return default_selection()
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return Selection(data["van"], data["tot_en_met"], data["indeling"], data["gemeente"])

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("van"), data.get("tot_en_met")
        if start and end:
            if end < start:
                self.add_error("tot_en_met", _("Kies een einddatum op of na de begindatum."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("van", _("Kies een periode van hoogstens tien jaar."))
            elif data.get("indeling") == "maand" and months(start, end) > MAX_MONTHS:
                self.add_error(
                    "indeling",
                    _("Kies per kwartaal of per jaar voor een periode van meer dan vijf jaar."),
                )
        return data


def months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1
