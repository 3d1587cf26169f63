"""Personal API tokens on the API: a valid key acts as its owner; every other key gets
the same 401; "last used" is written at most once a minute; each token has its own
rate limit, which holds with a real Redis stopped.

The requests go to a view of this module's own, through the whole middleware stack of
a region's domain; a national administrator's keys to the platform's own endpoints.
"""

import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone
from django_tenants.utils import tenant_context
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from accounts.models import ApiToken
from accounts.services import create_api_token, revoke_api_token
from tenants.models import Region
from tests.serving import OwnRedis


class WhoAmI(APIView):
    def get(self, request):
        return Response({"email": request.user.email, "token": request.auth.prefix})


# The region's own URLs too: the pages around a request (a refusal notice) link to them.
urlpatterns = [
    path("api/proef/wie-ben-ik/", WhoAmI.as_view()),
    path("", include("meldpunt.urls_tenant")),
]
handler403 = "api.errors.permission_denied"  # as the region's: a suspension is a 403 there
pytestmark = pytest.mark.urls(__name__)
URL = "/api/proef/wie-ben-ik/"
REFUSED = {
    "fout": {
        "code": "niet_ingelogd",
        "melding": "Deze API-sleutel geeft geen toegang. Controleer de sleutel, of maak een nieuwe aan.",
        "velden": {},
    }
}


@pytest.fixture
def token_of(make_user):
    """(token, key) of a new user with `roles` in `region`, valid for 90 days."""

    def make(region, *roles: str):
        user = make_user(region, *roles)
        with tenant_context(region):
            return create_api_token(
                user, name="Koppeling", expires_at=timezone.now() + timedelta(days=90)
            )

    return make


def call(client_for, region, key: str | None, **headers):
    if key is not None:
        headers["HTTP_AUTHORIZATION"] = f"Token {key}"
    return client_for(region).get(URL, **headers)


def test_a_valid_key_acts_as_its_owner(twente, token_of, client_for):
    token, key = token_of(twente, "medewerker")
    response = call(client_for, twente, key)
    assert response.status_code == 200
    assert response.json() == {"email": token.user.email, "token": token.prefix}


def test_without_a_key_the_answer_is_401_asking_for_a_token(twente, client_for):
    response = call(client_for, twente, None)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"


def expire(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


def revoke(token: ApiToken) -> None:
    revoke_api_token(token.user, token)


def deactivate(token: ApiToken) -> None:
    type(token.user).objects.filter(pk=token.user.pk).update(is_active=False)


def take_roles(token: ApiToken) -> None:
    token.user.roles.clear()


@pytest.mark.parametrize("spoil", [expire, revoke, deactivate, take_roles])
def test_a_spoiled_key_gets_the_same_401_as_a_made_up_one(spoil, twente, token_of, client_for):
    token, key = token_of(twente, "medewerker")
    assert call(client_for, twente, key).status_code == 200
    with tenant_context(twente):
        spoil(token)
    spoiled = call(client_for, twente, key)
    made_up = call(client_for, twente, "mlp_" + "x" * 43)
    assert (spoiled.status_code, spoiled.json()) == (401, REFUSED)
    assert (made_up.status_code, made_up.json()) == (401, REFUSED)
    assert spoiled.headers["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    "header", ["Token", "Token a b", "Token mlp_\u00e9", "token " + "0" * 2000, "Token "]
)
def test_a_malformed_header_gets_the_same_401(twente, client_for, header):
    response = client_for(twente).get(URL, HTTP_AUTHORIZATION=header)
    assert (response.status_code, response.json()) == (401, REFUSED)


def test_a_key_is_refused_on_another_region_s_domain_and_on_the_platform(
    twente, limburg, token_of, client_for, settings
):
    settings.PUBLIC_SCHEMA_URLCONF = __name__
    _, key = token_of(twente, "medewerker")
    elsewhere = call(client_for, limburg, key)
    assert (elsewhere.status_code, elsewhere.json()) == (401, REFUSED)
    platform = Client(HTTP_HOST="localhost").get(URL, HTTP_AUTHORIZATION=f"Token {key}")
    assert (platform.status_code, platform.json()) == (401, REFUSED)


@pytest.fixture
def national_key(national_client) -> tuple[ApiToken, str]:
    """(token, key) of a national administrator, made on the platform."""
    connection.set_schema_to_public()
    return create_api_token(
        national_client.user, name="Landelijk", expires_at=timezone.now() + timedelta(days=90)
    )


PLATFORM_ENDPOINTS = ["/api/v1/regios/", "/api/v1/benchmark/"]


def on_platform(url: str, key: str):
    return Client(HTTP_HOST="localhost").get(url, HTTP_AUTHORIZATION=f"Token {key}")


def test_a_national_administrator_s_key_reads_the_regions_and_the_benchmark(national_key):
    token, key = national_key
    regions, benchmark = (on_platform(url, key) for url in PLATFORM_ENDPOINTS)
    assert (regions.status_code, benchmark.status_code) == (200, 200)
    assert {"twente", "limburg"} <= {region["slug"] for region in regions.json()["resultaten"]}
    assert "summaries" in benchmark.json()
    connection.set_schema_to_public()
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_a_platform_key_is_refused_on_every_region_s_domain(national_key, client_for, settings):
    settings.PUBLIC_SCHEMA_URLCONF = __name__
    token, key = national_key
    assert on_platform(URL, key).json() == {"email": token.user.email, "token": token.prefix}
    for region in Region.objects.regions():
        for url in (URL, "/api/v1/casussen/"):
            refused = client_for(region).get(url, HTTP_AUTHORIZATION=f"Token {key}")
            assert (region.slug, refused.status_code, refused.json()) == (region.slug, 401, REFUSED)


def test_a_region_s_key_is_refused_on_the_platform_s_endpoints(twente, token_of):
    _, key = token_of(twente, "regiobeheerder")
    for url in PLATFORM_ENDPOINTS:
        refused = on_platform(url, key)
        assert (url, refused.status_code, refused.json()) == (url, 401, REFUSED)
        assert refused.headers["WWW-Authenticate"] == "Token"


def no_longer_national(token: ApiToken) -> None:
    type(token.user).objects.filter(pk=token.user.pk).update(is_national_admin=False)


@pytest.mark.parametrize("spoil", [expire, revoke, deactivate, no_longer_national])
def test_a_spoiled_platform_key_gets_the_same_401(spoil, national_key):
    token, key = national_key
    assert on_platform(PLATFORM_ENDPOINTS[0], key).status_code == 200
    connection.set_schema_to_public()
    spoil(token)
    for url in PLATFORM_ENDPOINTS:
        spoiled = on_platform(url, key)
        assert (spoiled.status_code, spoiled.json()) == (401, REFUSED)


def test_a_suspended_region_s_keys_let_nobody_in(twente, token_of, client_for):
    """The domain of a suspended region turns every request away before it reaches the
    API; should one get through, the key is still refused, with the same 401."""
    _, key = token_of(twente, "medewerker")
    twente.is_suspended = True
    twente.save(update_fields=["is_suspended"])
    turned_away = call(client_for, twente, key)  # by RegionMiddleware, in the API's shape
    assert (turned_away.status_code, turned_away.json()["fout"]["code"]) == (
        403,
        "regio_opgeschort",
    )
    assert client_for(twente).get("/melden/").status_code == 403  # the notice page
    request = APIRequestFactory().get(URL, HTTP_AUTHORIZATION=f"Token {key}")
    with tenant_context(twente):
        response = WhoAmI.as_view()(request)
    assert (response.status_code, response.data) == (401, REFUSED)


def test_last_used_is_written_at_most_once_a_minute(twente, token_of, client_for):
    token, key = token_of(twente, "medewerker")
    with tenant_context(twente):
        assert ApiToken.objects.get(pk=token.pk).last_used_at is None
    before = timezone.now()
    call(client_for, twente, key)
    with tenant_context(twente):
        first_use = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first_use >= before

    with CaptureQueriesContext(connection) as queries:
        assert call(client_for, twente, key).status_code == 200
    assert not [q for q in queries if q["sql"].startswith('UPDATE "accounts_apitoken"')]

    with tenant_context(twente):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(minutes=2))
    call(client_for, twente, key)
    with tenant_context(twente):
        assert ApiToken.objects.get(pk=token.pk).last_used_at > first_use


THROTTLED = "Te veel verzoeken met deze API-sleutel. Probeer het over"


@pytest.fixture
def three_a_day(settings):
    # A day's window: the test never straddles two windows (but at midnight UTC).
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"api_token": "3/day"}
    }


def test_each_key_has_its_own_limit_and_is_told_in_dutch_when_to_retry(
    twente, token_of, client_for, three_a_day
):
    token, key = token_of(twente, "medewerker")
    with tenant_context(twente):
        _, second_key = create_api_token(
            token.user, name="Tweede koppeling", expires_at=timezone.now() + timedelta(days=1)
        )
    assert [call(client_for, twente, key).status_code for _ in range(3)] == [200] * 3
    throttled = call(client_for, twente, key)
    assert throttled.status_code == 429
    assert throttled.json()["fout"]["melding"].startswith(THROTTLED)
    assert 0 < int(throttled.headers["Retry-After"]) <= 24 * 3600
    assert call(client_for, twente, second_key).status_code == 200


def test_the_limit_holds_and_keys_work_while_redis_is_down(
    twente, token_of, client_for, three_a_day, settings, caplog
):
    redis = OwnRedis()
    redis.start()
    try:
        settings.CACHES = {"default": settings.CACHES["default"] | {"LOCATION": redis.url}}
        _, key = token_of(twente, "medewerker")
        assert call(client_for, twente, key).status_code == 200  # counted in Redis
        redis.stop()
        with caplog.at_level(logging.WARNING, logger="meldpunt.cache"):
            answers = [call(client_for, twente, key) for _ in range(4)]
        # The count starts again in PostgreSQL, and holds there.
        assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
        assert answers[-1].json()["fout"]["melding"].startswith(THROTTLED)
        assert "Redis cache unreachable" in caplog.text
    finally:
        if redis.answers():
            redis.stop()
