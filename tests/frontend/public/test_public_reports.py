"""Reports in: the public form, nothing lost or abused, and the reporter's follow-up."""

import re
import time
import uuid

import pytest
from django.core import signing
from django.db import connection
from django.urls import reverse
from django_tenants.utils import tenant_context

from meldpunt import outbox
from meldpunt.encryption import blind_index
from meldpunt.models import OutboxMessage
from workflow.intake import TOKEN_SALT
from workflow.models import InvolvedPerson, Report, ReporterMessage
from workflow.services import reporters

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def aged_token(seconds: int = 10, value: str | None = None) -> str:
    """A form token as if the form had been opened `seconds` ago."""
    signer = signing.TimestampSigner(salt=TOKEN_SALT)
    original = signer.timestamp
    signer.timestamp = lambda: signing.b62_encode(int(time.time()) - seconds)
    try:
        return signer.sign(value or str(uuid.uuid4()))
    finally:
        signer.timestamp = original


def report_post(**overrides) -> dict:
    data = {
        "token": aged_token(),
        "reporter_type": "ouder",
        "concern": "Mijn dochter van 15 heeft een veel oudere vriend en krijgt dure cadeaus.",
        "signals": [],
        "feedback_preference": "volgpagina",
        "persoon-TOTAL_FORMS": "2",
        "persoon-INITIAL_FORMS": "0",
        "persoon-MIN_NUM_FORMS": "0",
        "persoon-MAX_NUM_FORMS": "5",
        "persoon-0-role": "slachtoffer",
        "persoon-0-name": "Sanne de Vries",
        "persoon-0-age": "15",
        "persoon-0-municipality": "GM0935",
        "persoon-0-school": "Het Stedelijk Lyceum",
        "persoon-1-role": "slachtoffer",
        "website": "",
    }
    return data | overrides


@pytest.fixture
def public(client_for, limburg):
    return client_for(limburg)


def submit(public, form="risicotaxatieformulier", **overrides):
    return public.post(reverse("public:report_form", args=[form]), report_post(**overrides))


def test_a_report_is_stored_encrypted_and_the_codes_are_shown_to_this_browser_only(
    public, limburg, client_for
):
    response = submit(public, reporter_email="melder@example.org", feedback_preference="email")
    assert response.status_code == 302
    page = public.get(response.url)
    assert "Geheime code" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert client_for(limburg).get(reverse("public:report_received")).status_code == 302
    with tenant_context(limburg):
        report = Report.objects.get()
        person = InvolvedPerson.objects.get(report=report)
        assert person.name == "Sanne de Vries" and person.name_index == blind_index(
            "sanne  DE vries"
        )
        assert report.casus.current_step.code == "melding"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT concern, reporter_email FROM workflow_report WHERE id = %s", [report.pk]
            )
            stored = " ".join(cursor.fetchone())
        assert "dochter" not in stored and "melder@example.org" not in stored
        pending = OutboxMessage.objects.get()
        assert pending.to == "melder@example.org" and report.follow_code in pending.body


def test_every_field_is_kept_after_a_validation_error(public):
    response = submit(public, concern="", reporter_name="Jan Jansen", feedback_preference="email")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Beschrijf uw zorg." in body
    assert "Vul uw e-mailadres in, of kies een andere manier van terugkoppeling." in body
    for kept in (
        'value="Jan Jansen"',
        'value="Sanne de Vries"',
        'value="Het Stedelijk Lyceum"',
        'value="15"',
    ):
        assert kept in body


def test_a_double_submit_is_one_report(public, limburg):
    data = report_post()
    first = public.post(reverse("public:report_form", args=["contactformulier"]), data)
    second = public.post(reverse("public:report_form", args=["contactformulier"]), data)
    assert first.status_code == second.status_code == 302
    with tenant_context(limburg):
        assert Report.objects.count() == 1
    assert "al ontvangen" in public.get(second.url).content.decode()


def test_bots_are_stopped_without_a_third_party(public, limburg):
    assert submit(public, website="http://spam.example").status_code == 400
    fast = submit(public, token=aged_token(seconds=0))
    assert fast.status_code == 400 and "Dat ging erg snel" in fast.content.decode()
    forged = submit(public, token="niet-ondertekend")
    assert forged.status_code == 400
    with tenant_context(limburg):
        assert Report.objects.count() == 0


def test_reports_are_rate_limited_per_address(public, limburg):
    statuses = [
        submit(public, form="contactformulier", token=aged_token()).status_code for _ in range(6)
    ]
    assert statuses == [302] * 5 + [429]
    last = submit(public, form="contactformulier", token=aged_token())
    assert (
        "Wacht tien minuten" in last.content.decode() and "Sanne de Vries" in last.content.decode()
    )


def test_unknown_form_is_404_and_a_huge_body_is_refused(public):
    assert public.get(reverse("public:report_form", args=["bestaat-niet"])).status_code == 404
    response = public.post(
        reverse("public:report_form", args=["contactformulier"]),
        report_post(concern="x" * (10 * 1024 * 1024)),
    )
    assert 400 <= response.status_code < 500


def test_xss_in_every_text_field_is_shown_inert(public, limburg, logged_in):
    data = report_post(
        concern=XSS, reporter_organisation=XSS, **{"persoon-0-name": XSS, "persoon-0-school": XSS}
    )
    data["reporter_name"] = XSS
    data["concern"] = ""  # come back with an error: every value is rendered into the form again
    body = public.post(
        reverse("public:report_form", args=["risicotaxatieformulier"]), data
    ).content.decode()
    assert "<script>" not in body and "&lt;script&gt;" in body


def test_a_failing_mail_server_keeps_the_message_for_later(limburg, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    with tenant_context(limburg):
        message = outbox.queue_email("melder@example.org", "Onderwerp", "Tekst")
        assert outbox.deliver_pending() == 0
        message.refresh_from_db()
        assert message.sent_at is None and message.attempts == 1 and message.last_error


def follow_login(client, code, secret):
    return client.post(reverse("public:follow"), {"code": code, "secret": secret})


def test_the_reporter_follows_the_report_and_answers_a_question(public, limburg, make_user):
    response = submit(public)
    codes = public.get(response.url).content.decode()
    code = codes.split('id="meldcode">')[1].split("<")[0]
    secret = codes.split('id="geheime-code">')[1].split("<")[0]
    staff = make_user(limburg, "medewerker", "procesregisseur")
    with tenant_context(limburg):
        report = Report.objects.get(follow_code=code)
        casus = report.casus
        reporters.ask_reporter(
            casus, actor=staff, question="Op welke school zit zij?", reports=[report]
        )
        reporters.record_feedback(
            casus, actor=staff, text="Wij hebben contact gezocht met de school.", reports=[report]
        )
    assert follow_login(public, code, secret).status_code == 302
    status = public.get(reverse("public:follow_status")).content.decode()
    assert "Op welke school zit zij?" in status and "contact gezocht met de school" in status
    assert "Sanne" not in status  # nothing about the people in the case
    public.post(reverse("public:follow_status"), {"text": "Het Stedelijk Lyceum in Enschede."})
    with tenant_context(limburg):
        assert ReporterMessage.objects.filter(casus=casus, direction="antwoord").count() == 1


def test_a_code_never_shows_another_report(public, limburg):
    first = public.get(submit(public).url).content.decode()
    second = public.get(submit(public, form="contactformulier").url).content.decode()
    code_one = first.split('id="meldcode">')[1].split("<")[0]
    secret_two = second.split('id="geheime-code">')[1].split("<")[0]
    assert follow_login(public, code_one, secret_two).status_code == 400
    assert public.get(reverse("public:follow_status")).status_code == 302


def test_guessing_codes_is_rate_limited_and_logged(public, limburg):
    from audit.models import AuditAction, AuditEntry

    statuses = [follow_login(public, "M-AAAA-BBBB", f"GOK-{n}").status_code for n in range(6)]
    assert statuses[:5] == [400] * 5 and statuses[5] == 429
    with tenant_context(limburg):
        assert (
            AuditEntry.objects.filter(
                action=AuditAction.LOGIN_FAILED, detail__meldcode="M-AAAA-BBBB"
            ).count()
            == 6
        )


def test_xss_stays_inert_on_the_staff_case_page_and_the_follow_up_page(public, limburg, logged_in):
    data = report_post(
        concern=XSS,
        reporter_organisation=XSS,
        reporter_name=XSS,
        **{"persoon-0-name": XSS, "persoon-0-school": XSS},
    )
    received = public.get(
        public.post(reverse("public:report_form", args=["contactformulier"]), data).url
    )
    code = received.content.decode().split('id="meldcode">')[1].split("<")[0]
    staff = logged_in(limburg, "medewerker")
    with tenant_context(limburg):
        report = Report.objects.get(follow_code=code)
        casus = report.casus
        reporters.ask_reporter(casus, actor=staff.user, question=XSS, reports=[report])
    page = staff.get(reverse("cases:detail", args=[casus.reference])).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert page.count("&lt;script&gt;") >= 4
    secret = received.content.decode().split('id="geheime-code">')[1].split("<")[0]
    follow_login(public, code, secret)
    status = public.get(reverse("public:follow_status")).content.decode()
    assert "<script>alert" not in status and "&lt;script&gt;" in status


def test_a_region_with_one_form_goes_straight_to_it(client_for, twente):
    response = client_for(twente).get(reverse("public:report_choice"))
    assert response.status_code == 302 and response.url == reverse(
        "public:report_form", args=["meldformulier"]
    )


def test_a_reporter_who_chose_email_hears_of_questions_and_feedback_without_their_content(
    public, limburg, logged_in
):
    response = submit(public, reporter_email="melder@example.org", feedback_preference="email")
    code = public.get(response.url).content.decode().split('id="meldcode">')[1].split("<")[0]
    staff = logged_in(limburg, "medewerker")
    with tenant_context(limburg):
        report = Report.objects.get(follow_code=code)
        casus = report.casus
        reporters.ask_reporter(
            casus, actor=staff.user, question="Hoe heet de school?", reports=[report]
        )
        reporters.record_feedback(
            casus, actor=staff.user, text="Wij hebben de school gesproken.", reports=[report]
        )
        subjects = list(OutboxMessage.objects.order_by("id").values_list("subject", flat=True))
        bodies = " ".join(message.body for message in OutboxMessage.objects.all())
    assert subjects[1:] == [
        "Er is een vraag van het meldpunt over uw melding",
        "Er is terugkoppeling over uw melding",
    ]
    assert (
        "Hoe heet de school?" not in bodies and "school gesproken" not in bodies and code in bodies
    )


def test_the_reporters_e_mails_link_to_the_follow_up_page_without_code_or_secret(
    public, limburg, logged_in
):
    response = submit(public, reporter_email="melder@example.org", feedback_preference="email")
    received = public.get(response.url).content.decode()
    code = received.split('id="meldcode">')[1].split("<")[0]
    secret = received.split('id="geheime-code">')[1].split("<")[0]
    staff = logged_in(limburg, "medewerker")
    with tenant_context(limburg):
        report = Report.objects.get(follow_code=code)
        reporters.ask_reporter(
            report.casus, actor=staff.user, question="Hoe heet de school?", reports=[report]
        )
        reporters.record_feedback(
            report.casus, actor=staff.user, text="Wij spraken de school.", reports=[report]
        )
        bodies = list(OutboxMessage.objects.order_by("id").values_list("body", flat=True))
    follow_page = f"http://limburg.localhost:8000{reverse('public:follow')}"
    assert len(bodies) == 3
    for body in bodies:  # confirmation, question, feedback
        assert re.findall(r"https?://[^\s),]+", body) == [follow_page], body
        assert f"{code}/" not in body and secret not in body.replace(f"Geheime code: {secret}", "")


def test_a_nul_byte_in_the_follow_up_code_is_refused_with_a_message(public, limburg):
    response = follow_login(public, "M-AAAA\x00BBBB", "GEHEIM")
    assert response.status_code == 400
    assert "De meldcode bevat een teken dat er niet in hoort." in response.content.decode()
    assert follow_login(public, "", "").status_code == 400


def test_guessing_from_one_address_does_not_lock_the_reporter_out(public, limburg, client_for):
    codes = public.get(submit(public).url).content.decode()
    code = codes.split('id="meldcode">')[1].split("<")[0]
    secret = codes.split('id="geheime-code">')[1].split("<")[0]
    guesser = client_for(limburg)
    statuses = [
        guesser.post(
            reverse("public:follow"), {"code": code, "secret": f"GOK-{n}"}, REMOTE_ADDR="10.9.9.9"
        ).status_code
        for n in range(6)
    ]
    assert statuses == [400] * 5 + [429]
    reporter = client_for(limburg)
    assert follow_login(reporter, code, secret).status_code == 302


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(public, limburg, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    from_proxy = {"REMOTE_ADDR": "10.0.0.1"}

    def guess(client_address: str) -> int:
        return public.post(
            reverse("public:follow"),
            {"code": "M-AAAA-BBBB", "secret": "GOK"},
            HTTP_X_FORWARDED_FOR=client_address,
            **from_proxy,
        ).status_code

    assert [guess("203.0.113.1") for _ in range(6)][-1] == 429
    assert guess("203.0.113.2") == 400  # another client behind the same proxy
    with tenant_context(limburg):
        from audit.models import AuditEntry

        addresses = set(AuditEntry.objects.values_list("ip_address", flat=True))
    assert {"203.0.113.1", "203.0.113.2"} <= addresses and "10.0.0.1" not in addresses


def test_the_codes_are_shown_again_for_half_an_hour_with_the_secret_encrypted(public, limburg):
    response = submit(public)
    first = public.get(response.url).content.decode()
    secret = first.split('id="geheime-code">')[1].split("<")[0]
    form_page = public.get(reverse("public:report_form", args=["contactformulier"]))
    assert reverse("public:report_received") in form_page.content.decode()
    again = public.get(reverse("public:report_received")).content.decode()
    assert secret in again
    with tenant_context(limburg):
        from django.contrib.sessions.models import Session

        stored = Session.objects.get(session_key=public.session.session_key).session_data
        kept = public.session["melding_bevestiging"]
        assert secret not in kept["secret"] and secret not in stored
        session = public.session
        session["melding_bevestiging"] = kept | {"until": time.time() - 1}
        session.save()
    assert public.get(reverse("public:report_received")).status_code == 302
    with tenant_context(limburg):
        assert "melding_bevestiging" not in public.session


def test_the_follow_up_status_page_is_not_stored_and_a_nul_byte_in_a_reply_is_refused(
    public, limburg
):
    codes = public.get(submit(public).url).content.decode()
    code = codes.split('id="meldcode">')[1].split("<")[0]
    secret = codes.split('id="geheime-code">')[1].split("<")[0]
    follow_login(public, code, secret)
    status = public.get(reverse("public:follow_status"))
    assert "no-store" in status["Cache-Control"]
    reply = public.post(reverse("public:follow_status"), {"text": "Wel\x00iets"})
    assert reply.status_code == 400
    assert "Uw tekst bevat een teken dat er niet in hoort." in reply.content.decode()


def test_rate_limit_keys_in_redis_hold_no_code_and_no_address(public, limburg, settings):
    import redis

    follow_login(public, "M-ZZZZ-YYYY", "GOK")
    keys = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"]).keys("limburg:*")
    assert keys, "the attempt was counted in Redis"
    assert not any(b"M-ZZZZ-YYYY" in key or b"127.0.0.1" in key for key in keys)


def test_the_form_is_rendered_once_per_configuration_and_follows_a_change(public, limburg):
    from configuratie.models import RegionMunicipality

    url = reverse("public:report_form", args=["risicotaxatieformulier"])
    first = public.get(url).content.decode()
    with tenant_context(limburg):
        own = RegionMunicipality.objects.order_by("code").first()
    in_region = re.search(
        r'<optgroup label="Gemeenten in de regio">(.*?)</optgroup>', first, re.S
    ).group(1)
    assert f'<option value="{own.code}">' in in_region
    assert public.get(url).content.decode().count("<option") == first.count("<option")
    with tenant_context(limburg):
        own.delete()  # the working area changes: a new configuration version
    after = public.get(url).content.decode()
    in_region = re.search(
        r'<optgroup label="Gemeenten in de regio">(.*?)</optgroup>', after, re.S
    ).group(1)
    assert f'<option value="{own.code}">' not in in_region
    assert f'<option value="{own.code}">' in after  # now among the other municipalities


def test_a_chosen_municipality_stays_chosen_after_an_error(public):
    response = submit(public, concern="")
    assert response.status_code == 400
    assert '<option value="GM0935" selected>' in response.content.decode()
