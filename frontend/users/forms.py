"""Forms of the regional user administration, and of one's own API tokens."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.services import (
    API_TOKEN_DEFAULT_LIFETIME,
    API_TOKEN_MAX_LIFETIME,
    API_TOKEN_NAME_MAX_LENGTH,
)


class RolesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Role) -> str:
        return obj.name


class InviteUserForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        error_messages={
            "required": _("Vul het e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in."),
        },
    )
    full_name = forms.CharField(label=_("Naam"), max_length=150, required=False)
    roles = RolesField(
        queryset=Role.objects.all(),
        label=_("Rollen"),
        error_messages={"required": _("Kies minstens één rol.")},
    )


class EditRolesForm(forms.Form):
    roles = RolesField(
        queryset=Role.objects.all(),
        label=_("Rollen"),
        error_messages={"required": _("Kies minstens één rol.")},
    )


class ApiTokenForm(forms.Form):
    """A new personal API token: a name and the day it expires. The rules (a name, at
    most a year) are the service's; its errors name these fields."""

    name = forms.CharField(
        label=_("Naam"),
        max_length=API_TOKEN_NAME_MAX_LENGTH,
        help_text=_("Waarvoor gebruikt u de sleutel? Bijvoorbeeld: koppeling registratiesysteem."),
        error_messages={"required": _("Geef de API-sleutel een naam.")},
    )
    expires_at = forms.DateField(
        label=_("Verloopt op"),
        help_text=_("De sleutel werkt tot deze dag, hoogstens een jaar."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Kies de dag waarop de sleutel verloopt."),
            "invalid": _("Vul een geldige datum in."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["expires_at"].initial = today + API_TOKEN_DEFAULT_LIFETIME
        self.fields["expires_at"].widget.attrs.update(
            min=(today + timedelta(days=1)).isoformat(),
            max=(today + API_TOKEN_MAX_LIFETIME).isoformat(),
        )

    def expiry(self) -> datetime:
        """The chosen day's start, in the region's time zone: the key works until then."""
        return timezone.make_aware(datetime.combine(self.cleaned_data["expires_at"], time.min))
