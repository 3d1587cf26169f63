"""Separation of duties: nobody changes their own roles, a role that reads cases needs
a second administrator (or the national administrator where there is none), and every
grant is announced to the region's other administrators."""

import pytest
from django.conf import settings
from django.urls import reverse
from django_tenants.utils import schema_context, tenant_context

from accounts.models import Role, RoleGrant, User
from audit.models import AuditAction, AuditEntry
from meldpunt.models import OutboxMessage
from national.models import OpenRoleGrant

ONBOARDED_ADMIN = "regiobeheerder@{slug}.test"


def national_url(name: str, *args) -> str:
    return reverse(name, args=args, urlconf=settings.PUBLIC_SCHEMA_URLCONF)


def role_pk(region, code: str) -> str:
    with tenant_context(region):
        return str(Role.objects.get(code=code).pk)


def roles_of(region, user: User) -> set[str]:
    with tenant_context(region):
        return set(User.objects.get(pk=user.pk).roles.values_list("code", flat=True))


def open_grant(region, user: User) -> RoleGrant:
    with tenant_context(region):
        return RoleGrant.objects.get(account_id=user.pk, status=RoleGrant.Status.OPEN)


def only_one_administrator(region) -> None:
    """The onboarding's administrator leaves: the test's own is the region's only one."""
    with tenant_context(region):
        User.objects.filter(email=ONBOARDED_ADMIN.format(slug=region.slug)).update(is_active=False)


def test_an_administrator_cannot_give_itself_a_role_and_the_attempt_is_logged(twente, logged_in):
    admin = logged_in(twente, "regiobeheerder")
    page = admin.get(reverse("users:edit", args=[admin.user.pk])).content.decode()
    assert "Rollen opslaan" not in page and "Dit is uw eigen account." in page
    response = admin.post(
        reverse("users:edit", args=[admin.user.pk]),
        {"roles": [role_pk(twente, "regiobeheerder"), role_pk(twente, "medewerker")]},
    )
    assert response.status_code == 403
    assert roles_of(twente, admin.user) == {"regiobeheerder"}
    with tenant_context(twente):
        refused = AuditEntry.objects.get(
            object_id=str(admin.user.pk), detail__geweigerd__isnull=False
        )
        assert refused.detail["geweigerd"] == "eigen rollen"
        assert refused.user_id == admin.user.pk and refused.action == AuditAction.CHANGE
        assert not RoleGrant.objects.filter(account_id=admin.user.pk).exists()


def test_a_case_reading_role_waits_for_a_second_administrator_who_is_told_with_a_link_only(
    twente, logged_in, make_user
):
    admin = logged_in(twente, "regiobeheerder")
    colleague = make_user(twente, "analist", email="collega@twente.test")
    response = admin.post(
        reverse("users:edit", args=[colleague.pk]),
        {"roles": [role_pk(twente, "analist"), role_pk(twente, "medewerker")]},
    )
    assert response.status_code == 302
    assert roles_of(twente, colleague) == {"analist"}  # not yet
    grant = open_grant(twente, colleague)
    assert OpenRoleGrant.objects.filter(
        region=twente, grant_id=grant.pk, role_code="medewerker"
    ).exists()
    with tenant_context(twente):
        (announcement,) = OutboxMessage.objects.all()
    assert announcement.to == ONBOARDED_ADMIN.format(slug="twente")
    assert "http://twente.localhost:8000/gebruikers/roltoekenningen/" in announcement.body
    assert "collega@twente.test" not in announcement.body and "Medewerker" not in announcement.body

    listing = admin.get(reverse("users:grants")).content.decode()
    assert "collega@twente.test" in listing and "Een andere regiobeheerder bevestigt." in listing
    assert "Bevestigen" not in listing  # not for the one who asked


def test_the_asker_and_the_account_cannot_confirm_a_second_administrator_can(
    twente, logged_in, client_for, make_user
):
    admin = logged_in(twente, "regiobeheerder")
    second = logged_in(twente, "regiobeheerder")
    colleague = make_user(twente, "analist")
    admin.post(
        reverse("users:edit", args=[colleague.pk]), {"roles": [role_pk(twente, "procesregisseur")]}
    )
    grant = open_grant(twente, colleague)
    decide = reverse("users:grant_decision", args=[grant.pk])

    assert admin.post(decide, {"besluit": "bevestigen"}).status_code == 403
    assert roles_of(twente, colleague) == set()  # analist went at once, procesregisseur waits
    with tenant_context(twente):
        assert AuditEntry.objects.filter(
            user_id=admin.user.pk, detail__geweigerd="roltoekenning bevestigd"
        ).exists()
        OutboxMessage.objects.all().delete()

    assert second.post(decide, {"besluit": "bevestigen"}).status_code == 302
    assert roles_of(twente, colleague) == {"procesregisseur"}
    assert not OpenRoleGrant.objects.filter(region=twente, grant_id=grant.pk).exists()
    with tenant_context(twente):
        grant.refresh_from_db()
        assert grant.status == RoleGrant.Status.CONFIRMED and grant.decided_by_id == second.user.pk
        told = set(OutboxMessage.objects.values_list("to", flat=True))
        assert told == {admin.user.email, ONBOARDED_ADMIN.format(slug="twente")}
        assert AuditEntry.objects.filter(
            user_id=second.user.pk, detail__besluit="bevestigd", object_id=str(colleague.pk)
        ).exists()
    assert second.post(decide, {"besluit": "bevestigen"}).status_code == 302  # decided: a message
    assert "al besloten" in second.get(reverse("users:grants")).content.decode()


def test_an_administrator_cannot_confirm_its_own_grant(twente, logged_in):
    admin = logged_in(twente, "regiobeheerder")
    other = logged_in(twente, "regiobeheerder")
    admin.post(
        reverse("users:edit", args=[other.user.pk]),
        {"roles": [role_pk(twente, "regiobeheerder"), role_pk(twente, "medewerker")]},
    )
    grant = open_grant(twente, other.user)
    assert (
        other.post(
            reverse("users:grant_decision", args=[grant.pk]), {"besluit": "bevestigen"}
        ).status_code
        == 403
    )
    assert roles_of(twente, other.user) == {"regiobeheerder"}


def test_a_role_that_reads_no_cases_takes_effect_at_once_and_is_announced(
    twente, logged_in, make_user
):
    admin = logged_in(twente, "regiobeheerder")
    colleague = make_user(twente, "medewerker")
    admin.post(reverse("users:edit", args=[colleague.pk]), {"roles": [role_pk(twente, "analist")]})
    assert roles_of(twente, colleague) == {"analist"}  # and medewerker taken away at once
    with tenant_context(twente):
        assert list(OutboxMessage.objects.values_list("to", flat=True)) == [
            ONBOARDED_ADMIN.format(slug="twente")
        ]


def test_an_invitation_with_a_case_reading_role_waits_for_confirmation(twente, logged_in):
    admin = logged_in(twente, "regiobeheerder")
    response = admin.post(
        reverse("users:invite"),
        {
            "email": "nieuw@twente.test",
            "roles": [role_pk(twente, "medewerker"), role_pk(twente, "analist")],
        },
    )
    assert response.status_code == 302
    with tenant_context(twente):
        newcomer = User.objects.get(email="nieuw@twente.test")
        assert set(newcomer.role_codes()) == {"analist"}
        assert RoleGrant.objects.get(account=newcomer).role.code == "medewerker"


def test_the_national_administrator_confirms_where_the_region_has_one_administrator(
    limburg, logged_in, make_user, national_client
):
    only_one_administrator(limburg)
    admin = logged_in(limburg, "regiobeheerder")
    colleague = make_user(limburg, "analist", email="alleen@limburg.test")
    admin.post(
        reverse("users:edit", args=[colleague.pk]), {"roles": [role_pk(limburg, "medewerker")]}
    )
    grant = open_grant(limburg, colleague)
    listing = admin.get(reverse("users:grants")).content.decode()
    assert "De landelijk beheerder bevestigt" in listing

    entry = OpenRoleGrant.objects.get(region=limburg, grant_id=grant.pk)
    platform_list = national_client.get(national_url("national:grants"))
    assert (
        platform_list.status_code == 200
        and "Medewerker meldpunt in Limburg" in platform_list.content.decode()
    )
    assert "alleen@limburg.test" not in platform_list.content.decode()  # only when opened
    detail = national_client.get(national_url("national:grant", entry.pk))
    assert (
        "alleen@limburg.test" in detail.content.decode() and "Bevestigen" in detail.content.decode()
    )

    response = national_client.post(
        national_url("national:grant", entry.pk), {"besluit": "bevestigen"}
    )
    assert response.status_code == 302
    assert roles_of(limburg, colleague) == {"medewerker"}
    assert not OpenRoleGrant.objects.filter(pk=entry.pk).exists()
    with tenant_context(limburg):
        grant.refresh_from_db()
        assert grant.decided_by_national_admin == national_client.user.email
        line = AuditEntry.objects.get(detail__besluit="bevestigd", object_id=str(colleague.pk))
        assert line.role == "landelijk beheerder" and line.user_email == national_client.user.email
        assert list(
            OutboxMessage.objects.filter(subject__startswith="Er is een rol").values_list(
                "to", flat=True
            )
        ) == [admin.user.email]
    with schema_context("public"):
        assert AuditEntry.objects.filter(
            detail__roltoekenning=grant.pk, detail__besluit="bevestigd"
        ).exists()


def test_the_national_administrator_cannot_confirm_where_a_second_administrator_exists(
    twente, logged_in, make_user, national_client
):
    admin = logged_in(twente, "regiobeheerder")  # beside the onboarding's administrator
    colleague = make_user(twente, "analist")
    admin.post(
        reverse("users:edit", args=[colleague.pk]), {"roles": [role_pk(twente, "medewerker")]}
    )
    entry = OpenRoleGrant.objects.get(region=twente)
    detail = national_client.get(national_url("national:grant", entry.pk)).content.decode()
    assert (
        "Deze regio heeft een tweede regiobeheerder" in detail
        and 'value="bevestigen"' not in detail
    )
    response = national_client.post(
        national_url("national:grant", entry.pk), {"besluit": "bevestigen"}
    )
    assert response.status_code == 403
    assert roles_of(twente, colleague) == set()
    with tenant_context(twente):
        assert AuditEntry.objects.filter(
            detail__geweigerd="roltoekenning bevestigd", role="landelijk beheerder"
        ).exists()


@pytest.mark.parametrize("decision", ["", "iets-anders"])
def test_an_unknown_decision_is_a_bad_request(twente, logged_in, make_user, decision):
    admin = logged_in(twente, "regiobeheerder")
    colleague = make_user(twente, "analist")
    admin.post(
        reverse("users:edit", args=[colleague.pk]), {"roles": [role_pk(twente, "medewerker")]}
    )
    grant = open_grant(twente, colleague)
    response = admin.post(reverse("users:grant_decision", args=[grant.pk]), {"besluit": decision})
    assert response.status_code == 400
