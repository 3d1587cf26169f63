"""The policy module: who may do what, on the platform and in a region."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection
from django.test import override_settings
from django_tenants.utils import tenant_context

from accounts.models import User
from accounts.policy import Action, Role, allowed_actions, may
from accounts.services import invite_user


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reaches_the_dashboard_but_only_the_regional_admin_manages_users(
    twente, make_user, role
):
    user = make_user(twente, role)
    with tenant_context(twente):
        assert may(user, Action.VIEW_DASHBOARD)
        assert may(user, Action.MANAGE_USERS) == (role == Role.REGIOBEHEERDER)
        assert not may(user, Action.MANAGE_REGIONS)


def test_a_user_without_roles_or_mfa_may_do_nothing(twente, make_user):
    no_role = make_user(twente)
    no_mfa = make_user(twente, "regiobeheerder", mfa=False)
    with tenant_context(twente):
        assert not may(no_role, Action.VIEW_DASHBOARD)
        assert not may(no_mfa, Action.VIEW_DASHBOARD)
        assert not may(no_mfa, Action.MANAGE_USERS)


def test_a_national_admin_manages_regions_and_sees_nothing_of_a_region(db):
    connection.set_schema_to_public()
    admin = invite_user("landelijk@platform.test", is_national_admin=True)
    User.objects.filter(pk=admin.pk).update(is_demo=True)
    admin.refresh_from_db()
    with override_settings(DEBUG=True, DEMO_MODE=True):
        assert may(admin, Action.MANAGE_REGIONS)
        assert not may(admin, Action.VIEW_DASHBOARD)
        assert not may(admin, Action.MANAGE_USERS)


def test_the_api_is_a_national_admin_s_on_the_platform_and_a_region_user_s_in_the_region(
    national_client, twente, make_user
):
    """Action.USE_API is both a national and a region action: each on their own domain,
    nobody else's, and a platform account without national rights gets nothing."""
    admin = national_client.user
    plain = invite_user("geen-beheerder@platform.test")
    TOTP.activate(plain, pyotp.random_base32())
    medewerker = make_user(twente, "medewerker")
    assert may(admin, Action.USE_API)
    assert not may(plain, Action.USE_API)
    # Each domain asked with its own copy of the other's account (second factor set up),
    # as a request would bring it: the policy remembers that factor on the object.
    region_user_on_platform = User(pk=medewerker.pk, email=medewerker.email)
    region_user_on_platform._mfa_satisfied = True
    assert not may(region_user_on_platform, Action.USE_API)
    with tenant_context(twente):
        assert may(medewerker, Action.USE_API)
        national_in_region = User(pk=admin.pk, email=admin.email, is_national_admin=True)
        national_in_region._mfa_satisfied = True
        national_in_region._role_codes = frozenset({Role.MEDEWERKER})
        assert not may(national_in_region, Action.USE_API)
        assert not may(national_in_region, Action.MANAGE_REGIONS)


@pytest.mark.parametrize(
    "roles", [(), ("medewerker",), ("regiobeheerder", "analist"), ("partnercontact",)]
)
@pytest.mark.parametrize("mfa", [True, False])
def test_the_menu_s_actions_are_those_may_allows_one_by_one(twente, make_user, roles, mfa):
    user = make_user(twente, *roles, mfa=mfa)
    with tenant_context(twente):
        assert allowed_actions(user, list(Action)) == {a for a in Action if may(user, a)}
    connection.set_schema_to_public()
    assert allowed_actions(user, list(Action)) == {a for a in Action if may(user, a)}
