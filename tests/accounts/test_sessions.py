"""Sessions are one Fernet token of JSON under the region's session key; sessions written before
(Django's signing inside the token, Django's and allauth's backend names) still sign
their user in; a signed-in page reads the user and what the policy asks in one statement."""

import json

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.sessions import SessionStore
from meldpunt.encryption import SESSIONS, cipher, encrypt


def test_a_session_is_one_encrypted_token_of_json(twente, logged_in):
    client = logged_in(twente, "medewerker")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    with tenant_context(twente):
        stored = Session.objects.get(session_key=key).session_data
        assert SESSION_KEY not in stored
        session = json.loads(cipher(purpose=SESSIONS).decrypt(stored.encode()))
    assert session[SESSION_KEY] == str(client.user.pk)
    assert session[BACKEND_SESSION_KEY] == "accounts.backends.ModelBackend"


def test_a_session_written_before_still_signs_its_user_in(twente, make_user, client_for):
    user = make_user(twente, "medewerker")
    with tenant_context(twente):
        before = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        store = SessionStore()
        store.create()
        # As accounts.sessions wrote it before: Django's signed form, encrypted.
        signed = DjangoSessionStore().encode(before)
        Session.objects.filter(session_key=store.session_key).update(session_data=encrypt(signed))
        assert SessionStore(store.session_key).load()[BACKEND_SESSION_KEY] == (
            "accounts.backends.ModelBackend"
        )
    client = client_for(twente)
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    assert client.get("/").status_code == 200


def test_a_token_of_the_fields_key_is_no_session(twente, make_user, client_for):
    """Every text a visitor types is stored as a token under the fields' key: copied into
    the session table, one of them must not read as a session."""
    user = make_user(twente, "medewerker")
    with tenant_context(twente):
        typed = {SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash()}
        store = SessionStore()
        store.create()
        Session.objects.filter(session_key=store.session_key).update(
            session_data=encrypt(json.dumps(typed))
        )
        assert SessionStore(store.session_key).load() == {}
    client = client_for(twente)
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    assert client.get("/").status_code == 302


def test_an_expired_or_unknown_session_signs_nobody_in(twente, logged_in):
    client = logged_in(twente, "medewerker")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    with tenant_context(twente):
        Session.objects.filter(session_key=key).update(expire_date=timezone.now())
    assert client.get("/").status_code == 302
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    assert client.get("/").status_code == 302


def test_a_signed_in_page_reads_the_user_with_their_access_in_one_statement(twente, logged_in):
    client = logged_in(twente, "medewerker")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    reading_user = [
        sql for sql in (q["sql"] for q in queries) if '"accounts_user"."password"' in sql
    ]
    assert len(reading_user) == 1 and "mfa_authenticator" in reading_user[0]
    assert sum("mfa_authenticator" in q["sql"] for q in queries) == 1
