from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tenants.models import Preset, Region


class OnboardRegionForm(forms.Form):
    name = forms.CharField(
        label=_("Naam van de regio"),
        max_length=120,
        error_messages={"required": _("Vul de naam van de regio in.")},
    )
    slug = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Kleine letters, cijfers en streepjes; wordt ook het begin van het webadres."),
        error_messages={"required": _("Vul een code in, bijvoorbeeld 'utrecht'.")},
    )
    domain = forms.CharField(
        label=_("Domein"),
        max_length=253,
        required=False,
        help_text=_("Laat leeg voor <code>&lt;code&gt;.%(base)s</code>.")
        % {"base": settings.BASE_DOMAIN},
    )
    preset = forms.ChoiceField(
        label=_("Startconfiguratie"), choices=Preset.choices, initial=Preset.BASIS
    )
    admin_email = forms.EmailField(
        label=_("E-mailadres van de eerste regiobeheerder"),
        help_text=_(
            "Deze persoon krijgt een uitnodiging om een wachtwoord en tweestapsverificatie in te stellen."
        ),
        error_messages={
            "required": _("Vul het e-mailadres van de regiobeheerder in."),
            "invalid": _("Vul een geldig e-mailadres in."),
        },
    )


class SuspensionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Wordt versleuteld bewaard op het platform; het logboek verwijst ernaar. De "
            "regiobeheerders krijgen een e-mail zonder de reden."
        ),
        error_messages={
            "required": _("Vul de reden in."),
            "max_length": _("Gebruik ten hoogste %(limit_value)d tekens (nu %(show_value)d)."),
        },
    )


class ContactDetailsForm(forms.Form):
    """The meldpunt's team, telephone and e-mail, as other meldpunten see them."""

    contact_name = forms.CharField(
        label=_("Contact: team of functie"),
        max_length=120,
        required=False,
        help_text=_(
            "Bijvoorbeeld: Meldpunt Loverboyproblematiek, procesregie. Geen naam van een persoon."
        ),
    )
    contact_phone = forms.CharField(label=_("Contact: telefoon"), max_length=30, required=False)
    contact_email = forms.EmailField(
        label=_("Contact: e-mail"),
        max_length=254,
        required=False,
        error_messages={"invalid": _("Vul een geldig e-mailadres in.")},
    )

    @classmethod
    def initial_of(cls, region: Region) -> dict[str, str]:
        return {name: getattr(region, name) for name in cls.base_fields}
