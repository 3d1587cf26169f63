"""Personal API tokens, made and revoked by their owner: the services ask the policy
and write an audit line; the key is shown once and stored nowhere; the screen lists
only one's own tokens, in a constant number of queries."""

from datetime import timedelta

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import ApiToken
from accounts.services import API_KEY_PREFIX, create_api_token, invite_user, revoke_api_token
from audit.models import AuditAction, AuditEntry

ROLES = [
    "medewerker",
    "procesregisseur",
    "screeningsteamlid",
    "casuscoordinator",
    "partnercontact",
    "regiobeheerder",
    "analist",
    "privacyofficer",
]


def in_days(days: int):
    return timezone.now() + timedelta(days=days)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_makes_its_own_tokens(role, twente, make_user):
    user = make_user(twente, role)
    with tenant_context(twente):
        token, key = create_api_token(user, name="Koppeling", expires_at=in_days(30))
        assert key.startswith(API_KEY_PREFIX) and len(key) >= 40
        assert token.prefix == key[:12] and token.user == user


@pytest.mark.parametrize("mfa, roles", [(True, ()), (False, ("medewerker",))])
def test_without_a_role_or_a_second_factor_no_token_is_made(mfa, roles, twente, make_user):
    user = make_user(twente, *roles, mfa=mfa)
    with tenant_context(twente), pytest.raises(PermissionDenied):
        create_api_token(user, name="Koppeling", expires_at=in_days(30))


def test_a_national_administrator_makes_tokens_on_the_platform_only(national_client, twente):
    admin = national_client.user
    token, key = create_api_token(admin, name="Koppeling", expires_at=in_days(30))
    assert key.startswith(API_KEY_PREFIX) and token.user == admin
    lines = AuditEntry.objects.filter(object_type="accounts.ApiToken", object_id=str(token.pk))
    assert list(lines.values_list("action", "user_id")) == [(AuditAction.CREATE, admin.pk)]
    with tenant_context(twente), pytest.raises(PermissionDenied):
        create_api_token(admin, name="Koppeling", expires_at=in_days(30))


def test_a_platform_account_without_national_rights_makes_no_token(db):
    connection.set_schema_to_public()
    plain = invite_user("geen-beheerder@platform.test")
    TOTP.activate(plain, pyotp.random_base32())
    with pytest.raises(PermissionDenied):
        create_api_token(plain, name="Koppeling", expires_at=in_days(30))


@pytest.mark.parametrize(
    "name, expires_at, field",
    [
        ("  ", in_days(30), "name"),
        ("x" * 101, in_days(30), "name"),
        ("Koppeling", timezone.now() - timedelta(minutes=1), "expires_at"),
        ("Koppeling", in_days(366), "expires_at"),
    ],
)
def test_a_token_needs_a_name_and_expires_within_a_year(name, expires_at, field, twente, make_user):
    user = make_user(twente, "medewerker")
    with tenant_context(twente):
        with pytest.raises(ValidationError) as refused:
            create_api_token(user, name=name, expires_at=expires_at)
        assert list(refused.value.error_dict) == [field]
        assert not ApiToken.objects.exists()


def test_the_key_is_stored_nowhere_in_the_region_s_schema(twente, make_user):
    user = make_user(twente, "medewerker")
    with tenant_context(twente):
        token, key = create_api_token(user, name="Registratiesysteem", expires_at=in_days(90))
        secret = key[len(API_KEY_PREFIX) :]
        with connection.cursor() as cursor:
            cursor.execute("SELECT t::text FROM accounts_apitoken t WHERE id = %s", [token.pk])
            (row,) = cursor.fetchone()
            assert token.prefix in row and secret not in row and secret[8:] not in row
            holding = []
            for table in connection.introspection.table_names(cursor):
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" t WHERE t::text LIKE %s',
                    [f"%{secret[8:]}%"],
                )
                if cursor.fetchone()[0]:
                    holding.append(table)
        assert holding == []


def test_making_and_revoking_are_audited(twente, make_user):
    user = make_user(twente, "analist")
    with tenant_context(twente):
        token, _ = create_api_token(user, name="Cijfers", expires_at=in_days(10))
        revoke_api_token(user, token)
        lines = AuditEntry.objects.filter(object_type="accounts.ApiToken", object_id=str(token.pk))
        assert sorted(lines.values_list("action", "user_id")) == [
            (AuditAction.CHANGE, user.pk),
            (AuditAction.CREATE, user.pk),
        ]
        token.refresh_from_db()
        assert token.revoked_at is not None and token.status_label == "ingetrokken"
        with pytest.raises(ValidationError):
            revoke_api_token(user, token)


def test_nobody_revokes_another_s_token_and_the_attempt_is_logged(twente, make_user):
    owner = make_user(twente, "medewerker")
    other = make_user(twente, "regiobeheerder")
    with tenant_context(twente):
        token, _ = create_api_token(owner, name="Koppeling", expires_at=in_days(10))
        with pytest.raises(PermissionDenied):
            revoke_api_token(other, token)
        token.refresh_from_db()
        assert token.revoked_at is None
        refusal = AuditEntry.objects.get(user_id=other.pk, detail__geweigerd__isnull=False)
        assert refusal.detail["api_sleutel"] == token.pk


# The screen


def test_the_key_is_shown_once_and_then_only_its_first_characters(twente, logged_in):
    client = logged_in(twente, "medewerker")
    page = client.get(reverse("users:api_tokens"))
    assert page.status_code == 200
    expiry_default = (timezone.localdate() + timedelta(days=90)).isoformat()
    assert f'value="{expiry_default}"' in page.content.decode()

    expires = (timezone.localdate() + timedelta(days=30)).isoformat()
    made = client.post(reverse("users:api_tokens"), {"name": "Koppeling", "expires_at": expires})
    assert made.status_code == 200
    key = made.context["key"]
    assert key in made.content.decode()
    assert "maar één keer getoond" in made.content.decode()
    with tenant_context(twente):
        token = ApiToken.objects.get(user=client.user)
    assert timezone.localtime(token.expires_at).isoformat().startswith(f"{expires}T00:00:00")

    again = client.get(reverse("users:api_tokens")).content.decode()
    assert key not in again and key[12:20] not in again
    assert f"{token.prefix}…" in again and "Koppeling" in again


@pytest.mark.parametrize(
    "days, message",
    [(0, "Kies een dag na vandaag."), (366, "Een API-sleutel is hoogstens een jaar geldig.")],
)
def test_a_wrong_expiry_is_a_dutch_400(days, message, twente, logged_in):
    client = logged_in(twente, "medewerker")
    expires = (timezone.localdate() + timedelta(days=days)).isoformat()
    response = client.post(
        reverse("users:api_tokens"), {"name": "Koppeling", "expires_at": expires}
    )
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_missing_name_and_a_bad_date_are_a_dutch_400(twente, logged_in):
    client = logged_in(twente, "medewerker")
    response = client.post(reverse("users:api_tokens"), {"name": "", "expires_at": "morgen"})
    assert response.status_code == 400
    assert "Geef de API-sleutel een naam." in response.content.decode()
    assert "Vul een geldige datum in." in response.content.decode()


def test_the_list_shows_one_s_own_tokens_in_constant_queries(
    twente, logged_in, make_user, django_assert_max_num_queries
):
    client = logged_in(twente, "medewerker")
    stranger = make_user(twente, "medewerker")
    with tenant_context(twente):
        create_api_token(stranger, name="Van een ander", expires_at=in_days(10))
        for number in range(3):
            create_api_token(client.user, name=f"Sleutel {number}", expires_at=in_days(10))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("users:api_tokens"))
    with tenant_context(twente):
        for number in range(3, 30):
            create_api_token(client.user, name=f"Sleutel {number}", expires_at=in_days(10))
    with django_assert_max_num_queries(len(few)):
        page = client.get(reverse("users:api_tokens")).content.decode()
    assert "Sleutel 29" in page and "Van een ander" not in page


def test_revoking_asks_for_confirmation_and_is_only_for_the_owner(twente, logged_in, make_user):
    client = logged_in(twente, "casuscoordinator")
    stranger = make_user(twente, "medewerker")
    with tenant_context(twente):
        token, _ = create_api_token(client.user, name="Koppeling", expires_at=in_days(10))
        foreign, _ = create_api_token(stranger, name="Van een ander", expires_at=in_days(10))
    url = reverse("users:api_token_revoke", args=[token.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Ja, sleutel intrekken" in confirm.content.decode()
    with tenant_context(twente):
        assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert client.post(url).status_code == 302
    with tenant_context(twente):
        assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert client.post(url).status_code == 404  # revoked already
    foreign_url = reverse("users:api_token_revoke", args=[foreign.pk])
    assert client.post(foreign_url).status_code == 404
    with tenant_context(twente):
        assert ApiToken.objects.get(pk=foreign.pk).revoked_at is None


def test_a_user_without_roles_is_refused_the_screen(twente, logged_in):
    client = logged_in(twente)
    assert client.get(reverse("users:api_tokens")).status_code == 403


def test_the_screen_speaks_english_when_chosen(twente, logged_in):
    client = logged_in(twente, "medewerker")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("users:api_tokens")).content.decode()
    assert "API keys" in page and "Create key" in page and "API-sleutels" not in page


# The screen on the platform: the same view and templates, for national administrators


def test_a_national_administrator_makes_and_revokes_a_token_on_the_platform(national_client):
    client = national_client
    page = client.get(reverse("users:api_tokens", urlconf="meldpunt.urls_public"))
    assert page.status_code == 200
    assert "alleen op het platform, in geen enkele regio" in page.content.decode()
    nav = page.context["nav_items"]
    assert [item.label for item in nav if item.current] == ["API-sleutels"]

    expires = (timezone.localdate() + timedelta(days=30)).isoformat()
    made = client.post("/account/api-sleutels/", {"name": "Landelijk dashboard", "expires_at": ""})
    assert made.status_code == 400
    assert "Kies de dag waarop de sleutel verloopt." in made.content.decode()
    made = client.post(
        "/account/api-sleutels/", {"name": "Landelijk dashboard", "expires_at": expires}
    )
    assert made.status_code == 200 and made.context["key"] in made.content.decode()
    token = ApiToken.objects.get(user=client.user)
    assert made.context["key"] not in client.get("/account/api-sleutels/").content.decode()

    url = f"/account/api-sleutels/{token.pk}/intrekken/"
    assert "Ja, sleutel intrekken" in client.get(url).content.decode()
    revoked = client.post(url)
    assert (revoked.status_code, revoked.url) == (302, "/account/api-sleutels/")
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_the_platform_screen_is_for_national_administrators_only(db):
    connection.set_schema_to_public()
    plain = invite_user("geen-beheerder@platform.test")
    TOTP.activate(plain, pyotp.random_base32())
    client = Client(HTTP_HOST="localhost")
    assert client.get("/account/api-sleutels/").status_code == 302  # to the login page
    client.force_login(plain)
    assert client.get("/account/api-sleutels/").status_code == 403
    # The region's other account screens are not on the platform.
    assert client.get("/gebruikers/").status_code == 404


def test_the_api_keys_screen_links_to_the_api_documentation(twente, logged_in, national_client):
    region_page = logged_in(twente, "medewerker").get("/account/api-sleutels/").content.decode()
    assert 'href="/api/v1/docs/">API-documentatie</a>' in region_page
    platform_page = national_client.get("/account/api-sleutels/").content.decode()
    assert 'href="/api/v1/docs/">API-documentatie</a>' in platform_page
