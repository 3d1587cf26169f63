"""The people a report is about, as one block per person: shared by the public report
form and the staff intake."""

from django import forms
from django.core.cache import cache
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from configuratie.gemeenten import municipalities
from configuratie.models import RegionMunicipality
from configuratie.version import configuration_version
from workflow.models import Gender, PersonRole
from workflow.services.reports import PersonData


def municipality_options() -> list:
    """The region's own municipalities first, then every other one (a person can live
    outside the region); the region's list is its configuration."""
    own = [row.code for row in RegionMunicipality.objects.all()]
    everything = municipalities()
    own_choices = sorted(((code, everything[code]) for code in own), key=lambda c: c[1])
    others = [(code, name) for code, name in everything.items() if code not in own]
    if not own_choices:
        return [("", _("— onbekend —")), *others]
    return [
        ("", _("— onbekend —")),
        (_("Gemeenten in de regio"), own_choices),
        (_("Andere gemeenten"), others),
    ]


def options_html(choices: list) -> SafeString:
    """The `<option>`s (in their `<optgroup>`s) of `choices`, none selected."""

    def options(pairs) -> SafeString:
        return format_html_join("", '<option value="{}">{}</option>', pairs)

    return format_html_join(
        "",
        "{}",
        (
            (
                format_html('<optgroup label="{}">{}</optgroup>', value, options(label))
                if isinstance(label, list | tuple)
                else options([(value, label)]),
            )
            for value, label in choices
        ),
    )


class MunicipalitySelect(forms.Select):
    """The municipality list (some 350 options, per person block) rendered once per
    region, language and configuration version and cached; a request only marks the
    chosen option. Django's own rendering of these options cost three quarters of the
    public form's CPU."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        key = f"gemeentekeuze:{configuration_version()}:{get_language()}"
        options = cache.get(key)
        if options is None:
            options = str(options_html(municipality_options()))
            cache.set(key, options, 24 * 3600)
        chosen = self.format_value(value)
        if chosen:
            plain = format_html('<option value="{}">', chosen[0])
            options = options.replace(plain, f"{plain[:-1]} selected>", 1)
        final_attrs = self.build_attrs(self.attrs, attrs)
        # Made by options_html, which escapes every text; only the chosen value is added.
        options = mark_safe(options)  # noqa: S308 # nosec B308 B703
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)


class PersonForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Deze persoon is"), choices=PersonRole.choices, initial=PersonRole.VICTIM
    )
    name = forms.CharField(label=_("Naam"), max_length=150, required=False)
    age = forms.IntegerField(label=_("Leeftijd"), min_value=0, max_value=120, required=False)
    birth_year = forms.IntegerField(
        label=_("Geboortejaar"), min_value=1900, max_value=2100, required=False
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    municipality = forms.ChoiceField(
        label=_("Gemeente waar deze persoon woont"),
        choices=municipality_options,
        widget=MunicipalitySelect,
        required=False,
        help_text=_(
            "Woont de persoon in een dorp of wijk, kies dan de gemeente waar die bij hoort."
        ),
    )
    school = forms.CharField(label=_("School of instelling"), max_length=200, required=False)

    def has_changed(self) -> bool:
        # Only the role has a default: a block with nothing else filled in is no person.
        return any(name != "role" for name in self.changed_data)

    def person_data(self) -> PersonData:
        return PersonData(**self.cleaned_data)


class PersonBlocks(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": ngettext_lazy(
            "Geef hoogstens %(num)d persoon op.", "Geef hoogstens %(num)d personen op.", "num"
        )
    }


# absolute_max: forms past the maximum are never built, whatever TOTAL_FORMS claims.
PersonFormSet = forms.formset_factory(
    PersonForm, formset=PersonBlocks, extra=2, max_num=5, absolute_max=5, validate_max=True
)
