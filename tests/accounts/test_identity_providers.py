"""Organisations' identity providers: each schema has its own, the secret is stored
encrypted, only the regiobeheerder (or, on the platform, the national administrator)
changes them, a sign-in finds an invited account and never makes one, and the
provider's word counts as the second factor only when it says so."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django_tenants.utils import tenant_context

from accounts.identity_providers import (
    account_for_sign_in,
    delete_identity_provider,
    provider_origins,
    save_identity_provider,
    social_apps,
)
from accounts.models import IdentityProvider
from audit.models import AuditAction, AuditEntry
from frontend.beheer.identity_forms import IdentityProviderForm
from tests.conftest import free_port

VALUES = {
    "name": "Gemeente Enschede",
    "issuer": "https://login.enschede.example/realm",
    "client_id": "meldpunt",
    "client_secret": "het-secret",
    "email_domains": ["enschede.nl"],
    "mfa_acr": "",
}


def provider(**changes) -> IdentityProvider:
    return IdentityProvider.objects.create(**(VALUES | changes))


def test_a_regions_providers_are_its_own_and_the_secret_is_encrypted(twente, limburg):
    with tenant_context(twente):
        stored = provider()
        with connection.cursor() as cursor:
            cursor.execute(
                "select client_secret from accounts_identityprovider where id = %s", [stored.pk]
            )
            raw = cursor.fetchone()[0]
        assert "het-secret" not in raw
        [app] = social_apps()
        assert (app.provider_id, app.client_id, app.secret) == (
            stored.key,
            "meldpunt",
            "het-secret",
        )
        assert app.settings["server_url"] == VALUES["issuer"]
        assert [found.provider_id for found in social_apps(key=stored.key)] == [stored.key]
        assert provider_origins() == ["https://login.enschede.example"]
    with tenant_context(limburg):
        assert social_apps() == []
        assert social_apps(key=stored.key) == []


@pytest.mark.parametrize(
    "claims, found",
    [
        ({"email": "Wil@Enschede.nl", "email_verified": True}, True),
        ({"email": "wil@enschede.nl", "email_verified": "true"}, True),
        ({"email": "wil@enschede.nl", "email_verified": False}, False),
        ({"email": "wil@enschede.nl"}, False),
        ({"email": "wil@hengelo.nl", "email_verified": True}, False),
        ({"email": "niemand@enschede.nl", "email_verified": True}, False),
        ({"email_verified": True}, False),
    ],
)
def test_only_a_verified_address_of_an_invited_account_in_the_providers_domains_signs_in(
    claims, found, twente, make_user
):
    user = make_user(twente, "medewerker", email="wil@enschede.nl")
    with tenant_context(twente):
        assert (account_for_sign_in(provider(), claims) == user) is found


def test_a_disabled_account_does_not_sign_in_through_its_organisation(twente, make_user):
    user = make_user(twente, "medewerker", email="wil@enschede.nl")
    with tenant_context(twente):
        user.is_active = False
        user.save()
        claims = {"email": "wil@enschede.nl", "email_verified": True}
        assert account_for_sign_in(provider(), claims) is None


@pytest.mark.parametrize(
    "mfa_acr, id_token, asserted",
    [
        ("", {"amr": ["pwd", "mfa"]}, True),
        ("", {"amr": "mfa"}, True),
        ("", {"amr": ["pwd"]}, False),
        ("", {}, False),
        ("", {"acr": ""}, False),
        ("urn:mace:incommon:iap:silver", {"acr": "urn:mace:incommon:iap:silver"}, True),
        ("urn:mace:incommon:iap:silver", {"acr": "urn:mace:incommon:iap:bronze"}, False),
    ],
)
def test_the_provider_counts_as_second_factor_only_when_it_says_so(
    mfa_acr, id_token, asserted, twente
):
    with tenant_context(twente):
        assert provider(mfa_acr=mfa_acr).asserts_mfa(id_token) is asserted


@pytest.mark.parametrize("role, allowed", [("regiobeheerder", True), ("medewerker", False)])
def test_only_the_regiobeheerder_changes_providers_and_each_change_is_logged(
    role, allowed, twente, make_user
):
    user = make_user(twente, role)
    with tenant_context(twente):
        if not allowed:
            with pytest.raises(PermissionDenied):
                save_identity_provider(IdentityProvider(), by=user, values=VALUES)
            return
        saved = save_identity_provider(IdentityProvider(), by=user, values=VALUES)
        line = AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(saved.pk)).get()
        assert line.changes["client_secret"] == ["", "•••"]
        assert "het-secret" not in str(line.changes)
        delete_identity_provider(saved, by=user)
        assert not IdentityProvider.objects.exists()


def test_the_screens_are_the_regiobeheerders_and_the_national_administrators(
    twente, logged_in, national_client
):
    url = reverse("identity_providers:list")
    assert logged_in(twente, "regiobeheerder").get(url).status_code == 200
    assert logged_in(twente, "medewerker").get(url).status_code == 403
    assert national_client.get(url).status_code == 200


def test_a_provider_that_does_not_answer_gives_the_dutch_page(twente, client_for):
    with tenant_context(twente):
        stored = provider(issuer=f"http://127.0.0.1:{free_port()}")
    client = client_for(twente)
    response = client.post(f"/accounts/oidc/{stored.key}/login/?process=login")
    assert response.status_code == 502
    assert "Inloggen via uw organisatie lukt nu niet" in response.content.decode()
    # The sign-in page lets its forms lead to the provider, and still offers the password.
    page = client.get("/accounts/login/")
    assert "form-action 'self' http://127.0.0.1:" in page["Content-Security-Policy"]
    assert 'name="password"' in page.content.decode()


def test_another_regions_provider_is_not_found(twente, limburg, client_for):
    with tenant_context(twente):
        stored = provider()
    response = client_for(limburg).post(f"/accounts/oidc/{stored.key}/login/?process=login")
    assert response.status_code == 404


def test_a_callback_the_provider_did_not_start_gives_the_dutch_page(twente, client_for):
    with tenant_context(twente):
        stored = provider()
    response = client_for(twente).get(
        f"/accounts/oidc/{stored.key}/login/callback/?code=made-up&state=made-up"
    )
    assert response.status_code == 502
    assert "Inloggen via uw organisatie lukt nu niet" in response.content.decode()


@pytest.mark.parametrize(
    "typed, stored, error",
    [
        ("login.enschede.example/realm/", "https://login.enschede.example/realm", None),
        ("http://login.enschede.example/realm", None, "Gebruik een https-adres."),
        ("https://login.enschede.example/realm?x=1", None, "Geef het adres zonder ? of #."),
    ],
)
def test_an_issuer_typed_without_a_scheme_is_the_https_one(twente, typed, stored, error):
    data = VALUES | {"issuer": typed, "email_domains": "enschede.nl"}
    with tenant_context(twente):
        form = IdentityProviderForm(data=data, instance=IdentityProvider())
        assert form.is_valid() is (error is None)
    if error:
        assert form.errors["issuer"] == [error]
    else:
        assert form.cleaned_data["issuer"] == stored
