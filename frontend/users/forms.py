"""Forms of the regional user administration."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role


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
