"""The regiobeheerder's user administration: the list, inviting, changing roles, and
confirming the role grants that need a second administrator."""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services as account_services
from accounts.decorators import allowed
from accounts.models import RoleGrant, User
from accounts.policy import (
    Action,
    confirmers_of,
    may_change_roles_of,
    may_decide_role_grant,
)
from frontend.users.forms import EditRolesForm, InviteUserForm

RECENT_DECISIONS = 20


def users_with_mfa_flag():
    has_totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    open_grants = RoleGrant.objects.filter(status=RoleGrant.Status.OPEN).select_related("role")
    return User.objects.annotate(has_mfa=Exists(has_totp)).prefetch_related(
        "roles", Prefetch("role_grants", queryset=open_grants, to_attr="open_grants")
    )


def awaiting_message(email: str, role_names: list[str]) -> str:
    return _(
        "De rol %(roles)s van %(email)s geldt pas als een tweede regiobeheerder haar bevestigt."
    ) % {"roles": ", ".join(role_names), "email": email}


@allowed(Action.MANAGE_USERS)
def user_list(request: HttpRequest) -> HttpResponse:
    context = {
        "users": users_with_mfa_flag(),
        "open_grant_count": RoleGrant.objects.filter(status=RoleGrant.Status.OPEN).count(),
    }
    return render(request, "users/list.html", context)


@allowed(Action.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def user_invite(request: HttpRequest) -> HttpResponse:
    form = InviteUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = account_services.invite_user(
                form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role_codes=[role.code for role in form.cleaned_data["roles"]],
                invited_by=request.user,
                invitation_from=request.tenant.name,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request, _("Uitnodiging verstuurd naar %(email)s.") % {"email": user.email}
            )
            awaiting = [grant.role.name for grant in user.role_grants.select_related("role")]
            if awaiting:
                messages.info(request, awaiting_message(user.email, awaiting))
            return redirect("users:list")
    status = 400 if form.errors else 200
    context = {"form": form, "cancel_url": reverse("users:list")}
    return render(request, "users/invite.html", context, status=status)


@allowed(Action.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
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
            awaiting = account_services.change_roles(
                account, [role.code for role in form.cleaned_data["roles"]], changed_by=request.user
            )
            messages.success(
                request, _("Rollen van %(email)s opgeslagen.") % {"email": account.email}
            )
            if awaiting:
                names = [role.name for role in form.cleaned_data["roles"] if role.code in awaiting]
                messages.info(request, awaiting_message(account.email, names))
            return redirect("users:list")
    context = {
        "form": form,
        "account": account,
        "may_change_roles": may_change_roles_of(request.user, account),
    }
    return render(request, "users/edit.html", context, status=400 if form.errors else 200)


@allowed(Action.MANAGE_USERS)
def grant_list(request: HttpRequest) -> HttpResponse:
    grants = RoleGrant.objects.select_related("account", "role", "requested_by", "decided_by")
    open_grants = [
        {
            "grant": grant,
            "may_confirm": may_decide_role_grant(request.user, grant, confirm=True),
            "national_admin_confirms": not confirmers_of(grant).exists(),
        }
        for grant in grants.filter(status=RoleGrant.Status.OPEN)
    ]
    decided = grants.exclude(status=RoleGrant.Status.OPEN).order_by("-decided_at")
    context = {"open_grants": open_grants, "decided": decided[:RECENT_DECISIONS]}
    return render(request, "users/grants.html", context)


@allowed(Action.MANAGE_USERS)
@require_POST
def grant_decision(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(RoleGrant.objects.select_related("account", "role"), pk=pk)
    decision = request.POST.get("besluit")
    if decision not in {"bevestigen", "intrekken"}:
        raise BadRequest("unknown decision")
    decide = (
        account_services.confirm_role_grant
        if decision == "bevestigen"
        else account_services.withdraw_role_grant
    )
    try:
        decide(grant, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if decision == "bevestigen":
            done = _("%(email)s heeft nu de rol %(role)s.")
        else:
            done = _("De aanvraag van de rol %(role)s voor %(email)s is ingetrokken.")
        messages.success(request, done % {"email": grant.account.email, "role": grant.role.name})
    return redirect("users:grants")
