"""Rules for every request: no NUL bytes, no stored copies of staff pages, the same
security headers on the notices answered before a region is known, and cookies with
the same flags."""

from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from frontend.middleware import never_cache


def test_a_nul_byte_in_a_case_path_is_a_404_and_in_a_query_a_400(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    assert staff.get("/casussen/C-2026\x00-1/").status_code == 404
    assert staff.get("/casussen/%00/").status_code == 404
    bad = staff.get(reverse("cases:list"), {"q": "Sanne\x00"})
    assert bad.status_code == 400
    assert "Dit verzoek kunnen wij niet verwerken" in bad.content.decode()


def test_every_page_for_a_signed_in_user_is_not_stored(twente, logged_in):
    staff = logged_in(twente, "medewerker", "regiobeheerder")
    for path in ("/", reverse("cases:list"), reverse("users:list"), reverse("users:grants")):
        response = staff.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
    assert "no-store" not in Client(HTTP_HOST="twente.localhost").get("/privacy/").get(
        "Cache-Control", ""
    )


def test_unknown_host_and_suspended_region_carry_the_security_headers(twente):
    unknown = Client(HTTP_HOST="onbekend.localhost").get("/")
    assert unknown.status_code == 404
    twente.is_suspended = True
    twente.save(update_fields=["is_suspended"])
    suspended = Client(HTTP_HOST="twente.localhost").get("/")
    assert suspended.status_code == 403
    for response in (unknown, suspended):
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_the_language_cookie_has_the_flags_of_the_others(twente):
    client = Client(HTTP_HOST="twente.localhost")
    client.get("/melden/")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/melden/"})
    cookie = response.cookies["django_language"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_never_cache_writes_what_django_writes() -> None:
    ours, django_s = HttpResponse(), HttpResponse()
    never_cache(ours)
    add_never_cache_headers(django_s)
    assert ours.headers == django_s.headers
    kept = HttpResponse(headers={"Cache-Control": "max-age=60"})
    never_cache(kept)
    assert kept["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
