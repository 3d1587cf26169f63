"""The request for a yearly report on the statistics pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AnnualReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Jaar"), coerce=int)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(year, year) for year in range(this_year, this_year - 6, -1)]
        self.fields["year"].initial = this_year - 1
