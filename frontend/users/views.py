"""The regiobeheerder's user administration: the list, inviting, and changing roles."""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import services as account_services
from accounts.models import User
from accounts.policy import Action, require
from frontend.users.forms import EditRolesForm, InviteUserForm


def users_with_mfa_flag():
    has_totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return User.objects.annotate(has_mfa=Exists(has_totp)).prefetch_related("roles")


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.MANAGE_USERS)
    return render(request, "users/list.html", {"users": users_with_mfa_flag()})


@login_required
@require_http_methods(["GET", "POST"])
def user_invite(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.MANAGE_USERS)
    form = InviteUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = account_services.invite_user(
                form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role_codes=[role.code for role in form.cleaned_data["roles"]],
                invited_by=request.user,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            account_services.send_invitation(
                user,
                domain=account_services.configured_domain(),
                organisation=request.tenant.name,
            )
            messages.success(
                request, _("Uitnodiging verstuurd naar %(email)s.") % {"email": user.email}
            )
            return redirect("users:list")
    status = 400 if form.errors else 200
    context = {"form": form, "cancel_url": reverse("users:list")}
    return render(request, "users/invite.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.MANAGE_USERS)
    account = get_object_or_404(users_with_mfa_flag(), pk=pk)
    form = EditRolesForm(request.POST or None, initial={"roles": account.roles.all()})
    if request.method == "POST":
        if "deactivate" in request.POST:
            try:
                account_services.deactivate_user(account, changed_by=request.user)
            except ValidationError as error:
                messages.error(request, error.messages[0])
                return redirect("users:edit", pk=account.pk)
            messages.success(
                request, _("Account van %(email)s is uitgeschakeld.") % {"email": account.email}
            )
            return redirect("users:list")
        if form.is_valid():
            account_services.set_roles(
                account, [role.code for role in form.cleaned_data["roles"]], changed_by=request.user
            )
            messages.success(
                request, _("Rollen van %(email)s opgeslagen.") % {"email": account.email}
            )
            return redirect("users:list")
    status = 400 if form.errors else 200
    return render(request, "users/edit.html", {"form": form, "account": account}, status=status)
