"""The outbox against a real SMTP server (aiosmtpd on a free port): a recipient the
server refuses fails alone and holds back no other mail; a server that is down is
tried again after pauses that double, until the message is marked failed; the
administrator sees failed mail without its content and sends it again."""

import pytest
from cryptography.fernet import Fernet
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from accounts.failed_mail import retry_failed_mail
from audit.models import AuditEntry
from meldpunt.models import OutboxMessage
from meldpunt.outbox import deliver_pending, queue_email
from tests.serving import OwnSmtpServer

Status = OutboxMessage.Status
REFUSED = "weigert@example.org"
GOOD = "welkom@example.org"
BODY = "De geheime volgcode is XKCD-7731."


@pytest.fixture
def smtp(settings) -> OwnSmtpServer:
    server = OwnSmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    yield server
    if server.running:
        server.stop()


def the_pause_has_passed(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())


def test_sixty_refused_messages_do_not_hold_back_a_later_good_one(twente, smtp):
    smtp.refuse(REFUSED)
    with tenant_context(twente):
        for number in range(60):
            queue_email(REFUSED, f"Bericht {number}", BODY)
        good = queue_email(GOOD, "Welkom", BODY)

        assert deliver_pending() == 1

        good.refresh_from_db()
        assert (good.status, good.attempts) == (Status.SENT, 1)
        refused = OutboxMessage.objects.exclude(pk=good.pk)
        assert set(refused.values_list("status", "attempts", "last_error")) == {
            (Status.FAILED, 1, "SMTPRecipientsRefused 550")  # at once: trying again cannot help
        }
        assert deliver_pending() == 0  # failed mail is not tried again by itself
    assert [mail.subject for mail in smtp.received_by(GOOD)] == ["Welkom"]
    assert smtp.received_by(REFUSED) == []


def test_a_message_no_key_of_ours_reads_fails_alone(twente, smtp, settings):
    real_keys = settings.FIELD_ENCRYPTION_KEYS
    with tenant_context(twente):
        settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
        unreadable = queue_email(GOOD, "Onder een andere sleutel", BODY)
        settings.FIELD_ENCRYPTION_KEYS = real_keys
        good = queue_email(GOOD, "Welkom", BODY)

        assert deliver_pending() == 1

        unreadable.refresh_from_db(fields=["status", "last_error"])
        assert (unreadable.status, unreadable.last_error) == (Status.FAILED, "InvalidToken")
        good.refresh_from_db()
        assert good.status == Status.SENT
    assert [mail.subject for mail in smtp.received_by(GOOD)] == ["Welkom"]


def test_a_message_waits_twice_as_long_after_each_failure_then_fails(twente, smtp, settings):
    smtp.stop()
    with tenant_context(twente):
        message = queue_email(GOOD, "Welkom", BODY)
        pauses = []
        for attempt in range(1, settings.OUTBOX_MAX_ATTEMPTS + 1):
            tried_at = timezone.now()
            assert deliver_pending() == 0
            message.refresh_from_db()
            assert message.attempts == attempt
            if attempt == settings.OUTBOX_MAX_ATTEMPTS:
                break
            assert message.status == Status.WAITING
            pauses.append(round((message.next_attempt_at - tried_at).total_seconds() / 60))
            assert deliver_pending() == 0  # not due yet: not tried
            assert OutboxMessage.objects.get(pk=message.pk).attempts == attempt
            the_pause_has_passed(message)
        assert pauses == [5, 10, 20, 40, 80, 160, 320]  # minutes: 10.6 hours in all
        assert (message.status, message.last_error) == (Status.FAILED, "ConnectionRefusedError")

    smtp.start()
    with tenant_context(twente):
        assert deliver_pending() == 0
    assert smtp.received_by(GOOD) == []


def test_the_administrator_sends_failed_mail_again_and_it_arrives_once(twente, smtp, make_user):
    admin = make_user(twente, "regiobeheerder")
    smtp.refuse(GOOD)
    with tenant_context(twente):
        message = queue_email(GOOD, "Welkom", BODY)
        deliver_pending()
        smtp.handler.refused.clear()  # the address was corrected at the receiving end

        assert retry_failed_mail(by=admin, ids=[message.pk]) == 1
        assert deliver_pending() == 1
        assert retry_failed_mail(by=admin) == 0  # nothing failed any more
        line = AuditEntry.objects.filter(user_email=admin.email).latest("at")
        assert line.detail == {"mail_opnieuw_verstuurd": 0, "berichten": "alle mislukte"}
    assert [mail.body.strip() for mail in smtp.received_by(GOOD)] == [BODY]


def make_failed(subject: str, to: str = REFUSED) -> OutboxMessage:
    message = queue_email(to, subject, BODY)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=Status.FAILED, attempts=8, last_error="SMTPRecipientsRefused 550"
    )
    return message


def test_the_failed_mail_screen_shows_no_content_and_retries_one(
    twente, logged_in, django_assert_max_num_queries
):
    admin = logged_in(twente, "regiobeheerder")
    with tenant_context(twente):
        messages = [make_failed(f"Uitnodiging {number}") for number in range(12)]
    url = reverse("failed_mail:list")

    with django_assert_max_num_queries(12):
        page = admin.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "w…@example.org" in text and "Uitnodiging 11" in text
    assert "SMTPRecipientsRefused 550" in text
    assert REFUSED not in text and BODY not in text

    assert admin.post(url, {"bericht": messages[0].pk}).status_code == 302
    with tenant_context(twente):
        retried = OutboxMessage.objects.get(pk=messages[0].pk)
        assert (retried.status, retried.attempts) == (Status.WAITING, 0)
        assert OutboxMessage.objects.filter(status=Status.FAILED).count() == 11
    assert admin.post(url, {"bericht": "alles"}).status_code == 400
    assert admin.post(url, {"alle": "1"}).status_code == 302
    with tenant_context(twente):
        assert not OutboxMessage.objects.filter(status=Status.FAILED).exists()


def test_only_the_regiobeheerder_sees_failed_mail(twente, logged_in):
    for role in ("medewerker", "analist", "privacyofficer"):
        assert logged_in(twente, role).get(reverse("failed_mail:list")).status_code == 403


def test_the_national_administrator_sees_the_platforms_failed_mail(national_client: Client, twente):
    with schema_context("public"):
        make_failed("Wachtwoord opnieuw instellen", to="landelijk@platform.test")
    with tenant_context(twente):
        make_failed("Uitnodiging van Twente")
    text = national_client.get(reverse("failed_mail:list")).content.decode()
    assert "Wachtwoord opnieuw instellen" in text and "l…@platform.test" in text
    assert "Uitnodiging van Twente" not in text
