"""The form for an organisation's identity provider (OpenID Connect)."""

import ipaddress
import re
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import IdentityProvider

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
MAX_DOMAINS = 50


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class IdentityProviderForm(forms.ModelForm):
    # A provider's address is https: typed without a scheme, it is read as one instead
    # of as http and then refused below.
    issuer = IdentityProvider._meta.get_field("issuer").formfield(
        assume_scheme="https",
        help_text=gettext_lazy(
            "Het adres van de OpenID Connect-provider (de issuer), bijvoorbeeld "
            "https://login.microsoftonline.com/TENANT-ID/v2.0"
        ),
    )
    client_secret = forms.CharField(
        label=gettext_lazy("Client-secret"),
        max_length=500,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    email_domains = forms.CharField(
        label=gettext_lazy("E-maildomeinen"),
        max_length=2000,
        help_text=gettext_lazy(
            "De domeinen van de e-mailadressen die via deze provider inloggen, gescheiden "
            "door komma's of spaties, bijvoorbeeld: enschede.nl, ggdtwente.nl"
        ),
    )

    class Meta:
        model = IdentityProvider
        fields = ["name", "issuer", "client_id", "client_secret", "email_domains", "mfa_acr"]
        help_texts = {
            "name": gettext_lazy(
                "Zoals medewerkers hun organisatie kennen; het inlogscherm toont "
                "'Inloggen met' en deze naam."
            ),
            "mfa_acr": gettext_lazy(
                "Laat leeg als de provider tweestapsverificatie meldt met amr 'mfa'. "
                "Anders de acr-waarde die tweestapsverificatie betekent. Zonder die "
                "melding vraagt het meldpunt zijn eigen tweede stap."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["email_domains"] = ", ".join(self.instance.email_domains)
            self.fields["client_secret"].help_text = _(
                "Laat leeg om het opgeslagen secret te houden. Het wordt versleuteld "
                "bewaard en nooit getoond."
            )
        else:
            self.fields["client_secret"].required = True
            self.fields["client_secret"].help_text = _(
                "Wordt versleuteld bewaard en daarna nooit meer getoond."
            )

    def clean_client_secret(self) -> str:
        # Left empty on a change: the stored secret stays.
        return self.cleaned_data["client_secret"] or self.instance.client_secret

    def clean_issuer(self) -> str:
        issuer = self.cleaned_data["issuer"].rstrip("/")
        parts = urlsplit(issuer)
        if parts.scheme != "https" and not is_loopback(parts.hostname or ""):
            raise ValidationError(_("Gebruik een https-adres."))
        if parts.query or parts.fragment:
            raise ValidationError(_("Geef het adres zonder ? of #."))
        return issuer

    def clean_email_domains(self) -> list[str]:
        domains = [
            domain.strip().lower().lstrip("@")
            for domain in re.split(r"[\s,;]+", self.cleaned_data["email_domains"])
            if domain.strip()
        ]
        if not domains:
            raise ValidationError(_("Geef ten minste één domein."))
        if len(domains) > MAX_DOMAINS:
            raise ValidationError(_("Geef hoogstens %(count)d domeinen.") % {"count": MAX_DOMAINS})
        wrong = [domain for domain in domains if not DOMAIN.match(domain)]
        if wrong:
            raise ValidationError(
                _("Dit is geen domeinnaam: %(domains)s") % {"domains": ", ".join(wrong)}
            )
        return sorted(set(domains))
