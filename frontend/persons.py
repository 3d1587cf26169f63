"""The people a report is about, as one block per person: shared by the public report
form and the staff intake."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflow.models import PersonRole
from workflow.services.reports import PersonData


class PersonForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Deze persoon is"), choices=PersonRole.choices, initial=PersonRole.VICTIM
    )
    name = forms.CharField(label=_("Naam"), max_length=150, required=False)
    age = forms.IntegerField(label=_("Leeftijd"), min_value=0, max_value=120, required=False)
    birth_year = forms.IntegerField(
        label=_("Geboortejaar"), min_value=1900, max_value=2100, required=False
    )
    gender = forms.CharField(label=_("Gender"), max_length=20, required=False)
    municipality = forms.CharField(
        label=_("Woonplaats of gemeente"), max_length=100, required=False
    )
    school = forms.CharField(label=_("School of instelling"), max_length=200, required=False)

    def has_changed(self) -> bool:
        # Only the role has a default: a block with nothing else filled in is no person.
        return any(name != "role" for name in self.changed_data)

    def person_data(self) -> PersonData:
        return PersonData(**self.cleaned_data)


PersonFormSet = forms.formset_factory(PersonForm, extra=2, max_num=5)
