"""The policy module: who may do what, on the platform and in a region."""

import pytest
from django.db import connection
from django.test import override_settings
from django_tenants.utils import tenant_context

from accounts.models import User
from accounts.policy import Action, Role, may
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


def test_a_deactivated_user_may_do_nothing(twente, make_user):
    user = make_user(twente, "regiobeheerder")
    user.is_active = False
    with tenant_context(twente):
        assert not may(user, Action.VIEW_DASHBOARD)


def test_the_privacy_officer_reads_the_log_but_no_case(twente, make_user):
    officer = make_user(twente, Role.PRIVACY_OFFICER)
    admin = make_user(twente, Role.REGIOBEHEERDER)
    with tenant_context(twente):
        assert may(officer, Action.READ_AUDIT_LOG) and may(officer, Action.GIVE_ACCESS_OVERVIEW)
        assert not may(officer, Action.VIEW_CASES) and not may(officer, Action.VIEW_CASE)
        assert not may(officer, Action.CONFIGURE_RETENTION)
        assert may(admin, Action.CONFIGURE_RETENTION) and may(admin, Action.MANAGE_LEGAL_HOLD)
        assert not may(admin, Action.READ_AUDIT_LOG)
