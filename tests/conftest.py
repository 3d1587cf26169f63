"""Shared fixtures: the test database holds two regions, created once per session.

Regions are onboarded through the real service (built from the template
schema's blueprint) in `django_db_setup`, so they are committed and visible to
a real Celery worker; each test then runs in a transaction that is rolled back.
The suite connects as an administrator; the test database also gets an
application role, as production has one, which migrations grant its privileges
and which the database-role tests connect as. Each region gets its own
database role as in production, and the suite's requests and tasks act as it.
"""

import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg2
import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation
from django_tenants.utils import tenant_context
from psycopg2 import sql

from accounts.models import User
from accounts.services import invite_user
from deploy.dev.create_database import (
    DEV_PASSWORD,
    admin_connection,
    drop_region_roles,
    ensure_role,
)
from tenants.models import Preset, Region
from tenants.services.onboarding import default_domain, onboard_region
from tests.serving import OwnClamd, database_url, manage, manage_database, role_env

REPO = Path(__file__).resolve().parents[1]
TEST_PASSWORD = "een-lang-test-wachtwoord"
REGIONS = (("twente", "Twente", Preset.TWENTE), ("limburg", "Limburg", Preset.LIMBURG))
SERVED_DOMAIN = "meldpunt.test"
SERVED_REGION_HOST = f"twente.{SERVED_DOMAIN}"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> Iterator[None]:
    """An application role for the test database, set up before its migrations run."""
    database = settings.DATABASES["default"]
    test_database = database["TEST"].get("NAME") or "test_" + database["NAME"]
    role = f"{test_database}_app"
    admin = admin_connection(database)
    with admin.cursor() as cursor:
        ensure_role(cursor, role)
    settings.DATABASE_APP_ROLE = role
    yield
    with admin.cursor() as cursor:
        # The test database is normally gone by now; one that a lingering connection kept
        # (a server a test started) still holds the roles' privileges, so it goes first.
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(test_database))
        )
        drop_region_roles(cursor, role)
        cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
    admin.close()


@pytest.fixture
def app_role_connection(db) -> Iterator:
    """A connection to the test database as the application role, rolled back afterwards."""
    database = connection.settings_dict
    app = psycopg2.connect(
        dbname=database["NAME"],
        user=settings.DATABASE_APP_ROLE,
        password=DEV_PASSWORD,
        host=database["HOST"],
        port=database["PORT"] or 5432,
    )
    yield app
    app.rollback()
    app.close()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> None:
    with django_db_blocker.unblock():
        for slug, name, preset in REGIONS:
            onboard_region(
                slug=slug,
                name=name,
                domain=default_domain(slug),
                admin_email=f"regiobeheerder@{slug}.test",
                preset=preset,
                invite_admin=False,
            )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(port: int) -> subprocess.Popen:
    """A Redis server of the test's own on `port`, keeping nothing on disk; ready when returned."""
    server = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    return server


@pytest.fixture(scope="session")
def private_cache_location() -> Iterator[str | None]:
    """The cache on a Redis of this run's own: other runs on the machine flush the shared one."""
    if shutil.which("redis-server") is None:
        yield None
        return
    port = free_port()
    server = start_redis(port)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(autouse=True)
def _fast_hashing_and_clean_cache(settings, private_cache_location) -> Iterator[None]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if private_cache_location:
        settings.CACHES = {
            "default": settings.CACHES["default"] | {"LOCATION": private_cache_location}
        }
    cache.clear()
    # A request in English leaves English active in this thread (LocaleMiddleware does
    # not switch back): every test starts in the default language.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    connection.set_schema_to_public()


@pytest.fixture
def twente(db) -> Region:
    return Region.objects.get(slug="twente")


@pytest.fixture
def limburg(db) -> Region:
    return Region.objects.get(slug="limburg")


def host_of(region: Region) -> str:
    return region.get_primary_domain().domain


@pytest.fixture
def client_for() -> Callable[[Region], Client]:
    def make(region: Region) -> Client:
        return Client(HTTP_HOST=host_of(region))

    return make


@pytest.fixture
def make_user() -> Callable[..., User]:
    """A user with a password and TOTP set up, in the given region's schema."""

    def make(region: Region, *roles: str, email: str | None = None, mfa: bool = True) -> User:
        with tenant_context(region):
            default_email = (
                f"{'-'.join(roles) or 'zonder-rol'}.{secrets.token_hex(3)}@{region.slug}.test"
            )
            user = invite_user(email or default_email, role_codes=roles)
            user.set_password(TEST_PASSWORD)
            user.save()
            if mfa:
                user.totp_secret = pyotp.random_base32()
                TOTP.activate(user, user.totp_secret)
        return user

    return make


@pytest.fixture
def logged_in(client_for, make_user) -> Callable[..., Client]:
    """A test client of `region`, signed in as a new user with `roles` and MFA."""

    def make(region: Region, *roles: str, mfa: bool = True) -> Client:
        user = make_user(region, *roles, mfa=mfa)
        client = client_for(region)
        with tenant_context(region):
            client.force_login(user)
        client.user = user
        return client

    return make


@pytest.fixture
def national_client(db) -> Client:
    """A client of the platform domain, signed in as a national administrator with MFA."""
    connection.set_schema_to_public()
    admin = invite_user(f"landelijk.{secrets.token_hex(3)}@platform.test", is_national_admin=True)
    TOTP.activate(admin, pyotp.random_base32())
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    client.user = admin
    return client


SERVED_DATA_KEYS = {
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "BLIND_INDEX_KEY": secrets.token_urlsafe(48),
    "MATCHING_KEY": secrets.token_urlsafe(48),
}


@pytest.fixture(scope="session")
def served_database() -> Iterator[dict[str, str]]:
    """The environment of a database of its own, migrated, with the region Twente at
    twente.meldpunt.test: for the servers that tests start and stop themselves."""
    url = database_url("served")
    manage_database(url, "--recreate")
    env = os.environ | {
        "DEBUG": "1",
        "DATABASE_URL": url,
        "REDIS_URL": settings.REDIS_URL,
        "BASE_DOMAIN": SERVED_DOMAIN,
        "PYTHONPATH": "platform",
        "WEB_CONCURRENCY": "1",
        # Migrations and onboarding grant the application role its privileges, so a server
        # may also run as that role (role_env), as in production.
        "DATABASE_APP_ROLE": role_env(url, "app")["DATABASE_APP_ROLE"],
        # One set of data keys for every server on this database, the production image's
        # included: a row one server encrypted must be readable by the next, as in a
        # deployment, whatever order the tests run in.
        **SERVED_DATA_KEYS,
    }
    manage(env, "migrate_schemas", "--noinput", "-v", "0")
    manage(env, "onboard_region", "--slug", "twente", "--name", "Twente", "--preset", "twente",
           "--admin-email", "regiobeheerder@twente.test")  # fmt: skip
    yield env
    manage_database(url, "--drop")


@pytest.fixture(scope="session")
def own_clamd(tmp_path_factory) -> Iterator[OwnClamd]:
    """This run's own clamd (never a system one), started once; whoever stops it starts
    it again."""
    clamd = OwnClamd(tmp_path_factory.mktemp("clamd"))
    clamd.start()
    yield clamd
    if clamd.process is not None:
        clamd.stop()


@pytest.fixture
def virus_scanner(own_clamd, settings) -> Iterator[OwnClamd]:
    """Uploads in this test are scanned by this run's own clamd, running; if the test
    stops it, it runs again afterwards (the browser tests' server scans with it too)."""
    settings.CLAMD_ADDRESS = own_clamd.address
    yield own_clamd
    if own_clamd.process is None:
        own_clamd.start()
